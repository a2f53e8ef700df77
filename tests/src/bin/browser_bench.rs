//! The browser half of `cargo xtask bench`: prints a table of figures (each
//! timing the median of several runs). `--quick` measures once, for a check
//! that the bench still runs.

use intake_e2e::bench::{run, Options};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let options = if quick {
        Options {
            runs: 1,
            keys: 5,
            taps: 2,
            resets: 2,
            surveyjs: false,
        }
    } else {
        Options {
            runs: 7,
            keys: 40,
            taps: 12,
            resets: 20,
            surveyjs: true,
        }
    };
    let lines = run(options).await.lines;
    let width = lines.iter().map(|l| l.what.len()).max().unwrap_or(0);
    for line in lines {
        println!("{:<width$}  {}", line.what, line.value);
    }
}
