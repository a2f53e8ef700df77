//! Loads the widget's configuration: `intake.config.json` from the widget's own
//! origin, then the presentation-only URL parameters. The rules live in
//! `intake_core::config`; this file only fetches.

use intake_core::config::{resolve_entries, ResolvedConfig};

/// The configuration file, relative to the page so the widget can live under a path.
pub const CONFIG_FILE: &str = "intake.config.json";

/// Fetches and resolves the configuration, reporting every problem on the console too.
pub async fn load() -> ResolvedConfig {
    load_from(CONFIG_FILE).await
}

/// [`load`], with the configuration file at `url`.
pub async fn load_from(url: &str) -> ResolvedConfig {
    let file = fetch_config(url).await;
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let resolved = resolve_entries(
        file.and_then(|text| crate::json::config_entries(&text)),
        &query,
    );
    let english = crate::locale::english();
    for problem in &resolved.problems {
        let (msg, args) = problem.message();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        web_sys::console::warn_1(
            &format!(
                "massage-intake configuration: {}",
                english.format(msg, &args)
            )
            .into(),
        );
    }
    resolved
}

async fn fetch_config(url: &str) -> Result<String, String> {
    match crate::fetch::fetch_once(url).await {
        Ok(text) => Ok(text),
        Err(0) => Err(format!("{CONFIG_FILE} could not be fetched")),
        Err(status) => Err(format!("the server answered {status} for {CONFIG_FILE}")),
    }
}
