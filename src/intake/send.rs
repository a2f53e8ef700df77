//! Send: the answers checked, written (in FHIR too when the clinic asks),
//! sealed when the clinic has a key, kept in the device's outbox when sealed,
//! and handed to the courier, which sends them until the delivery policy says
//! it is done. Everything here touches the form only through its signals'
//! `try_` methods: once the form is taken down (a kiosk reset, a language
//! switch) they fail and the form's part ends, while the courier goes on.

use intake_core::config::{Endpoint, Format, Mode, SEALED_CONTENT_TYPE};
use intake_core::{uuid_v4_from_bytes, Date, FieldError, IntakeDraft, Msg, SubmitContext};
use leptos::prelude::*;

use crate::courier::{self, Parcel, Progress, Watcher};
use crate::delivery::{backoff_ms, Next};

/// Where sending stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendState {
    Idle,
    Sending,
    /// An attempt failed in a way nobody can fix now (offline, the server's
    /// trouble); the same submission is tried again soon. `msg` says why,
    /// `then` where the answers are meanwhile.
    Retrying {
        msg: Msg,
        then: Msg,
    },
    /// Sending stopped; the message says what to do.
    Failed {
        msg: Msg,
        status: u16,
    },
}

/// The submission being sent, with the draft it was made from: pressing Send
/// again with unchanged answers sends the same submission id and body.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The answers it was made from, written as JSON: the same answers make
    /// the same parcel. (Kept as text, not as a copy of the draft: copying
    /// and comparing drafts cost the form module kilobytes of wasm, where
    /// the writer of remembered answers is there already.)
    pub answers: Option<String>,
    pub parcel: Parcel,
}

/// What the clinic configured for sending.
#[derive(Clone, Debug)]
pub struct Settings {
    pub endpoint: Endpoint,
    pub mode: Mode,
    pub format: Format,
    /// The clinic's public key: submissions are sealed to it.
    pub public_key: Option<String>,
    /// How long one attempt may take, in seconds.
    pub timeout_seconds: u32,
}

/// The form's side of sending.
#[derive(Clone, Copy)]
pub struct Sender {
    pub draft: RwSignal<IntakeDraft>,
    pub state: RwSignal<SendState>,
    /// "Try now" cuts the wait before the next attempt short.
    pub hurry: RwSignal<bool>,
    pub pending: StoredValue<Option<Pending>>,
    pub settings: StoredValue<Settings>,
    /// Shows problems where they are (and the summary).
    pub show_errors: Callback<Vec<FieldError>>,
    /// Clears the problems shown.
    pub clear_errors: Callback<()>,
    pub on_done: Callback<String>,
    /// The language the patient answered in.
    pub lang: &'static str,
}

/// The longest wait between two tries at loading the sealing module: a
/// failed fetch of it costs nothing, and the patient is waiting.
const MODULE_RETRY_MAX_MS: u32 = 5_000;

impl Sender {
    fn fail(self, msg: Msg, status: u16) {
        let _ = self.state.try_set(SendState::Failed { msg, status });
    }

