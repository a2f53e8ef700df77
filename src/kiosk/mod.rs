//! Kiosk mode on a shared tablet: after a while without a touch or a key the
//! patient is asked "Are you still there?" with a countdown; at zero, and a
//! while after the thank-you screen, everything is cleared for the next
//! patient. No Leptos here: this lives in the first view's module, which
//! stays loaded for the life of the page, or on a page that opens on the
//! form (`view=intake` in its address), in the form's module.
//!
//! A reset stops the form (a submission still on its way keeps going in the
//! background, out of sight, until it is stored), clears the page's storage
//! (the outbox of sealed envelopes excepted), removes every trace of the
//! patient from the page, and loads the page anew, or when a submission is
//! still on its way or the page's address does not answer, shows the first
//! view afresh in place. The browser's history gets no entry for any
//! patient, so Back never leads to one.

use std::cell::{Cell, RefCell};

use intake_core::config::WidgetConfig;
use intake_core::Msg;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::markup::escape;

mod exit;

/// The dialog's element id.
pub const DIALOG_ID: &str = "mi-idle-dialog";

#[derive(Clone, Copy)]
struct Timings {
    idle_ms: f64,
    warning_s: u32,
    done_ms: f64,
}

thread_local! {
    static TIMINGS: Cell<Option<Timings>> = const { Cell::new(None) };
    static LAST_ACTIVITY: Cell<f64> = const { Cell::new(0.0) };
    /// Seconds left on the warning, when it is showing.
    static COUNTDOWN: Cell<Option<u32>> = const { Cell::new(None) };
    /// When the thank-you screen was first seen.
    static DONE_SINCE: Cell<Option<f64>> = const { Cell::new(None) };
    /// What had the focus before the warning.
    static FOCUS_BEFORE: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
    /// A reset is under way (its page blank while its address is tried).
    static RESETTING: Cell<bool> = const { Cell::new(false) };
    /// What shows the page afresh after a reset.
    static RESTART: Cell<Option<fn()>> = const { Cell::new(None) };
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Starts watching for idleness, once per page; later calls (after a reset)
/// only take the new timings. After a reset `restart` shows the page afresh
/// (the first view, or on a page that opens on the form, the form).
pub fn watch(config: &WidgetConfig, restart: fn()) {
    RESTART.with(|r| r.set(Some(restart)));
    let first = TIMINGS.with(Cell::get).is_none();
    TIMINGS.with(|t| {
        t.set(Some(Timings {
            idle_ms: f64::from(config.kiosk_idle_seconds) * 1000.0,
            warning_s: config.kiosk_warning_seconds,
            done_ms: f64::from(config.kiosk_done_seconds) * 1000.0,
        }))
    });
    LAST_ACTIVITY.with(|l| l.set(now()));
    exit::set_pin(config.kiosk_exit_pin.clone());
    if !first {
        return;
    }
    let (Some(window), Some(document)) = (web_sys::window(), document()) else {
        return;
    };
    if config.kiosk_exit_pin.is_some() {
        exit::add_staff_button(&document);
    }
    let activity = Closure::<dyn Fn(web_sys::Event)>::new(|_: web_sys::Event| {
        // While the warning shows, only its button counts.
        if COUNTDOWN.with(Cell::get).is_none() {
            LAST_ACTIVITY.with(|l| l.set(now()));
        }
    });
    for event in ["pointerdown", "keydown", "input", "wheel", "touchstart"] {
        let _ = document.add_event_listener_with_callback_and_bool(
            event,
            activity.as_ref().unchecked_ref(),
            true,
        );
    }
    activity.forget();
    let tick = Closure::<dyn Fn()>::new(tick);
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        1000,
    );
    tick.forget();
}

