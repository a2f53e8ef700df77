//! What the form holds, made once per patient above its views: a language
//! switch re-renders the views in the other language over the same state, so
//! every answer, the step, the problems shown and a send under way stay.

use intake_core::config::Mode;
use intake_core::{FieldError, IntakeDraft, Step};
use leptos::prelude::*;

use super::history;
use super::send::{load_sealing, Pending, SendState};

/// The form's state.
#[derive(Clone, Copy)]
pub struct FormState {
    pub draft: RwSignal<IntakeDraft>,
    pub step: RwSignal<Step>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// Problems that do not block (an old prescription).
    pub warnings: RwSignal<Vec<FieldError>>,
    pub state: RwSignal<SendState>,
    /// "Try now" cuts the wait before the next attempt short.
    pub hurry: RwSignal<bool>,
    /// The sealing module could not be loaded yet.
    pub sealing_missing: RwSignal<bool>,
    /// The error summary read out to screen readers.
    pub summary: RwSignal<String>,
    /// Came from Review through an Edit button: the way on leads back there.
    pub returning: RwSignal<bool>,
    /// After Next found a problem, every change re-checks.
    pub checked_once: RwSignal<bool>,
    /// "Remember my answers on this device" is on.
    pub remembering: RwSignal<bool>,
    /// The answers came back from this device.
    pub was_restored: bool,
    pub pending: StoredValue<Option<Pending>>,
}

/// Puts the answers remembered on this device into `draft`, if any (none
/// outside a browser), and says whether there were any.
fn restore(draft: &mut IntakeDraft) -> bool {
    #[cfg(target_arch = "wasm32")]
    return super::remember::load_into(draft);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = draft;
        false
    }
}

impl FormState {
    /// A new patient's form. At home, answers remembered on this device come
    /// back (never on a kiosk), on the step the patient was on when the page
    /// was reloaded (its history entry says which). With a clinic key the
    /// sealing module is loaded now, so a send never waits for it.
    pub fn new(mode: Mode, sealed: bool) -> FormState {
        let draft = RwSignal::new(IntakeDraft::default());
        let was_restored =
            mode != Mode::Kiosk && draft.try_update_untracked(restore).unwrap_or(false);
        let first_step = match (was_restored, history::current()) {
            (true, Some(at))
                if mode == Mode::Standalone && draft.with_untracked(|d| at.applies(d)) =>
            {
                at
            }
            _ => Step::About,
        };
        // On the standalone page each step is an entry of the browser's
        // history: Back and Forward move between steps with every answer
        // kept. Never in a frame (the host page's Back is its own, and its
        // history's length would tell it how many steps the patient saw) nor
        // on a kiosk (Back must never lead to a patient's step).
        history::start(mode == Mode::Standalone && !history::framed(), false);
        history::mark(first_step, false);
        // Leaving the page with answers on the screen asks first (from the
        // first edit, see the form's `on_edit`), until the form is gone.
        history::set_answers(false);
        on_cleanup(|| history::set_answers(false));
        let sealing_missing = RwSignal::new(false);
        if sealed {
            load_sealing(sealing_missing);
        }
        FormState {
            draft,
            step: RwSignal::new(first_step),
            errors: RwSignal::new(Vec::new()),
            warnings: RwSignal::new(Vec::new()),
            state: RwSignal::new(SendState::Idle),
            hurry: RwSignal::new(false),
            sealing_missing,
            summary: RwSignal::new(String::new()),
            returning: RwSignal::new(false),
            checked_once: RwSignal::new(false),
            remembering: RwSignal::new(was_restored),
            was_restored,
            pending: StoredValue::new(None),
        }
    }
}
