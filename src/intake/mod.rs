//! The intake form: the patient's answers, checked by `intake-core`, sent once.

pub mod field;
#[cfg(target_arch = "wasm32")]
pub mod remember;

use intake_core::config::{Endpoint, Format, Mode};
use intake_core::{uuid_v4_from_bytes, Date, FieldError, IntakeDraft, Msg, SubmitContext};
use leptos::prelude::*;

use crate::app::focus_by_id;
use crate::rules;
use crate::text::use_texts;
use crate::transport::{backoff_ms, send, SendOutcome};
use field::{field_id, fields, FieldSpec, FormContext};

/// Who the patient is and why they come.
const ABOUT: &[FieldSpec] = &[
    FieldSpec::text(
        "patient.given_name",
        Msg::FieldGivenName,
        "text",
        "given-name",
        |d| &d.given_name,
        |d, v| d.given_name = v,
    ),
    FieldSpec::text(
        "patient.family_name",
        Msg::FieldFamilyName,
        "text",
        "family-name",
        |d| &d.family_name,
        |d, v| d.family_name = v,
    ),
    FieldSpec::text(
        "patient.date_of_birth",
        Msg::FieldDateOfBirth,
        "date",
        "bday",
        |d| &d.date_of_birth,
        |d, v| d.date_of_birth = v,
    ),
    FieldSpec::text(
        "patient.phone",
        Msg::FieldPhone,
        "tel",
        "tel",
        |d| &d.phone,
        |d, v| d.phone = v,
    )
    .hint(Msg::FieldPhoneHint)
    .inputmode("tel"),
    FieldSpec::text(
        "visit.reason",
        Msg::FieldReason,
        "text",
        "off",
        |d| &d.reason,
        |d, v| d.reason = v,
    )
    .hint(Msg::FieldReasonHint),
];

/// A minor's parent or guardian.
const GUARDIAN: &[FieldSpec] = &[
    FieldSpec::text(
        "consents.guardian.name",
        Msg::FieldGuardianName,
        "text",
        "off",
        |d| &d.guardian_name,
        |d, v| d.guardian_name = v,
    )
    .also("consents.guardian"),
    FieldSpec::text(
        "consents.guardian.relationship",
        Msg::FieldGuardianRelationship,
        "text",
        "off",
        |d| &d.guardian_relationship,
        |d, v| d.guardian_relationship = v,
    )
    .hint(Msg::FieldGuardianRelationshipHint),
    FieldSpec::text(
        "consents.guardian.phone",
        Msg::FieldGuardianPhone,
        "tel",
        "off",
        |d| &d.guardian_phone,
        |d, v| d.guardian_phone = v,
    )
    .inputmode("tel"),
];

/// Consents and the signature.
const AGREE: &[FieldSpec] = &[
    FieldSpec::check(
        "consents.treatment",
        Msg::FieldConsentTreatment,
        |d| d.consent_treatment,
        |d, v| d.consent_treatment = v,
    )
    .hint(Msg::FieldConsentTreatmentHint),
    FieldSpec::check(
        "consents.privacy_notice",
        Msg::FieldConsentPrivacy,
        |d| d.consent_privacy,
        |d, v| d.consent_privacy = v,
    )
    .hint(Msg::FieldConsentPrivacyHint),
    FieldSpec::text(
        "signature.typed_name",
        Msg::FieldSignatureName,
        "text",
        "off",
        |d| &d.signature_name,
        |d, v| d.signature_name = v,
    )
    .hint(Msg::FieldSignatureNameHint),
];

/// Where sending stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendState {
    Idle,
    Sending,
    /// An attempt failed in a way nobody can fix now (offline, the server's
    /// trouble); the same submission is tried again soon. The message says why.
    Retrying {
        msg: Msg,
    },
    /// Sending stopped; the message says what to do.
    Failed {
        msg: Msg,
        status: u16,
    },
}

/// The submission being sent, as its JSON body, with the draft it was made
/// from: pressing Send again with unchanged answers re-sends the same
/// submission id and body.
#[derive(Clone, Debug)]
struct Pending {
    draft: IntakeDraft,
    id: String,
    body: String,
}

/// The body to send: as written, or, with a public key, sealed to it and
/// kept in the device's outbox first (so a closed tab does not lose it).
/// `None` when sealing was asked for and is not possible: nothing is then
/// sent in clear instead.
#[allow(clippy::unused_async)]
async fn sealed(
    public_key: &Option<String>,
    endpoint: &Endpoint,
    id: &str,
    body: String,
    format: Format,
) -> Option<String> {
    let Some(key) = public_key else {
        return Some(body);
    };
    #[cfg(target_arch = "wasm32")]
    {
        let envelope = crate::seal::seal(&body, id, format.content_type(), key)
            .await
            .ok()?;
        crate::seal::keep(id, endpoint.as_str(), &envelope).await;
        Some(envelope)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (key, endpoint, id, format);
        None
    }
}

