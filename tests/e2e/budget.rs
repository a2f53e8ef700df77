//! The release bundle's byte budget. Bytes are deterministic, so this gate is
//! safe in CI; timings live in `cargo xtask bench`, never in tests.

use intake_e2e::dist_dir;
use xtask::{measure, LIMIT_GZIP_BYTES};

#[test]
fn the_release_bundle_stays_under_100_kb_gzip() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let total = sizes.code_gzip();
    assert!(
        total <= LIMIT_GZIP_BYTES,
        "wasm + JS is {total} bytes gzip, over the {LIMIT_GZIP_BYTES}-byte limit: see `cargo xtask bench`"
    );
    assert!(
        total > 10 * 1024,
        "{total} bytes is too small to be the real widget: is dist/ a release build?"
    );
}

#[test]
fn the_release_build_is_optimised() {
    // A debug build is several times larger; measuring one would make the budget meaningless.
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let wasm_raw: u64 = sizes.wasm.iter().map(|a| a.raw).sum();
    assert!(
        wasm_raw < 1024 * 1024,
        "{wasm_raw} bytes of wasm: dist/ holds a debug build"
    );
}
