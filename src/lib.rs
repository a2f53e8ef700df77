//! massage-intake: the widget. A thin reactive skin over `intake-core`.

pub mod app;
pub mod bridge;
pub mod config;
pub mod courier;
pub mod delivery;
pub mod dom;
pub mod fetch;
pub mod intake;
pub mod json;
pub mod json_writer;
pub mod kiosk;
pub mod learn;
pub mod locale;
pub mod markup;
#[cfg(target_arch = "wasm32")]
pub mod outbox;
pub mod rules;
#[cfg(target_arch = "wasm32")]
pub mod seal;
pub mod shell;
pub mod speech;
pub mod text;
pub mod transport;
pub mod unsettled;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

thread_local! {
    /// The mounted form, so a kiosk reset can take it down.
    static FORM: std::cell::RefCell<Option<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(None) };
}

/// The form module's entry, called by `boot.js` when the patient taps
/// "Start" (or at once with `view=intake`): loads the configuration and puts
/// the form in place of the first view, moving the focus to it when asked.
pub async fn mount_form(focus: bool) {
    let resolved = config::load().await;
    locale::use_locale(locale::choose(&resolved)).await;
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        for id in ["mi-boot", crate::dom::ROOT_ID] {
            if let Some(old) = document.get_element_by_id(id) {
                old.remove();
            }
        }
    }
    unmount_form();
    let body = leptos::prelude::document().body();
    if let Some(body) = body {
        let config = resolved.config.clone();
        let handle = leptos::mount::mount_to(
            body,
            move || leptos::prelude::view! { <app::App resolved /> },
        );
        FORM.with(|f| *f.borrow_mut() = Some(Box::new(handle)));
        if let Some(root) = leptos::prelude::document().get_element_by_id(crate::dom::ROOT_ID) {
            shell::apply_theme(&root, &config);
        }
    }
    if focus {
        dom::focus_when_rendered("mi-intake-heading");
    }
}

/// The form module's entry on a page that opens on the form (`view=intake`
/// in its address, as a kiosk or a patient's link opens it): `boot.js` loads
/// only this module, and the form does what the first view would have done
/// (its events, the kiosk's watch). With `english`, the English texts come
/// from `locales/en.lines` (the first view, which carries them, is not
/// loaded).
pub async fn start_alone() -> Result<(), ()> {
    // Without its texts the form shows nothing worth reading: the page's
    // loader then falls back to the first view.
    if !locale::fetch_english().await {
        return Err(());
    }
    let resolved = config::load().await;
    let blocked = resolved
        .problems
        .iter()
        .any(intake_core::config::ConfigProblem::blocks_sending);
    let kiosk = resolved.config.mode == intake_core::Mode::Kiosk;
    let config = resolved.config.clone();
    mount_form(false).await;
    if blocked {
        bridge::event("error", &[("code", "configuration")]);
    } else {
        bridge::event("ready", &[]);
        bridge::event("started", &[]);
    }
    if kiosk {
        kiosk::watch(&config, restart_alone);
    }
    Ok(())
}

/// A kiosk reset on a page that opens on the form: the form, afresh.
fn restart_alone() {
    wasm_bindgen_futures::spawn_local(mount_form(false));
}

/// Takes the form down (a kiosk reset). A submission still on its way goes
/// on, out of sight, until stored (see `courier`).
pub fn unmount_form() {
    // Dropping the handle unmounts the view and disposes its state.
    FORM.with(|f| f.borrow_mut().take());
}
