//! The intake form: the patient's answers, checked by `intake-core`, sent once.

pub mod field;

use intake_core::config::{Endpoint, Mode};
use intake_core::submission::paths;
use intake_core::{uuid_v4_from_bytes, FieldError, IntakeDraft, Msg, Submission, SubmitContext};
use leptos::prelude::*;

use crate::app::focus_by_id;
use crate::text::use_texts;
use crate::transport::{send, SendOutcome};
use field::{field_id, FieldKind, InputField};

/// Where sending stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendState {
    Idle,
    Sending,
    /// The last attempt failed; the message says what to do.
    Failed {
        msg: Msg,
        status: u16,
    },
}

/// The submission being sent, with the draft it was made from: pressing Send
/// again with unchanged answers re-sends the same submission id.
#[derive(Clone, Debug)]
struct Pending {
    draft: IntakeDraft,
    submission: Submission,
}

/// The one-step intake form.
#[component]
pub fn IntakeForm(endpoint: Endpoint, mode: Mode, on_done: Callback<String>) -> impl IntoView {
    let texts = use_texts();
    let draft = RwSignal::new(IntakeDraft::default());
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let state = RwSignal::new(SendState::Idle);
    let summary = RwSignal::new(String::new());
    let pending: StoredValue<Option<Pending>> = StoredValue::new(None);
    // After a failed attempt, every change re-checks so a fixed field clears at once.
    let checked_once = RwSignal::new(false);
    let recheck = move || {
        if checked_once.get_untracked() {
            let ctx = placeholder_context(mode);
            errors.set(draft.with_untracked(|d| d.to_submission(&ctx).err().unwrap_or_default()));
        }
    };
    let show_errors = move |found: Vec<FieldError>| {
        let summary_text = match found.len() {
            1 => texts.t(Msg::IntakeErrorSummaryOne).to_owned(),
            n => texts.f(Msg::IntakeErrorSummary, &[("count", &n.to_string())]),
        };
        if let Some(first) = found.first() {
            focus_by_id(&field_id(&first.path));
        }
        errors.set(found);
        summary.set(summary_text);
    };
    let submit = move || {
        if state.get_untracked() == SendState::Sending {
            return;
        }
        let current = draft.get_untracked();
        let reuse = pending.with_value(|p| {
            p.as_ref()
                .filter(|p| p.draft == current)
                .map(|p| p.submission.clone())
        });
        let submission = match reuse {
            Some(submission) => submission,
            None => {
                let Some(ctx) = submit_context(mode, texts.lang()) else {
                    state.set(SendState::Failed {
                        msg: Msg::SendRejected,
                        status: 0,
                    });
                    return;
                };
                match current.to_submission(&ctx) {
                    Ok(submission) => submission,
                    Err(found) => {
                        checked_once.set(true);
                        show_errors(found);
                        return;
                    }
                }
            }
        };
        pending.set_value(Some(Pending {
            draft: current,
            submission: submission.clone(),
        }));
        errors.set(Vec::new());
        summary.set(String::new());
        state.set(SendState::Sending);
        let endpoint = endpoint.clone();
        leptos::task::spawn_local(async move {
            match send(endpoint.as_str(), &submission).await {
                SendOutcome::Accepted { reference } => {
                    pending.set_value(None);
                    state.set(SendState::Idle);
                    on_done.run(reference);
                }
                SendOutcome::Invalid(found) => {
                    state.set(SendState::Idle);
                    checked_once.set(true);
                    show_errors(found);
                }
                SendOutcome::Unreachable => state.set(SendState::Failed {
                    msg: Msg::SendOffline,
                    status: 0,
                }),
                SendOutcome::ServerError(status) => state.set(SendState::Failed {
                    msg: Msg::SendServerError,
                    status,
                }),
                SendOutcome::Rejected(status) => state.set(SendState::Failed {
                    msg: Msg::SendRejected,
                    status,
                }),
            }
        });
    };
    let text_value = move |get: fn(&IntakeDraft) -> &String| {
        Signal::derive(move || draft.with(|d| get(d).clone()))
    };
    let text_setter = move |set: fn(&mut IntakeDraft, String)| {
        Callback::new(move |v: String| {
            draft.update(|d| set(d, v));
            recheck();
        })
    };
    let text_kind = move |input_type, token, inputmode, value, on_input| FieldKind::Text {
        input_type,
        autocomplete: autocomplete(mode, token),
        inputmode,
        value,
        on_input,
    };
    let sending = move || state.get() == SendState::Sending;
    view! {
        <section class="mi-card mi-intake" aria-labelledby="mi-intake-heading">
            <h2 id="mi-intake-heading" tabindex="-1">{texts.t(Msg::IntakeHeading)}</h2>
            <p>{texts.t(Msg::IntakeIntro)}</p>
            <p class="mi-hint">{texts.t(Msg::IntakeRequiredNote)}</p>
            <form
                class="mi-form"
                novalidate=true
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <InputField
                    path=paths::GIVEN_NAME
                    label=Msg::FieldGivenName
                    kind=text_kind("text", "given-name", None, text_value(|d| &d.given_name), text_setter(|d, v| d.given_name = v))
                    errors
                />
                <InputField
                    path=paths::FAMILY_NAME
                    label=Msg::FieldFamilyName
                    kind=text_kind("text", "family-name", None, text_value(|d| &d.family_name), text_setter(|d, v| d.family_name = v))
                    errors
                />
                <InputField
                    path=paths::PHONE
                    label=Msg::FieldPhone
                    hint=Msg::FieldPhoneHint
                    kind=text_kind("tel", "tel", Some("tel"), text_value(|d| &d.phone), text_setter(|d, v| d.phone = v))
                    errors
                />
                <InputField
                    path=paths::CONSENT_TREATMENT
                    label=Msg::FieldConsentTreatment
                    hint=Msg::FieldConsentTreatmentHint
                    kind=FieldKind::Check {
                        checked: Signal::derive(move || draft.with(|d| d.consent_treatment)),
                        on_change: Callback::new(move |v| {
                            draft.update(|d| d.consent_treatment = v);
                            recheck();
                        }),
                    }
                    errors
                />
                <p class="mi-sr-only" role="status" aria-live="polite">{move || summary.get()}</p>
                {move || match state.get() {
                    SendState::Failed { msg, status } => Some(view! {
                        <p class="mi-send-error" role="alert">{texts.f(msg, &[("status", &status.to_string())])}</p>
                    }),
                    _ => None,
                }}
                <button type="submit" class="mi-button mi-button--primary" aria-disabled=move || sending().then_some("true")>
                    {move || match state.get() {
                        SendState::Sending => texts.t(Msg::IntakeSending),
                        SendState::Failed { .. } => texts.t(Msg::SendTryAgain),
                        SendState::Idle => texts.t(Msg::IntakeSubmit),
                    }}
                </button>
            </form>
        </section>
    }
}

