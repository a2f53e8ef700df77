//! The parts of a step that are not plain fields: the "remember my answers"
//! block, consents, group frames, the special widgets, and Review.

use intake_core::{FieldError, IntakeDraft, Msg, Step};
use leptos::prelude::*;

use super::field::{fields, FormContext};
use super::steps::Block;
use super::{bodymap, diagnoses, history, medications, photo, review, signature};
use crate::markup::escape;
use crate::text::use_texts;

/// "Remember my answers on this device", with "Forget them" while any are
/// kept. Static markup with one handler for its two controls: as Leptos views
/// the block cost the form module 4 KB gzip.
#[component]
pub fn Remember(
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
            draft.with_untracked(super::remember::save);
        } else {
            super::remember::forget();
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

thread_local! {
    /// The clinic's privacy notice, if it has one online (for the form on
    /// screen; a context would cost the module more).
    pub static PRIVACY_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// One part of a step.
pub fn block_view(block: Block, form: FormContext) -> AnyView {
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
pub fn Review(
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
        let Some(index) = crate::dom::data_of(&ev, "data-edit").and_then(|i| i.parse::<u32>().ok())
        else {
            return;
        };
        if let Some(to) = Step::ALL.get(index as usize) {
            returning.set(true);
            step.set(*to);
            history::mark(*to, true);
            crate::dom::focus_when_rendered("mi-intake-heading");
        }
    };
    view! {
        <p>{texts.t(Msg::ReviewIntro)}</p>
        <div class="mi-review" inner_html=markup on:click=on_click></div>
    }
}
