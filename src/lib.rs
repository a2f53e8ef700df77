//! massage-intake: the widget. A thin reactive skin over `intake-core`.

pub mod app;
pub mod config;
pub mod fetch;
pub mod intake;
pub mod json;
pub mod learn;
pub mod rules;
#[cfg(target_arch = "wasm32")]
pub mod seal;
pub mod shell;
pub mod text;
pub mod transport;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

/// The form module's entry, called by `boot.js` when the patient taps
/// "Start" (or at once with `view=intake`): loads the configuration and puts
/// the form in place of the first view, moving the focus to it when asked.
pub async fn mount_form(focus: bool) {
    let resolved = config::load().await;
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        for id in ["mi-boot", shell::ROOT_ID] {
            if let Some(old) = document.get_element_by_id(id) {
                old.remove();
            }
        }
    }
    leptos::mount::mount_to_body(move || leptos::prelude::view! { <app::App resolved /> });
    if focus {
        app::focus_when_rendered("mi-intake-heading");
    }
}