/// Kiosk tablets are shared: the browser must not remember one patient's
/// answers for the next.
fn autocomplete(mode: Mode, token: &'static str) -> &'static str {
    match mode {
        Mode::Kiosk => "off",
        _ => token,
    }
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

/// A context for re-checking answers while the patient types: only the
/// answers' errors matter, so the envelope is a fixed valid one.
fn placeholder_context(mode: Mode) -> SubmitContext {
    SubmitContext {
        submission_id: uuid_v4_from_bytes([0; 16]),
        submitted_at: "2000-01-01T00:00:00Z".to_owned(),
        locale: intake_core::Locale::En.tag().to_owned(),
        mode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosk_mode_turns_autocomplete_off() {
        assert_eq!(autocomplete(Mode::Kiosk, "tel"), "off");
        assert_eq!(autocomplete(Mode::Standalone, "tel"), "tel");
        assert_eq!(autocomplete(Mode::Embedded, "given-name"), "given-name");
    }

    #[test]
    fn the_recheck_context_is_itself_valid() {
        let ctx = placeholder_context(Mode::Kiosk);
        let draft = IntakeDraft {
            given_name: "Ana".into(),
            family_name: "Silva".into(),
            phone: "401-423-4433".into(),
            consent_treatment: true,
        };
        assert!(
            draft.to_submission(&ctx).is_ok(),
            "the envelope must not add errors of its own"
        );
    }
}