fn tick() {
    let Some(timings) = TIMINGS.with(Cell::get) else {
        return;
    };
    if RESETTING.with(Cell::get) {
        return;
    }
    let Some(document) = document() else {
        return;
    };
    let now = now();
    // After the thank-you screen, reset on time, touched or not.
    if document.get_element_by_id("mi-done-heading").is_some() {
        let since = DONE_SINCE.with(|d| d.get()).unwrap_or(now);
        DONE_SINCE.with(|d| d.set(Some(since)));
        if now - since >= timings.done_ms {
            reset();
        }
        return;
    }
    DONE_SINCE.with(|d| d.set(None));
    match COUNTDOWN.with(Cell::get) {
        Some(0) | Some(1) => reset(),
        Some(left) => {
            COUNTDOWN.with(|c| c.set(Some(left - 1)));
            show_seconds(&document, left - 1);
        }
        None if now - LAST_ACTIVITY.with(Cell::get) >= timings.idle_ms => {
            open_dialog(&document, timings.warning_s);
        }
        None => {}
    }
}

fn show_seconds(document: &web_sys::Document, left: u32) {
    if let Some(count) = document.get_element_by_id("mi-idle-seconds") {
        count.set_text_content(Some(&left.to_string()));
    }
}

fn open_dialog(document: &web_sys::Document, seconds: u32) {
    // In the patient's language (the form tells this module of a switch).
    let catalog = crate::locale::catalog();
    COUNTDOWN.with(|c| c.set(Some(seconds)));
    FOCUS_BEFORE.with(|f| {
        *f.borrow_mut() = document
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    });
    let body_text = intake_core::fill(
        &escape(catalog.text(Msg::KioskIdleBody)),
        &[(
            "seconds",
            &format!(r#"<span id="mi-idle-seconds">{seconds}</span>"#),
        )],
    );
    let Ok(backdrop) = document.create_element("div") else {
        return;
    };
    backdrop.set_id(DIALOG_ID);
    backdrop.set_class_name("mi-dialog-backdrop");
    backdrop.set_inner_html(&format!(
        concat!(
            r#"<div class="mi-dialog" role="alertdialog" aria-modal="true" "#,
            r#"aria-labelledby="mi-idle-title" aria-describedby="mi-idle-body">"#,
            r#"<h2 id="mi-idle-title">{}</h2><p id="mi-idle-body">{}</p>"#,
            r#"<button type="button" class="mi-button mi-button--primary" id="mi-idle-stay">{}</button></div>"#
        ),
        escape(catalog.text(Msg::KioskIdleTitle)),
        body_text,
        escape(catalog.text(Msg::KioskIdleStay)),
    ));
    IDLE_EVENTS.with(|on| {
        show_dialog(
            document,
            &backdrop,
            on,
            &["click", "keydown"],
            "mi-idle-stay",
        )
    });
}

/// Puts a dialog's backdrop in the page with the page's one handler for
/// `kinds` of event, and focuses the element `focus` in it.
fn show_dialog(
    document: &web_sys::Document,
    backdrop: &web_sys::Element,
    on: &Closure<dyn Fn(web_sys::Event)>,
    kinds: &[&str],
    focus: &str,
) {
    for kind in kinds {
        let _ = backdrop.add_event_listener_with_callback(kind, on.as_ref().unchecked_ref());
    }
    if let Some(body) = document.body() {
        let _ = body.append_child(backdrop);
    }
    crate::dom::focus_by_id(focus);
}

thread_local! {
    /// One handler for every idle warning of the page's life: a handler made
    /// per dialog would stay in memory after it closed, one more for every
    /// patient.
    static IDLE_EVENTS: Closure<dyn Fn(web_sys::Event)> = Closure::new(on_idle_event);
}

/// A click or key in the idle warning.
fn on_idle_event(ev: web_sys::Event) {
    match (ev.type_().as_str(), key_of(&ev).as_deref()) {
        ("click", _) if target_id(&ev).as_deref() == Some("mi-idle-stay") => close_dialog(),
        // One control in the dialog: the focus stays on it; Escape means "still here".
        ("keydown", Some("Tab")) => ev.prevent_default(),
        ("keydown", Some("Escape")) => close_dialog(),
        _ => {}
    }
}

fn key_of(ev: &web_sys::Event) -> Option<String> {
    ev.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key())
}

