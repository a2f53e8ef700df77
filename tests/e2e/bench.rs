//! `cargo xtask bench`'s browser half in its short form: it runs, every
//! figure is there, kiosk resets load the page anew and do not grow the wasm
//! memory. Timings are
//! printed by the bench only; nothing here depends on one.

use intake_e2e::bench::{run, Options};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bench_runs_and_kiosk_resets_do_not_grow_memory() {
    let report = run(Options {
        runs: 1,
        keys: 3,
        taps: 2,
        resets: 3,
        surveyjs: false,
    })
    .await;
    for expected in [
        "first view bytes: wasm",
        "first view bytes: all",
        "time to interactive, 4x CPU: first view",
        "time to interactive, 4x CPU: step 1 of the form",
        "keystroke to next frame, 4x CPU",
        "tap to region selected",
        "memory after 3 kiosk resets",
    ] {
        assert!(
            report
                .lines
                .iter()
                .any(|l| l.what.starts_with(expected) && !l.value.is_empty()),
            "no figure for {expected}: {:#?}",
            report.lines
        );
    }
    assert!(report.wasm_after_one > 1_000_000.0, "{report:?}");
    assert_eq!(report.reloads, 3, "every reset loaded the page anew");
    assert!(
        report.wasm_after_all <= report.wasm_after_one * 1.1,
        "wasm memory grew from {} to {} bytes over 3 kiosk resets",
        report.wasm_after_one,
        report.wasm_after_all
    );
}
