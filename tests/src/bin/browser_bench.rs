//! The browser half of `cargo xtask bench`: prints a table of figures (each
//! timing the median of several runs). `--quick` measures once, for a check
//! that the bench still runs; `--resets N` sets how many kiosk resets.

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
            resets: 50,
            surveyjs: true,
        }
    };
    let mut options = options;
    let args: Vec<String> = std::env::args().collect();
    if let Some(n) = args
        .iter()
        .position(|a| a == "--resets")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
    {
        options.resets = n;
    }
    let lines = run(options).await.lines;
    let width = lines.iter().map(|l| l.what.len()).max().unwrap_or(0);
    for line in lines {
        println!("{:<width$}  {}", line.what, line.value);
    }
}
