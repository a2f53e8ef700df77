//! Small DOM helpers shared by the first view, the kiosk and the form; they
//! know nothing of either.

use leptos::prelude::request_animation_frame;
use wasm_bindgen::JsCast;

/// The id of the first view's root element, which the form replaces.
pub const ROOT_ID: &str = "mi-root";

/// The `name` attribute of the nearest element carrying it, from an event's
/// target up: which delegated control (`data-lang`, `data-edit`…) an event
/// landed on.
pub fn data_of(ev: &web_sys::Event, name: &str) -> Option<String> {
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(&format!("[{name}]"))
        .ok()??
        .get_attribute(name)
}

/// Moves keyboard and screen-reader focus to the element `id` once it exists.
pub fn focus_when_rendered(id: &'static str) {
    request_animation_frame(move || focus_by_id(id));
}

/// [`focus_when_rendered`] for an id made at run time.
pub fn focus_when_rendered_id(id: String) {
    request_animation_frame(move || focus_by_id(&id));
}

/// Focuses the element `id`, if there is one.
pub fn focus_by_id(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