/// Answers remembered on this device, if any (none outside a browser).
fn restore() -> Option<IntakeDraft> {
    #[cfg(target_arch = "wasm32")]
    return remember::load();
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// "Remember my answers on this device", with "Forget them" while any are
/// kept. Static markup with one handler for its two controls: as Leptos views
/// the block cost the form module 4 KB gzip.
#[component]
fn Remember(
    remembering: RwSignal<bool>,
    was_restored: bool,
    draft: RwSignal<IntakeDraft>,
) -> impl IntoView {
    use crate::learn::escape;
    let texts = use_texts();
    let hidden = if was_restored { "" } else { " hidden" };
    let markup = format!(
        concat!(
            r#"<p class="mi-restored"{hidden}>{restored}</p>"#,
            r#"<div class="mi-field mi-check"><input type="checkbox" class="mi-checkbox" id="mi-remember" aria-describedby="mi-remember-hint"{checked}>"#,
            r#"<label class="mi-label" for="mi-remember">{label}</label>"#,
            r#"<p class="mi-hint" id="mi-remember-hint">{hint}</p></div>"#,
            r#"<button type="button" class="mi-more" id="mi-forget"{hidden}>{forget}</button>"#
        ),
        hidden = hidden,
        restored = escape(texts.t(Msg::RememberRestored)),
        checked = if was_restored { " checked" } else { "" },
        label = escape(texts.t(Msg::RememberLabel)),
        hint = escape(texts.t(Msg::RememberHint)),
        forget = escape(texts.t(Msg::RememberForget)),
    );
    let on_event = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let Some(block) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let on = match (ev.type_().as_str(), target.id().as_str()) {
            ("change", "mi-remember") => event_target_checked(&ev),
            ("click", "mi-forget") => false,
            _ => return,
        };
        remembering.set(on);
        #[cfg(target_arch = "wasm32")]
        if on {
            draft.with_untracked(remember::save);
        } else {
            remember::forget();
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = draft;
        if let Ok(Some(checkbox)) = block.query_selector("#mi-remember") {
            if let Ok(checkbox) = checkbox.dyn_into::<web_sys::HtmlInputElement>() {
                checkbox.set_checked(on);
            }
        }
        for selector in ["#mi-forget", ".mi-restored"] {
            if let Ok(Some(el)) = block.query_selector(selector) {
                let _ = el.toggle_attribute_with_force(
                    "hidden",
                    !on || (selector == ".mi-restored" && !was_restored),
                );
            }
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        on_event(wasm_bindgen::JsCast::unchecked_into(ev));
    };
    view! { <div class="mi-remember" inner_html=markup on:change=on_event on:click=on_click></div> }
}

/// The one-step intake form.
#[component]
pub fn IntakeForm(
    endpoint: Endpoint,
    mode: Mode,
    /// How long one attempt may take before it is tried again.
    #[prop(default = 15)]
    timeout_seconds: u32,
    /// How the submission is written.
    #[prop(default = Format::Json)]
    format: Format,
    /// The clinic's public key: submissions are sealed to it, and kept on
    /// the device (sealed) until stored.
    #[prop(default = None)]
    public_key: Option<String>,
    on_done: Callback<String>,
) -> impl IntoView {
    let texts = use_texts();
    // At home, answers remembered on this device come back (never on a kiosk).
    let kiosk = mode == Mode::Kiosk;
    let restored = (!kiosk).then(restore).flatten();
    let remembering = RwSignal::new(restored.is_some());
    let was_restored = restored.is_some();
    let draft = RwSignal::new(restored.unwrap_or_default());
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let state = RwSignal::new(SendState::Idle);
    let summary = RwSignal::new(String::new());
    let pending: StoredValue<Option<Pending>> = StoredValue::new(None);
    // After a failed attempt, every change re-checks so a fixed field clears
    // at once. Checks are asynchronous: only the newest one's answer counts.
    let checked_once = RwSignal::new(false);
    let latest_check = StoredValue::new(0u32);
    let recheck = move || {
        if !checked_once.get_untracked() {
            return;
        }
        latest_check.update_value(|n| *n += 1);
        let this_check = latest_check.get_value();
        let current = draft.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(checked) =
                rules::check(&current, &placeholder_context(mode), today(), Format::Json).await
            {
                if latest_check.get_value() == this_check {
                    errors.set(checked.errors);
                }
            }
        });
    };
    let show_errors = move |found: Vec<FieldError>| {
        let summary_text = match found.len() {
            1 => texts.t(Msg::IntakeErrorSummaryOne).to_owned(),
            n => texts.f(Msg::IntakeErrorSummary, &[("count", &n.to_string())]),
        };
        if let Some(first) = found.first() {
            let id = match first.path.as_str() {
                "consents.guardian" => field_id("consents.guardian.name"),
                path => field_id(path),
            };
            focus_by_id(&id);
        }
        errors.set(found);
        summary.set(summary_text);
    };
    let fail = move |msg: Msg, status: u16| state.set(SendState::Failed { msg, status });

    // "Try now" cuts the wait before the next attempt short.
    let hurry = RwSignal::new(false);
    let try_now = move || hurry.set(true);

    let submit = move || {
        // One submission at a time: double clicks and Enter presses end here.
        // While waiting to retry, the button means "try now".
        match state.get_untracked() {
            SendState::Sending => return,
            SendState::Retrying { .. } => return try_now(),
            _ => {}
        }
        state.set(SendState::Sending);
        let current = draft.get_untracked();
        let reuse = pending.with_value(|p| {
            p.as_ref()
                .filter(|p| p.draft == current)
                .map(|p| (p.id.clone(), p.body.clone()))
        });
        let endpoint = endpoint.clone();
        let public_key = public_key.clone();
        leptos::task::spawn_local(async move {
            // After a kiosk reset this form is gone: stop touching it.
            let mine = generation();
            let gone = move || generation() != mine;
            let (id, body) = match reuse {
                Some(sent) => sent,
                None => {
                    let Some(ctx) = submit_context(mode, texts.lang()) else {
                        return fail(Msg::SendRejected, 0);
                    };
                    let checked = rules::check(&current, &ctx, today(), format).await;
                    if gone() {
                        return;
                    }
                    let Ok(checked) = checked else {
                        return fail(Msg::SendRulesUnavailable, 0);
                    };
                    match checked.body {
                        Some(body) if checked.errors.is_empty() => {
                            let sealed =
                                sealed(&public_key, &endpoint, &ctx.submission_id, body, format)
                                    .await;
                            if gone() {
                                return;
                            }
                            match sealed {
                                Some(body) => (ctx.submission_id, body),
                                None => return fail(Msg::SendRulesUnavailable, 0),
                            }
                        }
                        _ => {
                            state.set(SendState::Idle);
                            checked_once.set(true);
                            show_errors(checked.errors);
                            return;
                        }
                    }
                }
            };
            // From here until stored, leaving the page asks first.
            set_unsent(true);
            let content_type = if public_key.is_some() {
                intake_core::config::SEALED_CONTENT_TYPE
            } else {
                format.content_type()
            };
            IN_FLIGHT.with(|f| {
                *f.borrow_mut() = Some(InFlight {
                    endpoint: endpoint.as_str().to_owned(),
                    id: id.clone(),
                    body: body.clone(),
                    content_type,
                })
            });
            pending.set_value(Some(Pending {
                draft: current,
                id: id.clone(),
                body: body.clone(),
            }));
            errors.set(Vec::new());
            summary.set(String::new());
            // Retry what nobody can fix now, with the same key, until it is
            // stored: the submission leaves only on a 2xx.
            let mut failures = 0u32;
            loop {
                let outcome = send(
                    endpoint.as_str(),
                    &id,
                    &body,
                    content_type,
                    timeout_seconds * 1000,
                )
                .await;
                if gone() {
                    return;
                }
                if !matches!(
                    outcome,
                    SendOutcome::Unreachable | SendOutcome::ServerError(..)
                ) {
                    IN_FLIGHT.with(|f| f.borrow_mut().take());
                }
                let (msg, retry_after) = match outcome {
                    SendOutcome::Accepted { reference } => {
                        #[cfg(target_arch = "wasm32")]
                        remember::forget();
                        #[cfg(target_arch = "wasm32")]
                        if public_key.is_some() {
                            crate::seal::forget(&id).await;
                        }
                        if gone() {
                            return;
                        }
                        pending.set_value(None);
                        set_unsent(false);
                        state.set(SendState::Idle);
                        on_done.run(reference);
                        return;
                    }
                    SendOutcome::Invalid(found) => {
                        set_unsent(false);
                        state.set(SendState::Idle);
                        checked_once.set(true);
                        show_errors(found);
                        return;
                    }
                    SendOutcome::Rejected(status) => return fail(Msg::SendRejected, status),
                    SendOutcome::Unreachable => (Msg::SendRetryOffline, None),
                    SendOutcome::ServerError(_, retry_after) => (Msg::SendRetryServer, retry_after),
                };
                failures += 1;
                state.set(SendState::Retrying { msg });
                wait(
                    backoff_ms(failures, retry_after, 0.5 + js_sys::Math::random() / 2.0),
                    hurry,
                )
                .await;
                if gone() {
                    return;
                }
                state.set(SendState::Sending);
            }
        });
    };
    let form = FormContext {
        draft,
        errors,
        mode,
        on_edit: Callback::new(move |()| {
            #[cfg(target_arch = "wasm32")]
            if remembering.get_untracked() {
                draft.with_untracked(remember::save);
            }
            recheck();
        }),
    };
    // The guardian's fields appear once the date of birth says under 18.
    let minor = move || draft.with(|d| d.is_minor_on(today()));
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
                {(!kiosk).then(|| view! { <Remember remembering was_restored draft /> })}
                {fields(ABOUT, form)}
                // Always in the page, shown once the date of birth says under 18:
                // toggling `hidden` keeps typed answers and costs no re-render.
                <fieldset class="mi-group" hidden=move || !minor()>
                    <legend>{texts.t(Msg::GuardianHeading)}</legend>
                    <p class="mi-hint">{texts.t(Msg::GuardianIntro)}</p>
                    {fields(GUARDIAN, form)}
                </fieldset>
                {fields(AGREE, form)}
                <p class="mi-sr-only" role="status" aria-live="polite">{move || summary.get()}</p>
                {move || {
                    state
                        .with(|s| match s {
                            SendState::Failed { msg, status } => {
                                Some(("mi-send-error", "alert", texts.f(*msg, &[("status", &status.to_string())])))
                            }
                            SendState::Retrying { msg } => {
                                Some(("mi-send-retry", "status", format!("{} {}", texts.t(*msg), texts.t(Msg::SendRetrying))))
                            }
                            _ => None,
                        })
                        .map(|(class, role, text)| view! { <p class=class role=role>{text}</p> })
                }}
                <button type="submit" class="mi-button mi-button--primary" aria-disabled=move || (state.get() == SendState::Sending).then_some("true")>
                    {move || match state.get() {
                        SendState::Sending => texts.t(Msg::IntakeSending),
                        SendState::Retrying { .. } => texts.t(Msg::SendTryNow),
                        SendState::Failed { .. } => texts.t(Msg::SendTryAgain),
                        SendState::Idle => texts.t(Msg::IntakeSubmit),
                    }}
                </button>
            </form>
        </section>
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

/// Waits `ms`, or less once `hurry` is set ("Try now").
async fn wait(ms: u32, hurry: RwSignal<bool>) {
    hurry.set(false);
    let mut waited = 0;
    while waited < ms && !hurry.get_untracked() {
        let step = (ms - waited).min(250);
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, step as i32);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        waited += step;
    }
}

