//! Helpers shared by `cargo xtask` and the tests: the release bundle's sizes.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

/// The widget must stay under this many gzip bytes of wasm + JS (target).
pub const BUDGET_GZIP_BYTES: u64 = 90 * 1024;
/// Tests fail above this many gzip bytes of wasm + JS (hard limit).
pub const LIMIT_GZIP_BYTES: u64 = 100 * 1024;

/// One file of the built widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

/// The sizes of the files a browser loads for the first view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BundleSizes {
    pub wasm: Vec<AssetSize>,
    pub js: Vec<AssetSize>,
    pub css: Vec<AssetSize>,
}

impl BundleSizes {
    /// gzip bytes of wasm + JS: the figure the budget is about.
    pub fn code_gzip(&self) -> u64 {
        self.wasm.iter().chain(&self.js).map(|a| a.gzip).sum()
    }

    /// raw bytes of wasm + JS.
    pub fn code_raw(&self) -> u64 {
        self.wasm.iter().chain(&self.js).map(|a| a.raw).sum()
    }
}

/// gzip size at the best compression level, as a server precompressing would send it.
pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len() as u64).unwrap_or(u64::MAX)
}

/// Measures every `.wasm`, `.js` and `.css` file at the top of `dist`.
pub fn measure(dist: &Path) -> std::io::Result<BundleSizes> {
    let mut sizes = BundleSizes::default();
    let mut entries: Vec<_> = std::fs::read_dir(dist)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bucket = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => &mut sizes.wasm,
            Some("js") => &mut sizes.js,
            Some("css") => &mut sizes.css,
            _ => continue,
        };
        let bytes = std::fs::read(&path)?;
        bucket.push(AssetSize {
            name,
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes),
        });
    }
    if sizes.wasm.is_empty() {
        return Err(std::io::Error::other(format!(
            "no .wasm in {}: build the widget first (cargo xtask dist)",
            dist.display()
        )));
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input_and_counts_bytes() {
        let text = "medical massage ".repeat(1000);
        let gz = gzip_len(text.as_bytes());
        assert!(gz > 20 && gz < 200, "{gz}");
    }

    #[test]
    fn measures_by_kind_and_sums_code_only() {
        let dir = tempdir();
        std::fs::write(dir.join("a_bg.wasm"), vec![0u8; 1000]).expect("write");
        std::fs::write(dir.join("a.js"), "x".repeat(500)).expect("write");
        std::fs::write(dir.join("main.css"), "y".repeat(500)).expect("write");
        std::fs::write(dir.join("index.html"), "<html>").expect("write");
        let sizes = measure(&dir).expect("measure");
        assert_eq!(
            (sizes.wasm.len(), sizes.js.len(), sizes.css.len()),
            (1, 1, 1)
        );
        assert_eq!(sizes.code_raw(), 1500);
        assert_eq!(sizes.code_gzip(), sizes.wasm[0].gzip + sizes.js[0].gzip);
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
