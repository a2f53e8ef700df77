//! The intake form: the patient's answers, checked by `intake-core`, sent once.

mod blocks;
mod bodymap;
mod choices;
mod diagnoses;
pub mod field;
pub mod figure;
pub(crate) mod history;
pub mod listen;
mod medications;
mod photo;
#[cfg(target_arch = "wasm32")]
pub mod remember;
mod review;
mod send;
mod signature;
pub mod spec;
mod state;
pub mod steps;

pub use bodymap::toggle as toggle_region;
pub use choices::{choices as diagnosis_choices, Choice};
pub use photo::{decoded_len, scaled as photo_size};
pub use send::{now_utc, today, SendState};
pub use signature::extend_path;
pub use state::FormState;

use intake_core::config::{Endpoint, Format, Mode};
use intake_core::{FieldError, Msg, Step};
use leptos::prelude::*;
pub use send::expect_facts;

use crate::text::use_texts;
use blocks::{block_view, Remember, Review, PRIVACY_URL};
use field::focus_first_invalid;
use field::FormContext;
use send::{placeholder_context, Sender, Settings};
pub use steps::step_code;
use steps::{blocks, title};

/// The intake, one step at a time, over the state `form` holds (made once
/// per patient, see [`FormState`]; a new one when none is given): a language
/// switch renders it again over the same state.
#[component]
pub fn IntakeForm(
    #[prop(default = None)] form: Option<FormState>,
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
    let kiosk = mode == Mode::Kiosk;
    let form = form.unwrap_or_else(|| FormState::new(mode, public_key.is_some()));
    let FormState {
        draft,
        step,
        errors,
        warnings,
        state,
        hurry,
        sealing_missing,
        summary,
        returning,
        checked_once,
        remembering,
        was_restored,
        pending,
    } = form;
    let shown = Memo::new(move |_| draft.with(Step::shown));
    let on_this_step = move |found: Vec<FieldError>, here: Step| -> Vec<FieldError> {
        found
            .into_iter()
            .filter(|e| here == Step::Review || Step::of_path(&e.path) == here)
            .collect()
    };
    let check_now = move || {
        draft.with_untracked(|d| crate::rules::check(d, &placeholder_context(mode), today()))
    };
    let recheck = move || {
        if !checked_once.get_untracked() {
            return;
        }
        let checked = check_now();
        let here = on_this_step(checked.errors, step.get_untracked());
        // All fixed: the summary read out earlier goes too.
        if here.is_empty() {
            summary.set(String::new());
        }
        errors.set(here);
        warnings.set(checked.warnings);
    };
    // Back and Forward of the browser, on the standalone page.
    history::follow(step, shown, returning, errors, summary);
    let go = move |to: Step| {
        step.set(to);
        summary.set(String::new());
        history::mark(to, true);
        crate::dom::focus_when_rendered("mi-intake-heading");
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

    // Next: this step's answers are checked; the next step that applies follows.
    let next = move || {
        let here = step.get_untracked();
        let checked = check_now();
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
        let to = if returning.get_untracked() {
            returning.set(false);
            Step::Review
        } else {
            shown
                .get_untracked()
                .iter()
                .copied()
                .find(|s| *s > here)
                .unwrap_or(Step::Review)
        };
        go(to);
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
    let sender = Sender {
        draft,
        state,
        hurry,
        pending,
        settings: StoredValue::new(Settings {
            endpoint,
            mode,
            format,
            public_key,
            timeout_seconds,
        }),
        show_errors: Callback::new(show_errors),
        clear_errors: Callback::new(move |()| {
            let _ = errors.try_set(Vec::new());
            let _ = summary.try_set(String::new());
        }),
        on_done,
        lang: texts.lang(),
    };
    let fields = FormContext {
        draft,
        errors,
        warnings,
        mode,
        on_edit: Callback::new(move |()| {
            history::set_answers(!remembering.get_untracked());
            // The photo is not remembered: it is large, and can be taken again.
            #[cfg(target_arch = "wasm32")]
            if remembering.get_untracked() {
                // Set aside while the rest is written, not copied without it.
                draft.update_untracked(|d| {
                    let photo = d.photo.take();
                    remember::save(d);
                    d.photo = photo;
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
    // The progress bar, as markup (a list of views cost more).
    let bar = move || {
        let here = step.get();
        shown.with(|steps| {
            steps
                .iter()
                .map(|s| match s.cmp(&here) {
                    std::cmp::Ordering::Less => r#"<li class="mi-bar-done"></li>"#,
                    std::cmp::Ordering::Equal => r#"<li class="mi-bar-current"></li>"#,
                    std::cmp::Ordering::Greater => r#"<li class="mi-bar-todo"></li>"#,
                })
                .collect::<String>()
        })
    };
    // The step on screen is rendered first; the others once the browser has
    // painted it, in the next task, and then kept (hidden while another
    // shows). The patient can type as soon as one step is built, and every
    // answer, restored or typed, is in the page before they move on.
    let all_steps = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(
            move || {
                let _ = all_steps.try_set(true);
            },
            std::time::Duration::ZERO,
        );
    });
    let sections = Step::ALL
        .iter()
        .copied()
        .map(|s| {
            let reached = Memo::new(move |was: Option<&bool>| {
                was.copied().unwrap_or(false) || step.get() == s || all_steps.get()
            });
            let body = move || {
                reached.get().then(|| {
                    if s == Step::Review {
                        view! { <Review step draft warnings returning /> }.into_any()
                    } else {
                        blocks(s)
                            .iter()
                            .map(|b| block_view(*b, fields))
                            .collect_view()
                            .into_any()
                    }
                })
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
    // Reading aloud stops when the patient moves to another step (or the
    // form goes); the button shows once the device's voices are known.
    Effect::new(move |_| {
        step.track();
        crate::speech::stop();
    });
    on_cleanup(crate::speech::stop);
    request_animation_frame(|| {
        if let Some(page) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            crate::speech::reveal(&page);
        }
    });
    let listen = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let text =
            draft.with_untracked(|d| listen::step_text(texts, step.get_untracked(), d, kiosk));
        if let Some(button) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            crate::speech::toggle(&button, &text);
        }
    };
    view! {
        <section class="mi-card mi-intake" aria-labelledby="mi-intake-heading">
            <ol class="mi-bar" aria-hidden="true" inner_html=bar></ol>
            <h2 id="mi-intake-heading" tabindex="-1">{heading}</h2>
            // Not on Review: that step is the patient's answers.
            <div class="mi-listen-bar" hidden=on_review>
                <button type="button" class="mi-listen" data-listen hidden on:click=listen>
                    <span class="mi-listen-start">{texts.t(Msg::ListenStart)}</span>
                    <span class="mi-listen-stop">{texts.t(Msg::ListenStop)}</span>
                </button>
            </div>
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
                        sender.submit();
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