/// A submission on its way, as sent.
struct InFlight {
    endpoint: String,
    id: String,
    body: String,
    content_type: &'static str,
}

thread_local! {
    /// Which mounting of the form is current; a kiosk reset moves it on.
    static GENERATION: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The submission on its way, until it is stored or refused.
    static IN_FLIGHT: std::cell::RefCell<Option<InFlight>> = const { std::cell::RefCell::new(None) };
}

fn generation() -> u32 {
    GENERATION.with(std::cell::Cell::get)
}

/// A new mounting of the form (or none): tasks of the old one stop.
pub fn next_generation() {
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
}

/// Hands a submission still on its way to `boot.js`, which keeps sending it
/// from memory until it is stored (sealed ones are in the outbox already).
pub fn hand_over_pending() {
    let Some(sending) = IN_FLIGHT.with(|f| f.borrow_mut().take()) else {
        return;
    };
    if sending.content_type == intake_core::config::SEALED_CONTENT_TYPE {
        return;
    }
    let record = js_sys::Object::new();
    for (key, value) in [
        ("id", sending.id.as_str()),
        ("endpoint", sending.endpoint.as_str()),
        ("type", sending.content_type),
        ("body", sending.body.as_str()),
    ] {
        let _ = js_sys::Reflect::set(&record, &key.into(), &value.into());
    }
    let _ = crate::shell::call_global("massageIntakeBackground", &record);
}

/// Tells the page (boot.js) whether a submission is unsent, so that leaving
/// asks for confirmation then, and only then.
fn set_unsent(unsent: bool) {
    let global = js_sys::global();
    if let Ok(f) = js_sys::Reflect::get(&global, &"massageIntakeUnsent".into()) {
        if let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&f) {
            let _ = f.call1(&global, &unsent.into());
        }
    }
}

/// The patient's local date: "in the future" means after today where they are.
fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date {
        year: now.get_full_year(),
        month: now.get_month() + 1,
        day: now.get_date(),
    }
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
    use intake_core::Rules;

    #[test]
    fn the_recheck_context_is_itself_valid() {
        let ctx = placeholder_context(Mode::Kiosk);
        let draft = IntakeDraft {
            given_name: "Ana".into(),
            family_name: "Silva".into(),
            date_of_birth: "1961-04-12".into(),
            phone: "401-423-4433".into(),
            reason: "Back pain".into(),
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
