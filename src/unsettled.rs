//! Which submissions this page is sending right now. While any is, leaving
//! the page asks first, and the outbox leaves those alone (the courier has
//! them).

use std::cell::RefCell;

use crate::bridge::{guard, Guard};

thread_local! {
    /// Ids of the submissions being sent, and holds on leaving (see [`hold`]).
    static UNSETTLED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Leaving the page asks first until [`release`]d with the same `id`.
pub fn hold(id: &str) {
    UNSETTLED.with(|u| u.borrow_mut().push(id.to_owned()));
    guard(Guard::Unsent, true);
}

/// Ends one [`hold`] on `id`.
pub fn release(id: &str) {
    let empty = UNSETTLED.with(|u| {
        let mut u = u.borrow_mut();
        if let Some(at) = u.iter().position(|held| held == id) {
            u.remove(at);
        }
        u.is_empty()
    });
    if empty {
        guard(Guard::Unsent, false);
    }
}

/// Whether the submission `id` is being sent from this page right now (the
/// outbox then leaves it alone).
pub fn in_flight(id: &str) -> bool {
    UNSETTLED.with(|u| u.borrow().iter().any(|held| held == id))
}
