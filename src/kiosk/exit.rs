//! The staff's way out of kiosk mode: a small "Staff" button in a corner
//! opens a dialog asking for the clinic's PIN (`kiosk_exit_pin`); the right
//! one clears everything of the last patient and reopens the page as the
//! standalone intake. Five wrong PINs in a row lock it for a minute. In
//! English, whatever the patient's language: it is for the staff.

use std::cell::{Cell, RefCell};

use intake_core::Msg;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{clear, document, key_of, now, restart_in_place, show_dialog, target_id};
use crate::markup::escape;

/// The staff exit's dialog id.
const EXIT_ID: &str = "mi-exit-dialog";

thread_local! {
    /// The staff PIN, when the clinic set one.
    static EXIT_PIN: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Wrong PINs in a row, and until when the exit is locked.
    static WRONG: Cell<(u32, f64)> = const { Cell::new((0, 0.0)) };
    /// One handler for every staff exit dialog of the page's life.
    static EXIT_EVENTS: Closure<dyn Fn(web_sys::Event)> = Closure::new(on_exit_event);
}

/// The PIN in force (`None`: no staff exit).
pub(super) fn set_pin(pin: Option<String>) {
    EXIT_PIN.with(|p| *p.borrow_mut() = pin);
}

/// A submit, click or key in the staff exit dialog.
fn on_exit_event(ev: web_sys::Event) {
    match (ev.type_().as_str(), key_of(&ev).as_deref()) {
        ("submit", _) => {
            ev.prevent_default();
            try_exit();
        }
        ("click", _) if target_id(&ev).as_deref() == Some("mi-exit-cancel") => close_exit(),
        ("keydown", Some("Escape")) => close_exit(),
        _ => {}
    }
}

/// A small "Staff" button in a corner, outside the patient's view of the form.
pub(super) fn add_staff_button(document: &web_sys::Document) {
    let Ok(button) = document.create_element("button") else {
        return;
    };
    button.set_id("mi-staff");
    button.set_class_name("mi-staff");
    let _ = button.set_attribute("type", "button");
    button.set_text_content(Some(crate::locale::english().text(Msg::KioskStaff)));
    let open = Closure::<dyn Fn()>::new(open_exit);
    let _ = button.add_event_listener_with_callback("click", open.as_ref().unchecked_ref());
    open.forget();
    if let Some(body) = document.body() {
        let _ = body.append_child(&button);
    }
}

fn open_exit() {
    let Some(document) = document() else {
        return;
    };
    if document.get_element_by_id(EXIT_ID).is_some() {
        return;
    }
    let catalog = crate::locale::english();
    let Ok(backdrop) = document.create_element("div") else {
        return;
    };
    backdrop.set_id(EXIT_ID);
    backdrop.set_class_name("mi-dialog-backdrop");
    backdrop.set_inner_html(&format!(
        concat!(
            r#"<form class="mi-dialog" role="dialog" aria-modal="true" aria-labelledby="mi-exit-title">"#,
            r#"<h2 id="mi-exit-title">{title}</h2>"#,
            r#"<label for="mi-exit-pin">{pin}</label>"#,
            r#"<input id="mi-exit-pin" type="password" inputmode="numeric" autocomplete="off" maxlength="8" aria-describedby="mi-exit-error">"#,
            r#"<p id="mi-exit-error" class="mi-exit-error" role="alert"></p>"#,
            r#"<button type="submit" class="mi-button mi-button--primary">{leave}</button> "#,
            r#"<button type="button" class="mi-button" id="mi-exit-cancel">{cancel}</button></form>"#
        ),
        title = escape(catalog.text(Msg::KioskExitTitle)),
        pin = escape(catalog.text(Msg::KioskExitPin)),
        leave = escape(catalog.text(Msg::KioskExitLeave)),
        cancel = escape(catalog.text(Msg::KioskExitCancel)),
    ));
    EXIT_EVENTS.with(|on| {
        show_dialog(
            &document,
            &backdrop,
            on,
            &["submit", "click", "keydown"],
            "mi-exit-pin",
        );
    });
}

fn close_exit() {
    if let Some(dialog) = document().and_then(|d| d.get_element_by_id(EXIT_ID)) {
        dialog.remove();
    }
}

/// Leaves kiosk mode on the right PIN: everything of the last patient is
/// cleared, then the page opens as the standalone intake.
fn try_exit() {
    let Some(document) = document() else {
        return;
    };
    let catalog = crate::locale::english();
    let say = |msg: Msg| {
        if let Some(error) = document.get_element_by_id("mi-exit-error") {
            error.set_text_content(Some(catalog.text(msg)));
        }
    };
    let (wrong, locked_until) = WRONG.with(Cell::get);
    if now() < locked_until {
        return say(Msg::KioskExitLocked);
    }
    let typed = document
        .get_element_by_id("mi-exit-pin")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default();
    let right = EXIT_PIN.with(|p| p.borrow().as_deref() == Some(typed.as_str()));
    if !right {
        let wrong = wrong + 1;
        // Five wrong in a row lock the exit for a minute.
        let until = if wrong >= 5 { now() + 60_000.0 } else { 0.0 };
        WRONG.with(|w| w.set((if wrong >= 5 { 0 } else { wrong }, until)));
        if let Some(input) = document
            .get_element_by_id("mi-exit-pin")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value("");
        }
        return say(if wrong >= 5 {
            Msg::KioskExitLocked
        } else {
            Msg::KioskExitWrong
        });
    }
    WRONG.with(|w| w.set((0, 0.0)));
    close_exit();
    // Cleared and shown afresh in place first (a reset under way is called
    // off): should leaving ask, because a submission is still on its way,
    // and staff choose to stay, the tablet shows the form, not a blank page.
    clear();
    restart_in_place();
    if let Some(window) = web_sys::window() {
        let location = window.location();
        let path = location.pathname().unwrap_or_default();
        let _ = location.replace(&format!("{path}?mode=standalone"));
    }
}
