//! massage-intake: the widget. A thin reactive skin over `intake-core`.

pub mod app;
pub mod config;
pub mod intake;
pub mod learn;
pub mod text;
pub mod transport;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

/// Installs the panic hook and mounts the widget on the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