    /// Send (or, while waiting to try again, "Try now").
    pub fn submit(self) {
        // One submission at a time: double clicks and Enter presses end here.
        match self.state.get_untracked() {
            SendState::Sending => return,
            SendState::Retrying { .. } => return self.hurry.set(true),
            _ => {}
        }
        self.state.set(SendState::Sending);
        // (Answers the writer could not write are never taken for the same.)
        let answers = self.draft.with_untracked(crate::json_writer::to_string);
        let reuse = self.pending.with_value(|p| {
            p.as_ref()
                .filter(|p| answers.is_some() && p.answers == answers)
                .map(|p| p.parcel.clone())
        });
        let settings = self.settings.get_value();
        leptos::task::spawn_local(async move {
            let parcel = match reuse {
                Some(parcel) => parcel,
                None => match self.prepare(&settings).await {
                    Some(parcel) => parcel,
                    None => return,
                },
            };
            let taken_down = self
                .pending
                .try_set_value(Some(Pending {
                    answers,
                    parcel: parcel.clone(),
                }))
                .is_some();
            let kept = parcel.kept;
            // Taken down while the parcel was made (a kiosk reset): a sealed
            // envelope is in the outbox; anything else goes on out of sight,
            // as a send under way at a reset does.
            if taken_down && kept {
                return;
            }
            let watcher = if taken_down {
                Watcher::unwatched()
            } else {
                self.clear_errors.run(());
                Watcher {
                    report: Box::new(move |progress| {
                        let state = match progress {
                            Progress::Sending => SendState::Sending,
                            Progress::Waiting { offline } => SendState::Retrying {
                                msg: if offline {
                                    Msg::SendRetryOffline
                                } else {
                                    Msg::SendRetryServer
                                },
                                then: if kept {
                                    Msg::SendKeptSealed
                                } else {
                                    Msg::SendRetrying
                                },
                            },
                        };
                        self.state.try_set(state).is_none()
                    }),
                    hurried: Box::new(move || {
                        self.hurry
                            .try_update(|h| std::mem::replace(h, false))
                            .unwrap_or(false)
                    }),
                }
            };
            // One send, watched or not (one copy of its code).
            let next = courier::deliver(parcel, watcher).await;
            if taken_down {
                return;
            }
            match next {
                Next::Stored(reference) => {
                    #[cfg(target_arch = "wasm32")]
                    super::remember::forget();
                    if self.state.try_set(SendState::Idle).is_none() {
                        self.pending.set_value(None);
                        super::history::clear();
                        // Stored: leaving has nothing to lose any more.
                        super::history::set_answers(false);
                        self.on_done.run(reference);
                    }
                }
                Next::Fix(found) => {
                    if self.state.try_set(SendState::Idle).is_none() {
                        self.pending.set_value(None);
                        self.show_errors.run(found);
                    }
                }
                Next::Refused(status) => self.fail(Msg::SendRejected, status),
                Next::Retry { .. } => {}
            }
        });
    }

    /// The parcel for the answers: checked, written, sealed and kept as
    /// configured; `None` when the form shows why not. The answers are read
    /// at once, before anything is awaited: as they were when Send was
    /// pressed (no event can come between).
    async fn prepare(self, settings: &Settings) -> Option<Parcel> {
        let Some(ctx) = submit_context(settings.mode, self.lang) else {
            self.fail(Msg::SendRejected, 0);
            return None;
        };
        let checked = self
            .draft
            .with_untracked(|d| crate::rules::check(d, &ctx, today()));
        let body = match checked.body {
            Some(body) if checked.errors.is_empty() => body,
            // Valid, yet not written (the writer refuses floats): never a
            // silent Send.
            None if checked.errors.is_empty() => {
                self.fail(Msg::SendRejected, 0);
                return None;
            }
            _ => {
                let _ = self.state.try_set(SendState::Idle);
                self.show_errors.run(checked.errors);
                return None;
            }
        };
        let id = ctx.submission_id;
        // From here the submission is on its way: a kiosk reset meanwhile
        // keeps the page and the send goes on (see `submit`).
        crate::unsettled::hold(&id);
        let body = match settings.format {
            Format::Json => Some(body),
            Format::Fhir => crate::bridge::fhir(&body).await.ok(),
        };
        let parcel = match body {
            Some(body) => self.parcel(id.clone(), body, settings).await,
            None => {
                self.fail(Msg::SendRulesUnavailable, 0);
                None
            }
        };
        crate::unsettled::release(&id);
        parcel
    }

    /// The parcel of `body`: sealed and kept when the clinic set a key.
    async fn parcel(self, id: String, body: String, settings: &Settings) -> Option<Parcel> {
        let endpoint = settings.endpoint.as_str().to_owned();
        let timeout_ms = settings.timeout_seconds.saturating_mul(1000);
        let Some(key) = &settings.public_key else {
            return Some(Parcel {
                endpoint,
                id,
                body,
                content_type: settings.format.content_type(),
                kept: false,
                timeout_ms,
            });
        };
        // Sealing may wait for the network; `prepare` holds the page meanwhile.
        let (envelope, kept) = self
            .seal_and_keep(key, &endpoint, &id, &body, settings.format)
            .await;
        Some(Parcel {
            endpoint,
            id,
            body: envelope,
            content_type: SEALED_CONTENT_TYPE,
            kept,
            timeout_ms,
        })
    }

