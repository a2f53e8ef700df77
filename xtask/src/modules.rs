//! Import cycles between a crate's modules, read from its sources: every
//! `crate::…` and `super::…` path outside comments and test modules, resolved
//! to the longest module it names. Modules that share a parent must not
//! depend on each other in a circle (a child using its parent's items is not
//! a cycle; it is how Rust nests modules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module's path from the crate root (`["intake", "steps"]`).
pub type ModPath = Vec<String>;

/// Each module of the crate under `src` and the modules it refers to.
pub fn references(src: &Path) -> std::io::Result<BTreeMap<ModPath, BTreeSet<ModPath>>> {
    let mut files = Vec::new();
    collect(src, src, &mut files)?;
    let known: BTreeSet<ModPath> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = BTreeMap::new();
    for (module, text) in files {
        let refs = paths_in(&code_of(&text))
            .into_iter()
            .filter_map(|path| resolve(&module, &path, &known))
            .filter(|target| *target != module)
            .collect();
        graph.insert(module, refs);
    }
    Ok(graph)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(ModPath, String)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out)?;
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let mut parts: ModPath = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match parts.last().map(String::as_str) {
            // Binaries are crates of their own; they use the library by name.
            Some("main" | "form_main") if parts.len() == 1 => continue,
            Some("lib") if parts.len() == 1 => {
                parts.pop();
            }
            Some("mod") => {
                parts.pop();
            }
            // A test-only module.
            Some("browser_tests") => continue,
            _ => {}
        }
        out.push((parts, std::fs::read_to_string(&path)?));
    }
    Ok(())
}

/// The code of a file without comments and without its test module.
pub fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        let code = match line.find("//") {
            // `"https://…"` inside a string also cuts the line; no module
            // path follows a URL in this code.
            Some(at) => &line[..at],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Every `crate::a::b…` and `super::…` path in `code`, braces expanded one
/// level (`crate::a::{b, c::d}` gives `crate::a::b` and `crate::a::c::d`).
pub fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &code[at..];
        let start = if rest.starts_with("crate::") || rest.starts_with("super::") {
            let before = code[..at].chars().next_back();
            before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
        } else {
            false
        };
        if !start {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let (path, used) = path_at(rest);
        at += used.max(1);
        if let Some(inner) = rest[used..].strip_prefix('{') {
            let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
            for item in inner.split(',') {
                let mut full = path.clone();
                full.extend(
                    item.trim()
                        .split("::")
                        .map(str::trim)
                        .filter(|s| is_ident(s))
                        .map(str::to_owned),
                );
                out.push(full);
            }
        } else {
            out.push(path);
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The path's segments at the start of `text` and how many bytes they took.
fn path_at(text: &str) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut used = 0;
    loop {
        let rest = &text[used..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        segments.push(rest[..len].to_owned());
        used += len;
        if text[used..].starts_with("::") {
            used += 2;
        } else {
            break;
        }
    }
    (segments, used)
}

/// The module a path written in `from` points into, if any.
fn resolve(from: &ModPath, path: &[String], known: &BTreeSet<ModPath>) -> Option<ModPath> {
    let mut base: ModPath = Vec::new();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => rest = &rest[1..],
        Some("super") => {
            base = from.clone();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    let mut best = known.contains(&base).then(|| base.clone());
    let mut candidate = base;
    for segment in rest {
        candidate.push(segment.clone());
        if known.contains(&candidate) {
            best = Some(candidate.clone());
        }
    }
    best
}

/// Each circle among modules that share a parent, as the siblings in it.
pub fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    let parents: BTreeSet<ModPath> = graph
        .keys()
        .filter(|m| !m.is_empty())
        .map(|m| m[..m.len() - 1].to_vec())
        .collect();
    let mut found = Vec::new();
    for parent in parents {
        let child = |m: &ModPath| -> Option<ModPath> {
            (m.len() > parent.len() && m.starts_with(&parent)).then(|| m[..=parent.len()].to_vec())
        };
        let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (from, targets) in graph {
            let Some(a) = child(from) else { continue };
            for target in targets {
                if let Some(b) = child(target) {
                    if a != b {
                        edges.entry(a.clone()).or_default().insert(b);
                    }
                }
            }
        }
        found.extend(
            strongly_connected(&edges)
                .into_iter()
                .filter(|c| c.len() > 1),
        );
    }
    found
}

/// Tarjan's strongly connected components.
fn strongly_connected(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, (usize, usize)>,
        stack: Vec<&'a ModPath>,
        next: usize,
        out: Vec<Vec<ModPath>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a ModPath) {
        s.index.insert(v, (s.next, s.next));
        s.next += 1;
        s.stack.push(v);
        let edges = s.edges;
        for w in edges.get(v).into_iter().flatten() {
            match s.index.get(w).copied() {
                None => {
                    visit(s, w);
                    let low = s.index[w].1.min(s.index[v].1);
                    s.index.entry(v).and_modify(|e| e.1 = low);
                }
                Some((w_index, _)) if s.stack.contains(&w) => {
                    let low = w_index.min(s.index[v].1);
                    s.index.entry(v).and_modify(|e| e.1 = low);
                }
                Some(_) => {}
            }
        }
        let (index, low) = s.index[v];
        if index == low {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            component.sort();
            s.out.push(component);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    let nodes: BTreeSet<&ModPath> = edges
        .iter()
        .flat_map(|(k, v)| std::iter::once(k).chain(v.iter()))
        .collect();
    for v in nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(path: &str) -> ModPath {
        path.split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn paths_skip_comments_and_expand_braces() {
        let code = code_of(
            "use crate::a::{b, c::d};\n// crate::x\nlet y = super::z::f(); // crate::q\n\
             #[cfg(test)]\nmod tests { use crate::w; }\n",
        );
        let paths = paths_in(&code);
        let expect = [
            vec!["crate", "a", "b"],
            vec!["crate", "a", "c", "d"],
            vec!["super", "z", "f"],
        ];
        assert_eq!(paths.len(), expect.len(), "{paths:?}");
        for (got, want) in paths.iter().zip(expect) {
            assert_eq!(got, &want);
        }
    }

    #[test]
    fn a_circle_between_siblings_is_found_and_a_child_using_its_parent_is_not() {
        let graph = BTreeMap::from([
            (m("app"), BTreeSet::from([m("intake")])),
            (m("intake"), BTreeSet::from([m("intake::steps")])),
            (m("intake::steps"), BTreeSet::from([m("intake")])),
            (m("text"), BTreeSet::new()),
        ]);
        assert!(cycles(&graph).is_empty());
        let mut with_cycle = graph.clone();
        with_cycle.insert(m("intake::meds"), BTreeSet::from([m("app")]));
        assert_eq!(cycles(&with_cycle), vec![vec![m("app"), m("intake")]]);
    }

    #[test]
    fn no_module_of_the_widget_or_intake_core_is_in_a_circle() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for src in ["src", "crates/intake-core/src"] {
            let graph = references(&root.join(src)).expect("sources");
            assert!(graph.len() > 10, "{src}: only {} modules", graph.len());
            let found: Vec<String> = cycles(&graph)
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|m| m.join("::"))
                        .collect::<Vec<_>>()
                        .join(" <-> ")
                })
                .collect();
            assert!(found.is_empty(), "{src}: {found:#?}");
        }
    }
}
