//! massage-intake: the widget. A thin reactive skin over `intake-core`.

pub mod app;
pub mod config;
pub mod fetch;
pub mod intake;
pub mod json;
pub mod learn;
pub mod rules;
pub mod text;
pub mod transport;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

/// Installs the panic hook, loads the configuration, then mounts the widget
/// in place of the page's static "Loading…" line. Mounting once the
/// configuration is known keeps a reactive "loading" switch (about 2 KB gzip)
/// out of the bundle.
pub fn start() {
    // A fixed message, never the panic's own text: that could quote a
    // patient's answer, and the console is no place for health information.
    std::panic::set_hook(Box::new(|_| {
        web_sys::console::error_1(&"massage-intake stopped after an internal error".into());
    }));
    wasm_bindgen_futures::spawn_local(async {
        let resolved = config::load().await;
        if let Some(boot) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("mi-boot"))
        {
            boot.remove();
        }
        leptos::mount::mount_to_body(move || leptos::prelude::view! { <app::App resolved /> });
    });
}
