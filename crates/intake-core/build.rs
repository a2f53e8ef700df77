//! Generates the message keys (`Msg`) and the built-in English table from
//! `locales/en.txt`, so the widget carries the texts as a ready table instead
//! of a parser (about 6 KB gzip less) and English is the one list of keys.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=locales/en.txt");
    let source = std::fs::read_to_string("locales/en.txt").expect("read locales/en.txt");
    let mut entries: Vec<(String, String)> = Vec::new();
    for (index, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, text)) = line.split_once('=') else {
            panic!("locales/en.txt line {}: expected `key = text`", index + 1);
        };
        let (key, text) = (key.trim(), text.trim());
        assert!(
            !key.is_empty()
                && key.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'.'
                    || b == b'_'),
            "locales/en.txt line {}: a key is lower-case words joined by `.` and `_`, not `{key}`",
            index + 1
        );
        assert!(
            !text.is_empty(),
            "locales/en.txt line {}: `{key}` has no text",
            index + 1
        );
        assert!(
            entries.iter().all(|(k, _)| k != key),
            "locales/en.txt line {}: `{key}` given twice",
            index + 1
        );
        entries.push((key.to_owned(), text.replace("\\n", "\n")));
    }

    let variant = |key: &str| -> String {
        key.split(['.', '_'])
            .map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect()
    };
    let mut out = String::new();
    out.push_str("/// The key of one user-visible text (generated from `locales/en.txt`).\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum Msg {\n");
    for (key, _) in &entries {
        let _ = writeln!(out, "    /// `{key}`\n    {},", variant(key));
    }
    out.push_str("}\n\nimpl Msg {\n    /// Every key, in the order of `locales/en.txt`.\n    pub const ALL: &'static [Msg] = &[\n");
    for (key, _) in &entries {
        let _ = writeln!(out, "        Msg::{},", variant(key));
    }
    // Keys as one table: a lookup by key is a search in it, much smaller in
    // wasm than a `match` over some 400 strings.
    out.push_str("    ];\n\n    /// The key as written in the locale files.\n    pub fn key(self) -> &'static str {\n        KEYS[self as usize]\n    }\n\n    /// The key named `key`, if there is one.\n    pub fn from_key(key: &str) -> Option<Msg> {\n        KEYS.iter().position(|k| *k == key).and_then(|i| Msg::ALL.get(i).copied())\n    }\n}\n\n");
    let _ = writeln!(
        out,
        "/// Every key, indexed by `Msg as usize`.\nstatic KEYS: [&str; {}] = [",
        entries.len()
    );
    for (key, _) in &entries {
        let _ = writeln!(out, "    {key:?},");
    }
    out.push_str("];\n\n");
    // The texts shown only after sending (`expect.*`) in a table of their
    // own: with the feature `after-send-apart` (the first view), `EN` leaves
    // them empty and only the form, which shows them, links them.
    let after_send = |key: &str| key.starts_with("expect.");
    for (lean, cfg) in [
        (false, "not(feature = \"after-send-apart\")"),
        (true, "feature = \"after-send-apart\""),
    ] {
        let _ = writeln!(
            out,
            "/// The English texts, indexed by `Msg as usize`.\n#[cfg({cfg})]\npub(crate) static EN: [&str; {}] = [",
            entries.len()
        );
        for (key, text) in &entries {
            let text = if lean && after_send(key) {
                ""
            } else {
                text.as_str()
            };
            let _ = writeln!(out, "    {text:?},");
        }
        out.push_str("];\n");
    }
    let apart: Vec<&(String, String)> = entries.iter().filter(|(k, _)| after_send(k)).collect();
    let _ = writeln!(
        out,
        "/// The English texts shown only after sending.\npub(crate) static EN_AFTER_SEND: [(Msg, &str); {}] = [",
        apart.len()
    );
    for (key, text) in apart {
        let _ = writeln!(out, "    (Msg::{}, {text:?}),", variant(key));
    }
    out.push_str("];\n");

    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("messages.rs");
    std::fs::write(dest, out).expect("write messages.rs");

    // sRGB channel (0-255) to linear light, scaled to 0-65535: contrast checks
    // in the widget use this table instead of carrying `powf` (about 3 KB).
    let mut table = String::from(
        "/// sRGB channel to linear light, x 65535 (WCAG 2.2 relative luminance).\n\
         static SRGB_TO_LINEAR: [u16; 256] = [",
    );
    for v in 0..256u32 {
        let c = f64::from(v) / 255.0;
        let linear = if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        };
        let _ = write!(table, "{},", (linear * 65535.0).round() as u16);
    }
    table.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("srgb.rs");
    std::fs::write(dest, table).expect("write srgb.rs");
}
