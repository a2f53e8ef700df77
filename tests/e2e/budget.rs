//! The release bundle's byte budget. Bytes are deterministic, so these gates
//! are safe in CI; timings live in `cargo xtask bench`, never in tests.

use intake_e2e::dist_dir;
use xtask::{
    measure, BUDGET_GZIP_BYTES, EMBED_LIMIT_GZIP_BYTES, FHIR_LIMIT_GZIP_BYTES,
    FORM_LIMIT_GZIP_BYTES, INTAKE_PAGE_LIMIT_GZIP_BYTES, SEAL_LIMIT_GZIP_BYTES,
    TOTAL_LIMIT_GZIP_BYTES,
};

#[test]
fn the_first_view_stays_under_its_budget() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let first = sizes.first_view_gzip();
    assert!(
        first <= BUDGET_GZIP_BYTES,
        "the first view is {first} bytes gzip, over the {BUDGET_GZIP_BYTES}-byte budget: see `cargo xtask bench`"
    );
    assert!(
        first > 10 * 1024,
        "{first} bytes is too small to be the real widget: is dist/ a release build?"
    );
}

#[test]
fn the_form_and_its_rules_stay_under_their_gate() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let form = sizes.form_gzip();
    assert!(
        form <= FORM_LIMIT_GZIP_BYTES,
        "the form and its rules are {form} bytes gzip, over the {FORM_LIMIT_GZIP_BYTES}-byte limit"
    );
}

#[test]
fn a_page_that_opens_on_the_form_stays_under_its_gate() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let page = sizes.intake_page_gzip();
    assert!(
        page <= INTAKE_PAGE_LIMIT_GZIP_BYTES && page > sizes.form_gzip(),
        "a page opening on the form loads {page} bytes gzip, over the {INTAKE_PAGE_LIMIT_GZIP_BYTES}-byte limit"
    );
}

#[test]
fn the_fhir_writer_stays_under_its_gate() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let fhir = sizes.fhir_gzip();
    assert!(
        fhir <= FHIR_LIMIT_GZIP_BYTES && fhir > 1024,
        "the FHIR writer is {fhir} bytes gzip, over the {FHIR_LIMIT_GZIP_BYTES}-byte limit"
    );
}

#[test]
fn the_embed_loader_stays_under_its_gate() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let embed = sizes.embed.expect("embed.js in dist/");
    assert!(
        embed.gzip <= EMBED_LIMIT_GZIP_BYTES && embed.gzip > 200,
        "embed.js is {} bytes gzip, over the {EMBED_LIMIT_GZIP_BYTES}-byte limit",
        embed.gzip
    );
}

#[test]
fn sealing_stays_under_its_gate() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let seal = sizes.seal_gzip();
    assert!(
        seal <= SEAL_LIMIT_GZIP_BYTES,
        "the sealing module is {seal} bytes gzip, over the {SEAL_LIMIT_GZIP_BYTES}-byte limit"
    );
    assert!(
        seal > 1024,
        "{seal} bytes: is the sealing module in the build?"
    );
}

#[test]
fn everything_together_stays_under_its_gate() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let total = sizes.total_gzip();
    assert!(
        total <= TOTAL_LIMIT_GZIP_BYTES,
        "the widget and its rules are {total} bytes gzip, over the {TOTAL_LIMIT_GZIP_BYTES}-byte limit"
    );
}

#[test]
fn the_release_build_is_optimised() {
    // A debug build is several times larger; measuring one would make the budget meaningless.
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let wasm_raw: u64 = sizes
        .first_view
        .iter()
        .chain(&sizes.form)
        .chain(&sizes.fhir)
        .filter(|a| a.name.ends_with(".wasm"))
        .map(|a| a.raw)
        .sum();
    assert!(
        wasm_raw < 1024 * 1024,
        "{wasm_raw} bytes of wasm: dist/ holds a debug build"
    );
}

#[test]
fn every_module_ships_with_short_names_and_minified_bindings() {
    let sizes = measure(&dist_dir()).expect("measure dist/");
    let scripts: Vec<_> = sizes
        .first_view
        .iter()
        .chain(&sizes.form)
        .chain(&sizes.fhir)
        .chain(&sizes.seal)
        .filter(|a| a.name.ends_with(".js") && a.name != "boot.js")
        .collect();
    assert_eq!(scripts.len(), 4, "{scripts:?}");
    for script in scripts {
        let text = std::fs::read_to_string(dist_dir().join(&script.name))
            .expect("read")
            // A property of the bindings' classes, not a name of the wasm's.
            .replace("__wbg_ptr", "");
        for long in ["__wbg_", "__wbindgen_malloc", "_bg.js\"", "\n    "] {
            assert!(
                !text.contains(long),
                "{} still has `{}`: is `cargo xtask dist`'s shrinking step skipped?",
                script.name,
                long.escape_debug()
            );
        }
    }
}
