//! Loads the widget's configuration: `intake.config.json` from the widget's own
//! origin, then the presentation-only URL parameters. The rules live in
//! `intake_core::config`; this file only fetches.

use gloo_net::http::Request;
use intake_core::config::{resolve, ResolvedConfig};

/// The configuration file, relative to the page so the widget can live under a path.
pub const CONFIG_FILE: &str = "intake.config.json";

/// Fetches and resolves the configuration, reporting every problem on the console too.
pub async fn load() -> ResolvedConfig {
    let file = fetch_config().await;
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let resolved = resolve(file.as_deref().map_err(Clone::clone), &query);
    for problem in &resolved.problems {
        web_sys::console::warn_1(&format!("massage-intake configuration: {problem:?}").into());
    }
    resolved
}

async fn fetch_config() -> Result<String, String> {
    let response = Request::get(CONFIG_FILE)
        .send()
        .await
        .map_err(|_| format!("{CONFIG_FILE} could not be fetched"))?;
    if !response.ok() {
        return Err(format!("the server answered {} for {CONFIG_FILE}", response.status()));
    }
    response.text().await.map_err(|_| format!("{CONFIG_FILE} could not be read"))
}
