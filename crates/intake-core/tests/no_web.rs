//! intake-core must stay web-free: the receiver and native tools use it, and
//! the widget's web layer belongs in the widget.

use std::process::Command;

#[test]
fn intake_core_has_no_web_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--package",
            "intake-core",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"serde"), "the tree was read: {tree}");
    for web in [
        "leptos",
        "web-sys",
        "wasm-bindgen",
        "js-sys",
        "gloo-net",
        "gloo-utils",
    ] {
        assert!(
            !crates.contains(&web),
            "intake-core depends on {web}:\n{tree}"
        );
    }
}