    /// Seals `body` to the clinic's `key` and keeps the envelope in the
    /// device's outbox, so a closed tab does not lose it; returns the envelope
    /// and whether it was kept. Until the sealing module can be loaded the
    /// answers are only in this page's memory, never stored readable: it is
    /// tried again (and the form says why) until it works, also after the
    /// form is taken down, so a submission the patient sent is never dropped.
    async fn seal_and_keep(
        self,
        key: &str,
        endpoint: &str,
        id: &str,
        body: &str,
        format: Format,
    ) -> (String, bool) {
        let mut failures = 0u32;
        loop {
            #[cfg(target_arch = "wasm32")]
            if let Ok(envelope) = crate::seal::seal(body, id, format.content_type(), key).await {
                let kept = crate::outbox::keep(id, endpoint, &envelope).await;
                return (envelope, kept);
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (key, endpoint, id, body, format);
            failures += 1;
            let _ = self.state.try_set(SendState::Retrying {
                msg: Msg::SendSealWaiting,
                then: Msg::SendRetrying,
            });
            let hurried = move || {
                self.hurry
                    .try_update(|h| std::mem::replace(h, false))
                    .unwrap_or(false)
            };
            courier::wait(
                backoff_ms(failures, None, crate::delivery::jitter()).min(MODULE_RETRY_MAX_MS),
                &hurried,
            )
            .await;
        }
    }
}

/// Loads the sealing module as the form starts, trying again until it is
/// in, so a send never waits on the network for it; `missing` is true while
/// the last try failed (the patient is told before reaching Review).
pub fn load_sealing(missing: RwSignal<bool>) {
    leptos::task::spawn_local(async move {
        let mut failures = 0u32;
        loop {
            #[cfg(target_arch = "wasm32")]
            let loaded = crate::bridge::seal_module().await.is_ok();
            #[cfg(not(target_arch = "wasm32"))]
            let loaded = false;
            // The form was taken down meanwhile: its send loads what it needs.
            if missing.try_set(!loaded).is_some() || loaded {
                return;
            }
            failures += 1;
            courier::sleep(
                backoff_ms(failures, None, crate::delivery::jitter()).min(MODULE_RETRY_MAX_MS),
            )
            .await;
        }
    });
}

/// The context of a real Submit press: a fresh id and the current time.
fn submit_context(mode: Mode, lang: &str) -> Option<SubmitContext> {
    let mut bytes = [0u8; 16];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(SubmitContext {
        submission_id: uuid_v4_from_bytes(bytes),
        submitted_at: js_sys::Date::new_0().to_iso_string().as_string()?,
        locale: lang.to_owned(),
        mode,
    })
}

/// What the answers say about the visit, for "what to expect" after Send.
pub fn expect_facts(draft: &IntakeDraft, mode: Mode, lang: &str) -> intake_core::expect::Facts {
    let ctx = submit_context(mode, lang).unwrap_or_else(|| placeholder_context(mode));
    draft.to_submission(&ctx).expect_facts()
}

/// A context for checking answers before Send: only the answers' errors
/// matter, so the envelope is a fixed valid one.
pub fn placeholder_context(mode: Mode) -> SubmitContext {
    SubmitContext {
        submission_id: uuid_v4_from_bytes([0; 16]),
        submitted_at: "2000-01-01T00:00:00Z".to_owned(),
        locale: intake_core::Locale::En.tag().to_owned(),
        mode,
    }
}

/// The patient's local date: "in the future" means after today where they are.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date {
        year: now.get_full_year(),
        month: now.get_month() + 1,
        day: now.get_date(),
    }
}

/// This moment, RFC 3339 UTC (empty outside a browser).
pub fn now_utc() -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::Rules;

    #[test]
    fn the_check_context_is_itself_valid() {
        let ctx = placeholder_context(Mode::Kiosk);
        let draft = IntakeDraft {
            given_name: "Ana".into(),
            family_name: "Silva".into(),
            date_of_birth: "1961-04-12".into(),
            phone: "401-423-4433".into(),
            reason: "Back pain".into(),
            conditions: vec!["none".into()],
            takes_medications: "no".into(),
            blood_thinners: "no".into(),
            allergies: vec!["none".into()],
            consent_treatment: true,
            consent_privacy: true,
            signature_name: "Ana Silva".into(),
            ..IntakeDraft::default()
        };
        let today = Date::parse("2026-11-27").expect("date");
        assert_eq!(
            draft.to_submission(&ctx).validate(&Rules::on(today)).errors,
            vec![],
            "the envelope adds no errors"
        );
    }
}
