//! A language switch mounts the form again in the other language: what the
//! form on screen holds (answers, step, a submission being sent, the
//! thank-you screen's reference) is handed to the next mounting here.

use std::cell::{Cell, RefCell};

use intake_core::{IntakeDraft, Step};
use leptos::prelude::*;

use super::send::Pending;

/// What the next mounting of the form takes over.
pub struct Handed {
    pub draft: IntakeDraft,
    pub step: Step,
    pub pending: Option<Pending>,
}

type Live = (
    RwSignal<IntakeDraft>,
    RwSignal<Step>,
    StoredValue<Option<Pending>>,
);

thread_local! {
    /// The answers, step and pending submission of the form on screen.
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
    /// What is handed to the next mounting of the form.
    static HANDOFF: RefCell<Option<Handed>> = const { RefCell::new(None) };
    /// A language switch is under way.
    static SWITCHING: Cell<bool> = const { Cell::new(false) };
    /// The reference of a stored submission while its thank-you screen shows.
    static DONE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Notes the form on screen.
pub fn live(
    draft: RwSignal<IntakeDraft>,
    step: RwSignal<Step>,
    pending: StoredValue<Option<Pending>>,
) {
    LIVE.with(|l| *l.borrow_mut() = Some((draft, step, pending)));
}

/// What a language switch handed over, once.
pub fn take() -> Option<Handed> {
    HANDOFF.with(|h| h.borrow_mut().take())
}

/// Keeps what the form on screen holds for the next mounting.
pub fn hand_over_answers() {
    if let Some((draft, step, pending)) = LIVE.with(|l| *l.borrow()) {
        if let (Some(draft), Some(step)) = (draft.try_get_untracked(), step.try_get_untracked()) {
            let pending = pending.try_get_value().flatten();
            HANDOFF.with(|h| {
                *h.borrow_mut() = Some(Handed {
                    draft,
                    step,
                    pending,
                })
            });
        }
    }
}

/// Whether a language switch is under way (the form is mounted again).
pub fn switching() -> bool {
    SWITCHING.with(Cell::get)
}

/// Marks a language switch as under way, or over.
pub fn set_switching(on: bool) {
    SWITCHING.with(|s| s.set(on));
}

/// Notes the reference shown on the thank-you screen (`None`: no such screen).
pub fn set_done_reference(reference: Option<String>) {
    DONE.with(|d| *d.borrow_mut() = reference);
}

/// The thank-you screen's reference, when a switch happened on it.
pub fn handed_over_reference() -> Option<String> {
    DONE.with(|d| d.borrow().clone())
}