fn target_id(ev: &web_sys::Event) -> Option<String> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|t| t.id())
}

fn close_dialog() {
    COUNTDOWN.with(|c| c.set(None));
    LAST_ACTIVITY.with(|l| l.set(now()));
    if let Some(dialog) = document().and_then(|d| d.get_element_by_id(DIALOG_ID)) {
        dialog.remove();
    }
    if let Some(before) = FOCUS_BEFORE.with(|f| f.borrow_mut().take()) {
        let _ = before.focus();
    }
}

/// Clears everything of this patient and shows the page afresh.
pub fn reset() {
    // One reset at a time: the page is blank while its address is tried,
    // and the watch must not start another over it.
    if RESETTING.with(|r| r.replace(true)) {
        return;
    }
    // Nothing read aloud goes on for the next patient (speech can outlive
    // the page that started it).
    crate::speech::stop();
    clear();
    // Nothing of the patient stays in the page's memory either (a wasm
    // memory never shrinks, and what was freed in it is not wiped): the page
    // is loaded anew, which also keeps a tablet that runs all day as light
    // after its hundredth patient as after its first. Not while a
    // submission is on its way (it lives only in this page) or leaving
    // would ask, and only when the page's own address answers from its
    // server: a tablet offline must not show the browser's error page.
    // Otherwise the form starts afresh in place.
    let href = web_sys::window().and_then(|w| w.location().href().ok());
    let Some(href) = href.filter(|_| !crate::bridge::leaving_asks()) else {
        return restart_in_place();
    };
    wasm_bindgen_futures::spawn_local(async move {
        let answers = crate::fetch::answers(&href, RELOAD_CHECK_MS).await;
        // The staff exit may have taken over meanwhile.
        if !RESETTING.with(Cell::get) {
            return;
        }
        let reloading = answers
            && !crate::bridge::leaving_asks()
            && web_sys::window().is_some_and(|w| w.location().reload().is_ok());
        if !reloading {
            restart_in_place();
        }
    });
}

/// Shows the page afresh without loading it anew (the patient's traces are
/// cleared already).
fn restart_in_place() {
    RESETTING.with(|r| r.set(false));
    // The next patient's idle time starts now, not at the reset.
    LAST_ACTIVITY.with(|l| l.set(now()));
    if let Some(restart) = RESTART.with(Cell::get) {
        restart();
    }
}

/// How long the page's address may take to answer before a reset starts
/// the form afresh in place instead of loading the page anew.
const RELOAD_CHECK_MS: u32 = 3_000;

/// Clears everything of this patient: the form (a submission on its way
/// goes on out of sight), the page's storage, its markup, the language
/// chosen, the history entry's state.
fn clear() {
    COUNTDOWN.with(|c| c.set(None));
    DONE_SINCE.with(|d| d.set(None));
    FOCUS_BEFORE.with(|f| f.borrow_mut().take());
    LAST_ACTIVITY.with(|l| l.set(now()));
    // The next patient starts in the page's own language.
    crate::locale::forget_choice();
    // The form stops; a submission on its way goes on out of sight (boot.js).
    let _ = crate::bridge::stop_form();
    let Some(window) = web_sys::window() else {
        return;
    };
    for storage in [window.local_storage(), window.session_storage()]
        .into_iter()
        .flatten()
        .flatten()
    {
        let _ = storage.clear();
    }
    if let Some(document) = window.document() {
        for id in [DIALOG_ID, crate::dom::ROOT_ID] {
            while let Some(old) = document.get_element_by_id(id) {
                old.remove();
            }
        }
        // No history entry for anyone: Back leaves the kiosk page.
        if let Ok(history) = window.history() {
            let here = window.location().href().unwrap_or_default();
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&here));
        }
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
