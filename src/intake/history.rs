//! The steps as entries of the browser's history (on the standalone page
//! only), and the question the browser asks before a page with answers on it
//! is left.
//!
//! An entry holds the step's code and nothing else: never an answer, and the
//! address does not change.

use std::cell::{Cell, RefCell};

use intake_core::{FieldError, Step};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::steps::step_code;

thread_local! {
    /// Whether the form now on screen writes history entries.
    static ON: Cell<bool> = const { Cell::new(false) };
    /// The steps of the entries this form wrote, and which one is current.
    static ENTRIES: RefCell<(Vec<Step>, usize)> = const { RefCell::new((Vec::new(), 0)) };
}

/// The key of the step in an entry's state.
const KEY: &str = "massageIntakeStep";

/// Turns entries on or off for the form being mounted; returns `on`. The
/// same form in another language (`keep`) keeps the entries it wrote.
pub fn start(on: bool, keep: bool) -> bool {
    ON.with(|o| o.set(on));
    if !keep {
        ENTRIES.with(|e| *e.borrow_mut() = (Vec::new(), 0));
    }
    on
}

/// Whether the form on screen writes history entries.
pub fn on() -> bool {
    ON.with(Cell::get)
}

/// Whether this page is inside a frame.
pub fn framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    // Through Reflect, as the rest of the module reads the page.
    js_sys::Reflect::get(&window, &"parent".into())
        .is_ok_and(|parent| parent != JsValue::from(window))
}

/// Records `step` as a new entry (`push`) or as the current one.
pub fn mark(step: Step, push: bool) {
    if !ON.with(Cell::get) {
        return;
    }
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let place = ENTRIES.with(|e| {
        let (steps, at) = &mut *e.borrow_mut();
        if steps.is_empty() {
            steps.push(step);
            *at = 0;
            return Some(0);
        }
        if !push {
            steps[*at] = step;
            return Some(*at);
        }
        if steps[*at] == step {
            return None;
        }
        steps.truncate(*at + 1);
        steps.push(step);
        *at += 1;
        Some(*at)
    });
    let Some(place) = place else { return };
    let state = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&state, &KEY.into(), &step_code(step).into());
    let _ = if push && place > 0 {
        history.push_state(&state, "")
    } else {
        history.replace_state(&state, "")
    };
}

/// The intake was sent: the current entry no longer names a step, so a
/// reload shows the start page rather than an empty form.
pub fn clear() {
    if !ON.with(Cell::get) {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state(&JsValue::NULL, "");
    }
}

/// The step a Back or Forward of the browser landed on, if it is one of ours.
pub fn popped(state: &JsValue) -> Option<Step> {
    let step = step_of(state)?;
    ENTRIES.with(|e| {
        let (steps, at) = &mut *e.borrow_mut();
        if *at > 0 && steps.get(*at - 1) == Some(&step) {
            *at -= 1;
        } else if steps.get(*at + 1) == Some(&step) {
            *at += 1;
        } else {
            // An entry from before a reload: the list starts afresh.
            *steps = vec![step];
            *at = 0;
        }
    });
    Some(step)
}

/// The form's own Back button: when the entry before this one is `to`, the
/// browser goes back to it (so its Back and Forward stay in step with the
/// form's) and `true` is returned; the `popstate` that follows shows it.
pub fn back_to(to: Step) -> bool {
    if !ON.with(Cell::get) {
        return false;
    }
    let before = ENTRIES.with(|e| {
        let (steps, at) = &*e.borrow();
        at.checked_sub(1).and_then(|i| steps.get(i).copied())
    });
    if before != Some(to) {
        return false;
    }
    web_sys::window()
        .and_then(|w| w.history().ok())
        .is_some_and(|h| h.back().is_ok())
}

/// The step an entry's state names, if any.
pub fn step_of(state: &JsValue) -> Option<Step> {
    let code = js_sys::Reflect::get(state, &KEY.into()).ok()?.as_string()?;
    Step::ALL.iter().copied().find(|s| step_code(*s) == code)
}

/// The step of the current entry (after a reload, the step the patient was on).
pub fn current() -> Option<Step> {
    let state = web_sys::window()?.history().ok()?.state().ok()?;
    step_of(&state)
}

/// Tells `boot.js` whether answers are on the screen that leaving would lose.
pub fn set_answers(typed: bool) {
    crate::bridge::guard(crate::bridge::Guard::Answers, typed);
}

/// Follows the browser's Back and Forward on the standalone page (nothing
/// elsewhere): to the entry's step, or, when that no longer applies (a
/// prescription step after "no prescription"), the one before it that does.
/// The listener goes with the form.
pub fn follow(
    step: RwSignal<Step>,
    shown: Memo<Vec<Step>>,
    returning: RwSignal<bool>,
    errors: RwSignal<Vec<FieldError>>,
    summary: RwSignal<String>,
) {
    if !on() {
        return;
    }
    let listener = window_event_listener(leptos::ev::popstate, move |ev| {
        let Some(to) = popped(&ev.state()) else {
            return;
        };
        let shown_now = shown.get_untracked();
        let Some(to) = shown_now.iter().rev().find(|s| **s <= to).copied() else {
            return;
        };
        if to != step.get_untracked() {
            returning.set(false);
            errors.set(Vec::new());
            summary.set(String::new());
            step.set(to);
            crate::dom::focus_when_rendered("mi-intake-heading");
        }
    });
    on_cleanup(move || listener.remove());
}
