//! massage-intake: the widget. A thin reactive skin over `intake-core`.

pub mod app;
pub mod config;
pub mod fetch;
pub mod intake;
pub mod json;
pub mod learn;
pub mod text;
pub mod transport;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

/// Installs the panic hook and mounts the widget on the page's body.
pub fn start() {
    // A fixed message, never the panic's own text: that could quote a
    // patient's answer, and the console is no place for health information.
    std::panic::set_hook(Box::new(|_| {
        web_sys::console::error_1(&"massage-intake stopped after an internal error".into());
    }));
    leptos::mount::mount_to_body(app::App);
}
