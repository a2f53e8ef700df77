//! Helpers shared by `cargo xtask` and the tests: the release bundle's sizes.

pub mod modules;

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

// The gates below are the sizes measured when they were last set plus 5%:
// they only move down. One that must move up says here what was added and
// what it cost. The form's, a page that opens on it and everything's were
// set on 2026-12-01 (rustc 1.95, wasm-bindgen 0.2.130, wasm-opt 132, terser
// 5.51.4), when send_wrapper stopped asking which thread it is on, the
// stream classes Leptos links in left the form, and no draft was copied or
// moved field by field any more: form 219,003 B, a page that opens on the
// form 220,652 B, all 285,511 B. FHIR writer 87,181 B, sealing 32,649 B,
// embed.js 2,714 B as set before. The first view's gate stays as set when
// one form module replaced the form and rules pair (63,679 B then, 66,508 B
// now: the kiosk reset that loads the page anew and its checks cost it
// 827 B, reading aloud 2,224 B, within that gate).

/// The first view (its wasm + JS and boot.js) must stay under this many gzip
/// bytes; tests fail above it.
pub const BUDGET_GZIP_BYTES: u64 = 66_860;
/// Tests fail when the form module (the form and its rules, what a tap on
/// "Start" needs) passes this many gzip bytes. It is fetched while the
/// patient reads the first view.
pub const FORM_LIMIT_GZIP_BYTES: u64 = 229_950;
/// Tests fail when a page that opens on the form (`?view=intake`: the form
/// module and boot.js, nothing of the first view) passes this many.
pub const INTAKE_PAGE_LIMIT_GZIP_BYTES: u64 = 231_680;
/// Tests fail when the sealing module (fetched only when the clinic configures
/// a public key) passes this many gzip bytes.
pub const SEAL_LIMIT_GZIP_BYTES: u64 = 34_280;
/// Tests fail when the FHIR writer (fetched only when the clinic asks for
/// FHIR) passes this many gzip bytes.
pub const FHIR_LIMIT_GZIP_BYTES: u64 = 91_540;
/// Tests fail when the website embed's loader passes this many gzip bytes.
pub const EMBED_LIMIT_GZIP_BYTES: u64 = 2_850;
/// Tests fail when everything a patient downloads without sealing passes
/// this many (the first view and the form).
pub const TOTAL_LIMIT_GZIP_BYTES: u64 = 299_780;

/// One file of the built widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    /// The precompressed `.br` beside it, when the build has one.
    pub brotli: Option<u64>,
}

/// The files of a build, by when the browser needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BundleSizes {
    /// What the page needs to show itself: the first view's wasm and JS, boot.js.
    pub first_view: Vec<AssetSize>,
    /// The intake form, fetched by boot.js once the first view is up.
    pub form: Vec<AssetSize>,
    /// The FHIR writer, fetched only when the clinic asks for FHIR.
    pub fhir: Vec<AssetSize>,
    /// Sealing (HPKE), fetched only when the clinic configures a public key.
    pub seal: Vec<AssetSize>,
    /// The website embed's loader (`embed.js`), on the clinic's pages.
    pub embed: Option<AssetSize>,
    /// Styles (not counted in the budget).
    pub css: Vec<AssetSize>,
}

fn sum(assets: &[AssetSize], f: fn(&AssetSize) -> u64) -> u64 {
    assets.iter().map(f).sum()
}

impl BundleSizes {
    /// gzip bytes of the first view: the figure the budget is about.
    pub fn first_view_gzip(&self) -> u64 {
        sum(&self.first_view, |a| a.gzip)
    }

    /// gzip bytes of the form with its rules: what "Start" needs.
    pub fn form_gzip(&self) -> u64 {
        sum(&self.form, |a| a.gzip)
    }

    /// gzip bytes of a page that opens on the form: the form module and
    /// boot.js.
    pub fn intake_page_gzip(&self) -> u64 {
        self.form_gzip()
            + sum(&self.first_view, |a| {
                if a.name == "boot.js" {
                    a.gzip
                } else {
                    0
                }
            })
    }

    /// gzip bytes of the FHIR writer.
    pub fn fhir_gzip(&self) -> u64 {
        sum(&self.fhir, |a| a.gzip)
    }

    /// gzip bytes of the sealing module.
    pub fn seal_gzip(&self) -> u64 {
        sum(&self.seal, |a| a.gzip)
    }

