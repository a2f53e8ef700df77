//! The intake form: the patient's answers, checked by `intake-core`, sent once.

mod bodymap;
mod diagnoses;
pub mod field;
pub(crate) mod history;
mod medications;
mod photo;
#[cfg(target_arch = "wasm32")]
pub mod remember;
mod review;
mod signature;
pub mod steps;

pub use bodymap::toggle as toggle_region;
pub use diagnoses::{choices as diagnosis_choices, Choice};
pub use photo::{decoded_len, scaled as photo_size};
pub use signature::extend_path;

use intake_core::config::{Endpoint, Format, Mode};
use intake_core::{uuid_v4_from_bytes, Date, FieldError, IntakeDraft, Msg, Step, SubmitContext};
use leptos::prelude::*;

use crate::learn::escape;
use crate::rules;
use crate::text::use_texts;
use crate::transport::{backoff_ms, send, SendOutcome};
use field::{fields, FormContext};
use steps::{blocks, title, Block};

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

/// The submission being sent, as its JSON body, with the draft it was made
/// from: pressing Send again with unchanged answers re-sends the same
/// submission id and body.
#[derive(Clone, Debug)]
struct Pending {
    draft: IntakeDraft,
    id: String,
    body: String,
    /// Sealed and kept in the device's outbox.
    kept: bool,
}

/// The longest wait between two tries at loading the sealing module: a
/// failed fetch of it costs nothing, and the patient is waiting.
const SEAL_RETRY_MAX_MS: u32 = 5_000;

