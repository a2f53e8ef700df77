//! Sending one submission until the delivery policy (`delivery`) says it is
//! done: stored, to be fixed by the patient, or refused for good. The form
//! watches while it is on screen; a kiosk reset takes the form down but not
//! the send, which goes on out of sight until the clinic has it (a readable
//! submission only ever in this page's memory). While any send is unsettled,
//! leaving the page asks first.

use crate::delivery::{self, Attended, Next};
use crate::unsettled::{hold, release};

/// A submission on its way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parcel {
    pub endpoint: String,
    pub id: String,
    /// The body as sent: the submission, or its sealed envelope.
    pub body: String,
    pub content_type: &'static str,
    /// Sealed and kept in the device's outbox.
    pub kept: bool,
    /// How long one attempt may take before it is tried again.
    pub timeout_ms: u32,
}

/// What the form on screen is told while a send goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// An attempt is under way.
    Sending,
    /// The last attempt failed; the next comes after a wait. `offline` when
    /// no answer came at all.
    Waiting { offline: bool },
}

/// The form's side of a send: `report` returns false once nobody watches
/// (the form was taken down); `hurried` is true when the patient asked to
/// try now.
pub struct Watcher {
    pub report: Box<dyn Fn(Progress) -> bool>,
    pub hurried: Box<dyn Fn() -> bool>,
}

impl Watcher {
    /// Nobody watches: the form was taken down before the send began.
    pub fn unwatched() -> Watcher {
        Watcher {
            report: Box::new(|_| false),
            hurried: Box::new(|| false),
        }
    }
}

/// Sends `parcel` until the policy says it is done, and tidies the outbox
/// after it; returns the final word (never [`Next::Retry`]).
pub async fn deliver(parcel: Parcel, watcher: Watcher) -> Next {
    hold(&parcel.id);
    let mut failures = 0u32;
    let mut watched;
    let next = loop {
        watched = (watcher.report)(Progress::Sending);
        let outcome = crate::transport::send(
            &parcel.endpoint,
            &parcel.id,
            &parcel.body,
            parcel.content_type,
            parcel.timeout_ms,
        )
        .await;
        let attended = if watched {
            Attended::Patient
        } else {
            Attended::Nobody
        };
        match delivery::next(outcome, failures, delivery::jitter(), attended) {
            Next::Retry { after_ms, offline } => {
                failures += 1;
                (watcher.report)(Progress::Waiting { offline });
                wait(after_ms, &*watcher.hurried).await;
            }
            done => break done,
        }
    };
    #[cfg(target_arch = "wasm32")]
    if parcel.kept {
        match &next {
            // The patient makes a new submission from the fixed answers.
            Next::Stored(_) | Next::Fix(_) => crate::outbox::remove(&parcel.id).await,
            Next::Refused(status) => crate::outbox::refuse(&parcel.id, *status).await,
            Next::Retry { .. } => {}
        }
    }
    if matches!(next, Next::Refused(_)) && !watched {
        crate::bridge::event("error", &[("code", "undeliverable")]);
    }
    release(&parcel.id);
    next
}

/// Waits `ms`, or less once `hurried` ("Try now").
pub async fn wait(ms: u32, hurried: &dyn Fn() -> bool) {
    let mut waited = 0;
    while waited < ms && !hurried() {
        let step = (ms - waited).min(250);
        sleep(step).await;
        waited += step;
    }
}

/// Waits `ms`.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