    /// gzip bytes of all wasm + JS a patient downloads when nothing is sealed.
    pub fn total_gzip(&self) -> u64 {
        self.first_view_gzip() + self.form_gzip()
    }

    /// raw bytes of all wasm + JS.
    pub fn total_raw(&self) -> u64 {
        [&self.first_view, &self.form]
            .into_iter()
            .map(|a| sum(a, |a| a.raw))
            .sum()
    }
}

/// gzip size at the best compression level, as a server precompressing would send it.
pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len() as u64).unwrap_or(u64::MAX)
}

/// brotli at its best quality, as the build's `.br` files are written.
pub fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    // Reading from a slice and writing to a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

/// Drops the whole-line `//` comments of the plain scripts copied as they are
/// (`embed.js`, `boot.js`): they explain the source, and the clinic's pages
/// need not download them. Returns the bytes saved.
pub fn strip_comments(dist: &Path) -> std::io::Result<u64> {
    let mut saved = 0;
    for name in ["embed.js", "boot.js"] {
        let path = dist.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let kept = without_line_comments(&text);
        saved += (text.len() - kept.len()) as u64;
        std::fs::write(&path, kept)?;
    }
    Ok(saved)
}

/// `text` without the lines that hold only a `//` comment.
pub fn without_line_comments(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Writes `locales/<tag>.lines` for every language but English (which is
/// built in): its texts checked strictly, one a line in the widget's order.
pub fn write_languages(dist: &Path) -> Result<usize, String> {
    use intake_core::{Catalog, Locale};
    let dir = dist.join("locales");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut count = 0;
    // English too: the first view carries it, but a page that opens on the
    // form loads the form's module alone, which borrows it from the file.
    for locale in Locale::ALL.iter() {
        let catalog = Catalog::parse(*locale, locale.source())
            .map_err(|e| format!("locales/{}.txt: {e}", locale.tag()))?;
        std::fs::write(
            dir.join(format!("{}.lines", locale.tag())),
            catalog.to_lines(),
        )
        .map_err(|e| e.to_string())?;
        count += 1;
    }
    Ok(count)
}

/// Writes `NAME.br` and `NAME.gz` beside every text, script and wasm file of
/// the build, for a server to send as they are; returns how many files.
pub fn precompress(dist: &Path) -> std::io::Result<usize> {
    let mut count = 0;
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        if path.is_dir() {
            // The texts of each language, in `locales/`.
            count += precompress(&path)?;
            continue;
        }
        let compressible = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(e, "wasm" | "js" | "css" | "html" | "json" | "svg" | "lines")
        });
        if !path.is_file() || !compressible {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&bytes)?;
        let name = path.to_string_lossy().into_owned();
        std::fs::write(format!("{name}.gz"), gz.finish()?)?;
        std::fs::write(format!("{name}.br"), brotli_bytes(&bytes))?;
        count += 1;
    }
    Ok(count)
}

/// The value of `name=` on the boot script tag of the built page (quoted or
/// not: the release build minifies HTML), without a leading `/`.
pub fn boot_attr<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html.find(&format!("{name}="))? + name.len() + 1;
    let rest = &html[at..];
    let value = match rest.strip_prefix('"') {
        Some(quoted) => &quoted[..quoted.find('"')?],
        None => &rest[..rest.find([' ', '>'])?],
    };
    Some(value.trim_start_matches("./").trim_start_matches('/'))
}

/// Measures the build in `dist`, sorting files by the boot tag of `index.html`.
pub fn measure(dist: &Path) -> std::io::Result<BundleSizes> {
    let missing = |what: &str| {
        std::io::Error::other(format!(
            "{what} in {}: build the widget first (cargo xtask dist)",
            dist.display()
        ))
    };
    let html =
        std::fs::read_to_string(dist.join("index.html")).map_err(|_| missing("no index.html"))?;
    let size = |name: &str| -> std::io::Result<AssetSize> {
        let bytes = std::fs::read(dist.join(name)).map_err(|_| missing(&format!("no {name}")))?;
        Ok(AssetSize {
            name: name.to_owned(),
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes),
            brotli: std::fs::metadata(dist.join(format!("{name}.br")))
                .ok()
                .map(|m| m.len()),
        })
    };
    let named = |attr: &str| {
        boot_attr(&html, attr).ok_or_else(|| missing(&format!("no {attr} on the boot script")))
    };
    let mut sizes = BundleSizes {
        first_view: vec![
            size(named("data-intake-wasm")?)?,
            size(named("data-intake-js")?)?,
            size("boot.js")?,
        ],
        form: vec![
            size(named("data-form-wasm")?)?,
            size(named("data-form-js")?)?,
        ],
        fhir: vec![
            size(named("data-fhir-wasm")?)?,
            size(named("data-fhir-js")?)?,
        ],
        seal: vec![
            size(named("data-seal-wasm")?)?,
            size(named("data-seal-js")?)?,
        ],
        css: Vec::new(),
        embed: size("embed.js").ok(),
    };
    let mut entries: Vec<_> = std::fs::read_dir(dist)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".css") {
            sizes.css.push(size(&name)?);
        }
    }
    Ok(sizes)
}