/// Seals `body` to the clinic's `key` and keeps the envelope in the device's
/// outbox, so a closed tab does not lose it; returns the envelope and whether
/// it was kept. Until the sealing module can be loaded the answers are only in
/// this page's memory, never stored readable: it is tried again (and `state`
/// says why) until it works. It goes on after the form is taken down (a kiosk
/// reset), so a submission the patient sent is queued, never dropped.
async fn seal_and_keep(
    key: &str,
    endpoint: &Endpoint,
    id: &str,
    body: &str,
    format: Format,
    state: RwSignal<SendState>,
    hurry: RwSignal<bool>,
) -> (String, bool) {
    let mut failures = 0u32;
    loop {
        #[cfg(target_arch = "wasm32")]
        if let Ok(envelope) = crate::seal::seal(body, id, format.content_type(), key).await {
            let kept = crate::seal::keep(id, endpoint.as_str(), &envelope).await;
            return (envelope, kept);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (key, endpoint, id, body, format);
        failures += 1;
        let _ = state.try_set(SendState::Retrying {
            msg: Msg::SendSealWaiting,
            then: Msg::SendRetrying,
        });
        wait(
            backoff_ms(failures, None, jitter()).min(SEAL_RETRY_MAX_MS),
            hurry,
        )
        .await;
    }
}

/// Loads the sealing module as the form starts, trying again until it is in,
/// so a send never waits on the network for it; `missing` is true while the
/// last try failed (the patient is told before reaching Review).
fn load_sealing(missing: RwSignal<bool>) {
    leptos::task::spawn_local(async move {
        let mut failures = 0u32;
        loop {
            #[cfg(target_arch = "wasm32")]
            let loaded = crate::seal::load().await;
            #[cfg(not(target_arch = "wasm32"))]
            let loaded = false;
            // The form was taken down meanwhile: its send loads what it needs.
            if missing.try_set(!loaded).is_some() || loaded {
                return;
            }
            failures += 1;
            sleep(backoff_ms(failures, None, jitter()).min(SEAL_RETRY_MAX_MS)).await;
        }
    });
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
        // Remembered answers survive a reload: leaving need not ask; once
        // forgotten, it asks.
        history::set_answers(!on);
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

/// The intake, one step at a time.
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
    /// The clinic's full privacy notice, linked from the privacy consent.
    #[prop(default = None)]
    privacy_url: Option<String>,
    on_done: Callback<String>,
) -> impl IntoView {
    PRIVACY_URL.with(|u| *u.borrow_mut() = privacy_url);
    let texts = use_texts();
    // At home, answers remembered on this device come back (never on a kiosk).
    let kiosk = mode == Mode::Kiosk;
    // Answers handed over by a language switch come first.
    let handed = HANDOFF.with(|h| h.borrow_mut().take());
    let (handed_draft, handed_step) = match handed {
        Some((draft, step)) => (Some(draft), step),
        None => (None, Step::About),
    };
    let handed_over = handed_draft.is_some();
    let restored = (!kiosk && handed_draft.is_none()).then(restore).flatten();
    let remembering = RwSignal::new(restored.is_some());
    let was_restored = restored.is_some();
    let draft = RwSignal::new(handed_draft.or(restored).unwrap_or_default());
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let warnings: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let state = RwSignal::new(SendState::Idle);
    let sealing_missing = RwSignal::new(false);
    if public_key.is_some() {
        load_sealing(sealing_missing);
    }
    let summary = RwSignal::new(String::new());
    let pending: StoredValue<Option<Pending>> = StoredValue::new(None);
    // Remembered answers after a reload come back on the step the patient
    // was on (its history entry says which).
    let first_step = match (was_restored, history::current()) {
        (true, Some(at)) if mode == Mode::Standalone && draft.with_untracked(|d| at.applies(d)) => {
            at
        }
        _ => handed_step,
    };
    let step = RwSignal::new(first_step);
    LIVE.with(|l| *l.borrow_mut() = Some((draft, step)));
    // Came from Review through an Edit button: the way on leads back there.
    let returning = RwSignal::new(false);
    let shown = Memo::new(move |_| draft.with(Step::shown));
    // After Next found a problem, every change re-checks so a fixed field
    // clears at once. Checks are asynchronous: only the newest one's answer counts.
    let checked_once = RwSignal::new(false);
    let latest_check = StoredValue::new(0u32);
    let on_this_step = move |found: Vec<FieldError>, here: Step| -> Vec<FieldError> {
        found
            .into_iter()
            .filter(|e| here == Step::Review || Step::of_path(&e.path) == here)
            .collect()
    };
    let recheck = move || {
        if !checked_once.get_untracked() {
            return;
        }
        latest_check.update_value(|n| *n += 1);
        let this_check = latest_check.get_value();
        let current = draft.get_untracked();
        let mine = generation();
        leptos::task::spawn_local(async move {
            if let Ok(checked) =
                rules::check(&current, &placeholder_context(mode), today(), Format::Json).await
            {
                // After a kiosk reset or a language switch this form is gone.
                if generation() == mine && latest_check.get_value() == this_check {
                    let here = on_this_step(checked.errors, step.get_untracked());
                    // All fixed: the summary read out earlier goes too.
                    if here.is_empty() {
                        summary.set(String::new());
                    }
                    errors.set(here);
                    warnings.set(checked.warnings);
                }
            }
        });
    };
    // On the standalone page each step is an entry of the browser's history:
    // Back and Forward move between steps with every answer kept. Never in a
    // frame (the host page's Back is its own, and its history's length would
    // tell it how many steps the patient saw) nor on a kiosk (Back must never
    // lead to a patient's step).
    let in_history = history::start(mode == Mode::Standalone && !history::framed(), switching());
    if in_history {
        history::mark(step.get_untracked(), false);
        let popped = leptos::prelude::window_event_listener(leptos::ev::popstate, move |ev| {
            let Some(to) = history::popped(&ev.state()) else {
                return;
            };
            // A step that no longer applies (a prescription step after
            // "no prescription"): the one before it that does.
            let shown_now = shown.get_untracked();
            let Some(to) = shown_now.iter().rev().find(|s| **s <= to).copied() else {
                return;
            };
            if to != step.get_untracked() {
                returning.set(false);
                errors.set(Vec::new());
                summary.set(String::new());
                step.set(to);
                crate::app::focus_when_rendered("mi-intake-heading");
            }
        });
        on_cleanup(move || popped.remove());
    }
    // Leaving the page with answers on the screen asks first, unless they are
    // remembered on this device (then a reload brings them back). Answers
    // count from the first edit (see `on_edit`), or from the start when a
    // language switch handed them over: comparing the whole draft with an
    // empty one would cost the module 1 KB.
    history::set_answers(handed_over && !remembering.get_untracked());
    on_cleanup(|| history::set_answers(false));
    let go = move |to: Step| {
        step.set(to);
        summary.set(String::new());
        history::mark(to, true);
        crate::app::focus_when_rendered("mi-intake-heading");
    };
    // Shows problems where they are: on their step, the first one focused,
    // a summary read out.
    let show_errors = move |found: Vec<FieldError>| {
        let Some(first) = found.first() else { return };
        let at = Step::of_path(&first.path);
        if at != step.get_untracked() && at != Step::Review {
            step.set(at);
            history::mark(at, true);
        }
        let here = on_this_step(found, step.get_untracked());
        let summary_text = match here.len() {
            1 => texts.t(Msg::IntakeErrorSummaryOne).to_owned(),
            n => texts.f(Msg::IntakeErrorSummary, &[("count", &n.to_string())]),
        };
        errors.set(here);
        summary.set(summary_text);
        checked_once.set(true);
        request_animation_frame(focus_first_invalid);
    };
    let fail = move |msg: Msg, status: u16| state.set(SendState::Failed { msg, status });

    // "Try now" cuts the wait before the next attempt short.
    let hurry = RwSignal::new(false);
    let try_now = move || hurry.set(true);

    // Next: this step's answers are checked; the next step that applies follows.
    let next = move || {
        let here = step.get_untracked();
        let current = draft.get_untracked();
        let mine = generation();
        leptos::task::spawn_local(async move {
            let checked =
                rules::check(&current, &placeholder_context(mode), today(), Format::Json).await;
            // After a kiosk reset or a language switch this form is gone.
            if generation() != mine {
                return;
            }
            let Ok(checked) = checked else {
                return fail(Msg::SendRulesUnavailable, 0);
            };
            if step.get_untracked() != here {
                return;
            }
            if matches!(state.get_untracked(), SendState::Failed { .. }) {
                state.set(SendState::Idle);
            }
            warnings.set(checked.warnings);
            let found = on_this_step(checked.errors, here);
            if !found.is_empty() {
                return show_errors(found);
            }
            errors.set(Vec::new());
            checked_once.set(false);
            let steps = shown.get_untracked();
            let to = if returning.get_untracked() {
                returning.set(false);
                Step::Review
            } else {
                steps
                    .iter()
                    .copied()
                    .find(|s| *s > here)
                    .unwrap_or(Step::Review)
            };
            go(to);
        });
    };
    let back = move || {
        let here = step.get_untracked();
        if let Some(to) = shown.get_untracked().into_iter().rev().find(|s| *s < here) {
            errors.set(Vec::new());
            checked_once.set(false);
            returning.set(false);
            if !history::back_to(to) {
                go(to);
            }
        }
    };

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
                .map(|p| (p.id.clone(), p.body.clone(), p.kept))
        });
        let endpoint = endpoint.clone();
        let public_key = public_key.clone();
        leptos::task::spawn_local(async move {
            // After a kiosk reset this form is gone: stop touching it.
            let mine = generation();
            let gone = move || generation() != mine;
            let (id, body, kept) = 'made: {
                match reuse {
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
                                let Some(key) = &public_key else {
                                    break 'made (ctx.submission_id, body, false);
                                };
                                // Sealing may wait for the network: leaving asks already.
                                set_unsent(true);
                                let (envelope, kept) = seal_and_keep(
                                    key,
                                    &endpoint,
                                    &ctx.submission_id,
                                    &body,
                                    format,
                                    state,
                                    hurry,
                                )
                                .await;
                                if gone() {
                                    return;
                                }
                                (ctx.submission_id, envelope, kept)
                            }
                            _ => {
                                state.set(SendState::Idle);
                                show_errors(checked.errors);
                                return;
                            }
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
                kept,
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
                        history::clear();
                        state.set(SendState::Idle);
                        on_done.run(reference);
                        return;
                    }
                    SendOutcome::Invalid(found) => {
                        set_unsent(false);
                        state.set(SendState::Idle);
                        show_errors(found);
                        return;
                    }
                    SendOutcome::Rejected(status) => return fail(Msg::SendRejected, status),
                    SendOutcome::Unreachable => (Msg::SendRetryOffline, None),
                    SendOutcome::ServerError(_, retry_after) => (Msg::SendRetryServer, retry_after),
                };
                failures += 1;
                let then = if kept {
                    Msg::SendKeptSealed
                } else {
                    Msg::SendRetrying
                };
                state.set(SendState::Retrying { msg, then });
                wait(backoff_ms(failures, retry_after, jitter()), hurry).await;
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
        warnings,
        mode,
        on_edit: Callback::new(move |()| {
            history::set_answers(!remembering.get_untracked());
            // The photo is not remembered: it is large, and can be taken again.
            #[cfg(target_arch = "wasm32")]
            if remembering.get_untracked() {
                draft.with_untracked(|d| match d.photo {
                    Some(_) => remember::save(&IntakeDraft {
                        photo: None,
                        ..d.clone()
                    }),
                    None => remember::save(d),
                });
            }
            recheck();
        }),
    };
    let heading = move || {
        let here = step.get();
        let steps = shown.get();
        let n = steps.iter().position(|s| *s == here).map_or(1, |i| i + 1);
        texts.f(
            Msg::WizardProgress,
            &[
                ("n", &n.to_string()),
                ("total", &steps.len().to_string()),
                ("name", texts.t(title(here))),
            ],
        )
    };
    let bar = move || {
        let here = step.get();
        shown
            .get()
            .into_iter()
            .map(|s| {
                let class = match s.cmp(&here) {
                    std::cmp::Ordering::Less => "mi-bar-done",
                    std::cmp::Ordering::Equal => "mi-bar-current",
                    std::cmp::Ordering::Greater => "mi-bar-todo",
                };
                view! { <li class=class></li> }
            })
            .collect_view()
    };
    let sections = Step::ALL
        .iter()
        .copied()
        .map(|s| {
            let body = if s == Step::Review {
                view! { <Review step draft warnings returning /> }.into_any()
            } else {
                blocks(s)
                    .iter()
                    .map(|b| block_view(*b, form))
                    .collect_view()
                    .into_any()
            };
            let first = s == Step::About;
            view! {
                <div class="mi-step" data-step=step_code(s) hidden=move || step.get() != s>
                    {(first && !kiosk).then(|| view! { <Remember remembering was_restored draft /> })}
                    {body}
                </div>
            }
        })
        .collect_view();
    let on_review = move || step.get() == Step::Review;
    view! {
        <section class="mi-card mi-intake" aria-labelledby="mi-intake-heading">
            <ol class="mi-bar" aria-hidden="true">{bar}</ol>
            <h2 id="mi-intake-heading" tabindex="-1">{heading}</h2>
            <div hidden=move || step.get() != Step::About>
                <p>{texts.t(Msg::IntakeIntro)}</p>
                <p class="mi-hint">{texts.t(Msg::IntakeRequiredNote)}</p>
            </div>
            <form
                class="mi-form"
                novalidate=true
                on:submit=move |ev| {
                    ev.prevent_default();
                    if step.get_untracked() == Step::Review {
                        submit();
                    } else {
                        next();
                    }
                }
            >
                {sections}
                <p class="mi-sr-only" role="status" aria-live="polite">{move || summary.get()}</p>
                {move || {
                    state
                        .with(|s| match s {
                            SendState::Failed { msg, status } => {
                                Some(("mi-send-error", "alert", texts.f(*msg, &[("status", &status.to_string())])))
                            }
                            SendState::Retrying { msg, then } => {
                                Some(("mi-send-retry", "status", format!("{} {}", texts.t(*msg), texts.t(*then))))
                            }
                            _ => None,
                        })
                        // Before Send: the sealing module is still missing.
                        .or_else(|| {
                            sealing_missing
                                .get()
                                .then(|| ("mi-seal-missing", "status", texts.t(Msg::SealNotLoaded).to_owned()))
                        })
                        .map(|(class, role, text)| view! { <p class=class role=role>{text}</p> })
                }}
                // Back first, as it is seen (on the left), so Tab meets it first.
                <div class="mi-nav">
                    <button
                        type="button"
                        class="mi-button mi-button--secondary"
                        id="mi-back"
                        hidden=move || step.get() == Step::About
                        on:click=move |_| back()
                    >
                        {texts.t(Msg::WizardBack)}
                    </button>
                    <button
                        type="submit"
                        class="mi-button mi-button--primary"
                        id="mi-next"
                        aria-disabled=move || (on_review() && state.get() == SendState::Sending).then_some("true")
                    >
                        {move || match (on_review(), returning.get(), state.get()) {
                            (false, false, _) => texts.t(Msg::WizardNext),
                            (false, true, _) => texts.t(Msg::WizardToReview),
                            (true, _, SendState::Sending) => texts.t(Msg::IntakeSending),
                            (true, _, SendState::Retrying { .. }) => texts.t(Msg::SendTryNow),
                            (true, _, SendState::Failed { .. }) => texts.t(Msg::SendTryAgain),
                            (true, _, SendState::Idle) => texts.t(Msg::IntakeSubmit),
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

thread_local! {
    /// The clinic's privacy notice, if it has one online (for the form on
    /// screen; a context would cost the module more).
    static PRIVACY_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// One part of a step.
fn block_view(block: Block, form: FormContext) -> AnyView {
    let texts = use_texts();
    match block {
        Block::Fields(specs) => fields(specs, form, false).into_any(),
        Block::Group(legend, intro, specs, when) => {
            let draft = form.draft;
            // A group always shown may be left empty: marked optional, and its
            // questions not announced as required.
            let optional = when.is_none();
            let mut legend_html = escape(texts.t(legend));
            if optional {
                legend_html.push_str(&format!(
                    r#" <span class="mi-optional">{}</span>"#,
                    escape(texts.t(Msg::FieldOptional))
                ));
            }
            let intro = intro.or(optional.then_some(Msg::GroupOptionalHint));
            view! {
                <fieldset class="mi-group" hidden=Memo::new(move |_| when.is_some_and(|w| !draft.with(w)))>
                    <legend inner_html=legend_html></legend>
                    {intro.map(|m| view! { <p class="mi-hint">{texts.t(m)}</p> })}
                    {fields(specs, form, optional)}
                </fieldset>
            }
            .into_any()
        }
        Block::Intro(msg) => view! { <p>{texts.t(msg)}</p> }.into_any(),
        Block::Consent(msg, version) => {
            // Static markup, like the Remember block: as Leptos views the
            // notice cost the form module kilobytes.
            let mut html = format!("<p>{}</p>", escape(texts.t(msg)));
            // The privacy consent links the clinic's notice, or summarises it.
            if msg == Msg::ConsentPrivacyText {
                match PRIVACY_URL.with(|u| u.borrow().clone()) {
                    Some(url) => html.push_str(&format!(
                        r#"<p><a class="mi-link" href="{}" target="_blank" rel="noopener noreferrer">{}</a></p>"#,
                        escape(&url),
                        escape(texts.t(Msg::ConsentPrivacyLink))
                    )),
                    None => {
                        html.push_str(&format!(
                            r#"<details class="mi-privacy"><summary>{}</summary><ul><li>{}</li></ul></details>"#,
                            escape(texts.t(Msg::ConsentPrivacySummary)),
                            escape(texts.t(Msg::ConsentPrivacyPoints)).replace('\n', "</li><li>")
                        ));
                    }
                }
            }
            if let Some(month) = crate::locale::version_month(version, texts.catalog().locale()) {
                html.push_str(&format!(
                    r#"<p class="mi-version">{}</p>"#,
                    escape(&texts.f(Msg::ConsentVersion, &[("date", &month)]))
                ));
            }
            view! { <div class="mi-consent-text" inner_html=html></div> }.into_any()
        }
        Block::Medications => view! { <medications::Medications form /> }.into_any(),
        Block::BodyMap => view! { <bodymap::BodyMap form /> }.into_any(),
        Block::Diagnoses => view! { <diagnoses::Diagnoses form /> }.into_any(),
        Block::Photo => view! { <photo::Photo form /> }.into_any(),
        Block::Signature => view! { <signature::SignaturePad form /> }.into_any(),
    }
}

/// Review: every answer, written when the step is shown; Edit goes back to
/// a step, whose button then leads back here.
#[component]
fn Review(
    step: RwSignal<Step>,
    draft: RwSignal<IntakeDraft>,
    warnings: RwSignal<Vec<FieldError>>,
    returning: RwSignal<bool>,
) -> impl IntoView {
    let texts = use_texts();
    let markup = move || {
        if step.get() == Step::Review {
            let found = warnings.get();
            draft.with_untracked(|d| review::markup(texts, d, &found))
        } else {
            String::new()
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(index) =
            crate::shell::data_of(&ev, "data-edit").and_then(|i| i.parse::<usize>().ok())
        else {
            return;
        };
        if let Some(to) = Step::ALL.get(index) {
            returning.set(true);
            step.set(*to);
            history::mark(*to, true);
            crate::app::focus_when_rendered("mi-intake-heading");
        }
    };
    view! {
        <p>{texts.t(Msg::ReviewIntro)}</p>
        <div class="mi-review" inner_html=markup on:click=on_click></div>
    }
}

/// The step's name for the host page's `massage-intake:step` event.
pub fn step_code(step: Step) -> &'static str {
    match step {
        Step::About => "about",
        Step::Visit => "visit",
        Step::Health => "health",
        Step::Pain => "pain",
        Step::Prescription => "prescription",
        Step::Payment => "payment",
        Step::Consent => "consent",
        Step::Review => "review",
    }
}

/// Focuses the first control marked invalid on the step in view.
fn focus_first_invalid() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(el)) = document.query_selector(".mi-step:not([hidden]) [aria-invalid=\"true\"]")
    {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
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

/// Waits `ms`, or less once `hurry` is set ("Try now"). A form taken down
/// meanwhile (kiosk reset) cannot be hurried: the wait runs its course.
async fn wait(ms: u32, hurry: RwSignal<bool>) {
    let _ = hurry.try_set(false);
    let mut waited = 0;
    while waited < ms && hurry.try_get_untracked() != Some(true) {
        let step = (ms - waited).min(250);
        sleep(step).await;
        waited += step;
    }
}

/// Waits `ms`.
async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A factor from 0.5 to 1 that spreads retries of many devices apart.
fn jitter() -> f64 {
    0.5 + js_sys::Math::random() / 2.0
}

/// A submission on its way, as sent.
struct InFlight {
    endpoint: String,
    id: String,
    body: String,
    content_type: &'static str,
}

thread_local! {
    /// The answers and step of the form on screen, for a language switch.
    static LIVE: std::cell::RefCell<Option<(RwSignal<IntakeDraft>, RwSignal<Step>)>> = const { std::cell::RefCell::new(None) };
    /// Answers and step handed to the next mounting of the form.
    static HANDOFF: std::cell::RefCell<Option<(IntakeDraft, Step)>> = const { std::cell::RefCell::new(None) };
    /// A language switch is under way.
    static SWITCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The reference of a stored submission while its thank-you screen shows.
    static DONE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// Which mounting of the form is current; a kiosk reset moves it on.
    static GENERATION: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The submission on its way, until it is stored or refused.
    static IN_FLIGHT: std::cell::RefCell<Option<InFlight>> = const { std::cell::RefCell::new(None) };
}

/// Keeps the answers and step of the form on screen for the next mounting
/// (a language switch), and the thank-you screen's reference.
pub fn hand_over_answers() {
    if let Some((draft, step)) = LIVE.with(|l| *l.borrow()) {
        if let (Some(d), Some(s)) = (draft.try_get_untracked(), step.try_get_untracked()) {
            HANDOFF.with(|h| *h.borrow_mut() = Some((d, s)));
        }
    }
}

/// Whether a language switch is under way (the form is mounted again).
pub fn switching() -> bool {
    SWITCHING.with(std::cell::Cell::get)
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

pub(crate) fn generation() -> u32 {
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

/// The patient's local date: "in the future" means after today where they are.
pub fn today() -> Date {
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