/// The JS bindings `js` of a module whose wasm had its imports, exports and
/// import module renamed by `wasm-opt --minify-imports-and-exports-and-modules`
/// (`mapping` is the JSON it printed): the same renames in the bindings.
pub fn rename_bindings(js: &str, mapping: &str) -> Result<String, String> {
    let mapping: serde_json::Value =
        serde_json::from_str(mapping).map_err(|e| format!("wasm-opt's mapping: {e}"))?;
    let pairs = |key: &str| -> Vec<(String, String)> {
        mapping[key]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|entry| {
                        let entry = entry.as_array()?;
                        let (old, new) = (&entry[entry.len() - 2], &entry[entry.len() - 1]);
                        Some((old.as_str()?.to_owned(), new.as_str()?.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if js.contains("const import1") {
        return Err("the bindings import from more than one module".to_owned());
    }
    let mut out = js.to_owned();
    // Each import is one key of the imports object, on a line of its own.
    for (old, new) in pairs("imports") {
        let key = format!("\n        {old}: ");
        let found = out.matches(&key).count();
        if found != 1 {
            return Err(format!("the import {old} is in the bindings {found} times"));
        }
        out = out.replace(&key, &format!("\n        {}: ", js_key(&new)));
    }
    // The one import module, named after the bindings file.
    let module_end = out
        .find("_bg.js\": import0")
        .ok_or("no import module in the bindings")?;
    let module_start = out[..module_end]
        .rfind('"')
        .ok_or("no import module in the bindings")?;
    out.replace_range(module_start..module_end + "_bg.js\"".len(), "\"a\"");
    // Exports are read as `wasm.NAME`.
    for (old, new) in pairs("exports") {
        out = replace_identifier(&out, &format!("wasm.{old}"), &format!("wasm.{new}"));
    }
    Ok(out)
}

/// Classes the bindings export for wasm-streams, which Leptos links in for
/// its server functions: adapters between a Rust stream and a JS
/// `ReadableStream` or `WritableStream`. The widget streams nothing and no
/// code calls them, but an exported function is never removed as unused.
pub const UNUSED_CLASSES: &[&str] = &[
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// The bindings `js` without the exported classes `classes` (each with its
/// `FinalizationRegistry`), and the names of the wasm exports only they
/// called. Fails when a class is not there whole, or when anything else
/// still uses one of them.
pub fn drop_classes(js: &str, classes: &[&str]) -> Result<(String, Vec<String>), String> {
    let mut out = js.to_owned();
    let mut exports = Vec::new();
    for class in classes {
        let start = out
            .find(&format!("export class {class} {{"))
            .ok_or(format!("the bindings export no class {class}"))?;
        let last = format!("{class}.prototype[Symbol.dispose] = {class}.prototype.free;\n");
        let end = out[start..]
            .find(&last)
            .map(|at| start + at + last.len())
            .ok_or(format!("the class {class} does not end as expected"))?;
        let body = out[start..end].to_owned();
        out.replace_range(start..end, "");
        let registry = format!("const {class}Finalization = ");
        let start = out
            .find(&registry)
            .ok_or(format!("no FinalizationRegistry for {class}"))?;
        let end = out[start..]
            .find(";\n")
            .map(|at| start + at + 2)
            .ok_or(format!("the FinalizationRegistry of {class} does not end"))?;
        let registry = out[start..end].to_owned();
        out.replace_range(start..end, "");
        for text in [&body, &registry] {
            for (at, _) in text.match_indices("wasm.") {
                let name: String = text[at + "wasm.".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
                    .collect();
                if !exports.contains(&name) {
                    exports.push(name);
                }
            }
        }
        if out.contains(class) {
            return Err(format!("the bindings still use {class}"));
        }
    }
    for name in &exports {
        if replace_identifier(&out, &format!("wasm.{name}"), "") != out {
            return Err(format!("the bindings still call {name}"));
        }
    }
    Ok((out, exports))
}

/// The wasm module `wasm` without the exports named in `names` (what they
/// alone reached is left for wasm-opt to remove). Fails when one of them is
/// not exported, or the module cannot be read.
pub fn drop_exports(wasm: &[u8], names: &[String]) -> Result<Vec<u8>, String> {
    fn leb(bytes: &[u8], at: &mut usize) -> Result<u32, String> {
        let (mut value, mut shift) = (0u32, 0);
        loop {
            let byte = *bytes.get(*at).ok_or("the module ends inside a number")?;
            *at += 1;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 28 {
                return Err("a number in the module is too long".to_owned());
            }
        }
    }
    fn put_leb(out: &mut Vec<u8>, mut value: u32) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    if wasm.get(..4) != Some(b"\0asm".as_slice()) {
        return Err("not a wasm module".to_owned());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    let mut dropped = 0;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let len = leb(wasm, &mut at)? as usize;
        let section = wasm
            .get(at..at + len)
            .ok_or("a section runs past the module's end")?;
        at += len;
        if id != 7 {
            out.push(id);
            put_leb(&mut out, len as u32);
            out.extend_from_slice(section);
            continue;
        }
        let mut pos = 0;
        let count = leb(section, &mut pos)?;
        let mut kept = Vec::new();
        let mut kept_count = 0u32;
        for _ in 0..count {
            let start = pos;
            let name_len = leb(section, &mut pos)? as usize;
            let name = section
                .get(pos..pos + name_len)
                .ok_or("an export's name runs past its section")?;
            pos += name_len + 1;
            leb(section, &mut pos)?;
            if names.iter().any(|n| n.as_bytes() == name) {
                dropped += 1;
            } else {
                kept.extend_from_slice(&section[start..pos]);
                kept_count += 1;
            }
        }
        let mut payload = Vec::new();
        put_leb(&mut payload, kept_count);
        payload.extend_from_slice(&kept);
        out.push(7);
        put_leb(&mut out, payload.len() as u32);
        out.extend_from_slice(&payload);
    }
    if dropped != names.len() {
        return Err(format!(
            "{} of the exports {names:?} are not in the module",
            names.len() - dropped
        ));
    }
    Ok(out)
}

/// `name` as an object key: bare when it is an identifier, quoted otherwise.
fn js_key(name: &str) -> String {
    let identifier = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

/// `text` with every `old` that is not the start of a longer identifier
/// replaced by `new`.
fn replace_identifier(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(old) {
        let after = &rest[at + old.len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        out.push_str(&rest[..at]);
        out.push_str(if whole { new } else { old });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `html` with the `integrity` of the tag that links `file` (trunk's preload
/// of the first view) set to `value`; unchanged when no tag links it with one.
pub fn set_integrity(html: &str, file: &str, value: &str) -> String {
    let Some(href) = html
        .find(&format!("href=/{file} "))
        .or_else(|| html.find(&format!("href=\"/{file}\"")))
    else {
        return html.to_owned();
    };
    let tag_end = href + html[href..].find('>').unwrap_or(html.len() - href);
    let tag_start = html[..href].rfind('<').unwrap_or(0);
    let Some(at) = html[tag_start..tag_end].find("integrity=") else {
        return html.to_owned();
    };
    let start = tag_start + at + "integrity=".len();
    let quoted = html[start..].starts_with('"');
    let end = if quoted {
        start + 1 + html[start + 1..].find('"').unwrap_or(0) + 1
    } else {
        start + html[start..].find([' ', '>']).unwrap_or(0)
    };
    format!("{}{value}{}", &html[..start], &html[end..])
}

/// The SRI value (`sha384-…`) of `bytes`, as trunk writes it.
pub fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape wasm-bindgen 0.2.130 gives an exported class and its
    /// registry, around a function that must stay.
    const CLASSES: &str = concat!(
        "export class IntoUnderlyingSink {\n",
        "    __destroy_into_raw() {\n",
        "        IntoUnderlyingSinkFinalization.unregister(this);\n",
        "    }\n",
        "    free() {\n",
        "        wasm.__wbg_intounderlyingsink_free(ptr, 0);\n",
        "    }\n",
        "    close() {\n",
        "        const ret = wasm.intounderlyingsink_close(ptr);\n",
        "    }\n",
        "}\n",
        "if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;\n",
        "\n",
        "export function mount_form(focus) {\n",
        "    const ret = wasm.mount_form(focus);\n",
        "}\n",
        "const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n",
        "    ? { register: () => {}, unregister: () => {} }\n",
        "    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));\n",
        "const cachedTextDecoder = 1;\n",
    );

    #[test]
    fn an_unused_class_leaves_the_bindings_with_the_exports_it_called() {
        let (js, exports) = drop_classes(CLASSES, &["IntoUnderlyingSink"]).expect("dropped");
        assert_eq!(
            exports,
            ["__wbg_intounderlyingsink_free", "intounderlyingsink_close"]
        );
        assert_eq!(
            js,
            "\nexport function mount_form(focus) {\n    const ret = wasm.mount_form(focus);\n}\nconst cachedTextDecoder = 1;\n"
        );
    }

    #[test]
    fn a_class_still_used_or_missing_is_not_dropped() {
        let used = format!("{CLASSES}new IntoUnderlyingSink();\n");
        assert!(drop_classes(&used, &["IntoUnderlyingSink"])
            .unwrap_err()
            .contains("still use"));
        let called = format!("{CLASSES}wasm.intounderlyingsink_close(1);\n");
        assert!(drop_classes(&called, &["IntoUnderlyingSink"])
            .unwrap_err()
            .contains("still call intounderlyingsink_close"));
        assert!(drop_classes(CLASSES, &["IntoUnderlyingSource"])
            .unwrap_err()
            .contains("no class"));
    }

    /// A module of a custom section and an export section of three.
    fn module(exports: &[&str]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[0, 3, 1, b'n', 9]);
        let mut section = vec![exports.len() as u8];
        for (i, name) in exports.iter().enumerate() {
            section.push(name.len() as u8);
            section.extend_from_slice(name.as_bytes());
            section.extend_from_slice(&[0, i as u8]);
        }
        wasm.push(7);
        wasm.push(section.len() as u8);
        wasm.extend_from_slice(&section);
        wasm
    }

    #[test]
    fn named_exports_leave_the_module_and_the_rest_stays_as_it_was() {
        let all = module(&["mount_form", "intounderlyingsink_close", "memory"]);
        let out = drop_exports(&all, &["intounderlyingsink_close".to_owned()]).expect("dropped");
        // The index of the kept exports stays theirs.
        let mut expected = module(&["mount_form", "memory"]);
        let last = expected.len() - 1;
        expected[last] = 2;
        assert_eq!(out, expected);
        assert!(drop_exports(&all, &["gone".to_owned()])
            .unwrap_err()
            .contains("not in the module"));
        assert!(drop_exports(b"text", &[]).is_err());
        assert!(drop_exports(&all[..all.len() - 2], &[]).is_err());
    }

    #[test]
    fn the_bindings_follow_the_minified_names() {
        let js = concat!(
            "function __wbg_get_imports() {\n",
            "    const import0 = {\n",
            "        __proto__: null,\n",
            "        __wbg_top_2d45: function(arg0) {\n",
            "            return arg0.top;\n",
            "        },\n",
            "        __wbg_top_2d45x: function() {},\n",
            "    };\n",
            "    return {\n",
            "        __proto__: null,\n",
            "        \"./intake-form_bg.js\": import0,\n",
            "    };\n",
            "}\n",
            "wasm.__wbindgen_malloc(1); wasm.__wbindgen_malloc_x(2); wasm.mount_form();\n",
        );
        let mapping = r#"{"imports": [["./intake-form_bg.js", "__wbg_top_2d45", "$"],
            ["./intake-form_bg.js", "__wbg_top_2d45x", "9a"]],
            "exports": [["__wbindgen_malloc", "b"], ["mount_form", "c"]]}"#;
        let out = rename_bindings(js, mapping).expect("renamed");
        assert!(out.contains("\n        $: function(arg0)"), "{out}");
        assert!(out.contains("\n        \"9a\": function()"), "{out}");
        assert!(out.contains("\"a\": import0"), "{out}");
        assert!(
            out.contains("wasm.b(1); wasm.__wbindgen_malloc_x(2); wasm.c();"),
            "{out}"
        );
        assert!(!out.contains("__wbg_top"), "{out}");
        let missing = r#"{"imports": [["m", "__wbg_gone", "z"]], "exports": []}"#;
        assert!(
            rename_bindings(js, missing).is_err(),
            "an import not found is an error"
        );
    }

    #[test]
    fn the_integrity_of_the_linked_file_is_replaced_and_nothing_else() {
        let html = "<link href=/a.css integrity=sha384-AAA rel=stylesheet><link crossorigin href=/m.js integrity=sha384-OLD rel=modulepreload>";
        assert_eq!(
            set_integrity(html, "m.js", "sha384-NEW"),
            "<link href=/a.css integrity=sha384-AAA rel=stylesheet><link crossorigin href=/m.js integrity=sha384-NEW rel=modulepreload>"
        );
        let quoted = r#"<link href="/m.js" integrity="sha384-OLD">"#;
        assert_eq!(
            set_integrity(quoted, "m.js", "sha384-NEW"),
            r#"<link href="/m.js" integrity=sha384-NEW>"#
        );
        assert_eq!(
            set_integrity(html, "other.js", "x"),
            html,
            "not linked: unchanged"
        );
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn only_whole_line_comments_are_dropped() {
        let script = "// about\nconst a = \"https://x\"; // kept\n  // indented\nb();\n";
        assert_eq!(
            without_line_comments(script),
            "const a = \"https://x\"; // kept\nb();\n"
        );
    }

    #[test]
    fn gzip_shrinks_repetitive_input_and_counts_bytes() {
        let text = "medical massage ".repeat(1000);
        let gz = gzip_len(text.as_bytes());
        assert!(gz > 20 && gz < 200, "{gz}");
    }

    #[test]
    fn boot_attributes_are_read_quoted_or_not() {
        let minified = "<script data-fhir-js=r.js data-intake-js=/m.js src=/boot.js>";
        assert_eq!(boot_attr(minified, "data-fhir-js"), Some("r.js"));
        assert_eq!(boot_attr(minified, "data-intake-js"), Some("m.js"));
        let quoted = r#"<script data-intake-wasm="/m_bg.wasm" src="/boot.js">"#;
        assert_eq!(boot_attr(quoted, "data-intake-wasm"), Some("m_bg.wasm"));
        assert_eq!(boot_attr(quoted, "data-fhir-js"), None);
    }

    #[test]
    fn measures_the_first_view_the_form_and_the_optional_modules_apart() {
        let dir = tempdir();
        let write = |name: &str, len: usize| {
            std::fs::write(dir.join(name), vec![b'x'; len]).expect("write")
        };
        write("m_bg.wasm", 1000);
        write("m.js", 500);
        write("boot.js", 100);
        write("r_bg.wasm", 700);
        write("r.js", 50);
        write("f_bg.wasm", 2000);
        write("f.js", 40);
        write("s_bg.wasm", 300);
        write("s.js", 30);
        write("main.css", 300);
        std::fs::write(
            dir.join("index.html"),
            "<script data-fhir-js=r.js data-fhir-wasm=r_bg.wasm data-form-js=f.js data-form-wasm=f_bg.wasm data-seal-js=s.js data-seal-wasm=s_bg.wasm data-intake-js=/m.js data-intake-wasm=/m_bg.wasm src=/boot.js>",
        )
        .expect("write");
        let sizes = measure(&dir).expect("measure");
        assert_eq!(sizes.first_view.iter().map(|a| a.raw).sum::<u64>(), 1600);
        assert_eq!(sizes.fhir.iter().map(|a| a.raw).sum::<u64>(), 750);
        assert_eq!(sizes.form.iter().map(|a| a.raw).sum::<u64>(), 2040);
        assert_eq!(sizes.total_raw(), 3640, "without FHIR or sealing");
        assert_eq!(sizes.seal.iter().map(|a| a.raw).sum::<u64>(), 330);
        assert_eq!(sizes.css.len(), 1);
        assert_eq!(
            sizes.total_gzip(),
            sizes.first_view_gzip() + sizes.form.iter().map(|a| a.gzip).sum::<u64>()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unbuilt_dist_is_an_error_that_says_what_to_do() {
        let dir = tempdir();
        let err = measure(&dir).expect_err("empty dist");
        assert!(err.to_string().contains("cargo xtask dist"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempdir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xtask-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
