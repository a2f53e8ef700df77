//! Form fields that show their error next to the input, tie it to the input
//! with `aria-describedby` and `aria-invalid`, and never lose what was typed.

use intake_core::FieldError;
use leptos::prelude::*;

use crate::text::use_texts;
use intake_core::Msg;

/// The element id of the input for a JSON path (`patient.phone` -> `mi-patient-phone`).
pub fn field_id(path: &str) -> String {
    format!("mi-{}", path.replace(['.', '_'], "-"))
}

/// The first error for `path`, as a memo so a field re-renders only for its own errors.
fn error_for(errors: RwSignal<Vec<FieldError>>, path: &'static str) -> Memo<Option<FieldError>> {
    Memo::new(move |_| errors.with(|all| all.iter().find(|e| e.path == path).cloned()))
}

fn described_by(hint: Option<String>, error: Option<String>) -> Option<String> {
    let ids: Vec<String> = hint.into_iter().chain(error).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled text input.
#[component]
pub fn TextField(
    /// JSON path of the field in the submission.
    path: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token.
    autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let texts = use_texts();
    let id = field_id(path);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = error_for(errors, path);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || described_by(hint.map(|_| hint_id.clone()), error.with(Option::is_some).then(|| error_id.clone()))
    };
    view! {
        <div class=move || if error.with(Option::is_some) { "mi-field mi-field--invalid" } else { "mi-field" }>
            <label class="mi-label" for=id.clone()>{move || texts.t(label)}</label>
            {hint.map(|h| view! { <p class="mi-hint" id=hint_id>{move || texts.t(h)}</p> })}
            <input
                class="mi-input"
                id=id.clone()
                name=id
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                aria-required="true"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            {move || error.get().map(|e| view! { <p class="mi-error" id=error_id.clone()>{texts.error(&e)}</p> })}
        </div>
    }
}

/// A labelled checkbox (a consent).
#[component]
pub fn CheckField(
    path: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(into)] checked: Signal<bool>,
    on_change: Callback<bool>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let texts = use_texts();
    let id = field_id(path);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = error_for(errors, path);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || described_by(hint.map(|_| hint_id.clone()), error.with(Option::is_some).then(|| error_id.clone()))
    };
    view! {
        <div class=move || if error.with(Option::is_some) { "mi-field mi-check mi-field--invalid" } else { "mi-field mi-check" }>
            <div class="mi-check-row">
                <input
                    class="mi-checkbox"
                    type="checkbox"
                    id=id.clone()
                    name=id.clone()
                    aria-required="true"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described
                    prop:checked=move || checked.get()
                    on:change=move |ev| on_change.run(event_target_checked(&ev))
                />
                <label class="mi-label" for=id>{move || texts.t(label)}</label>
            </div>
            {hint.map(|h| view! { <p class="mi-hint" id=hint_id>{move || texts.t(h)}</p> })}
            {move || error.get().map(|e| view! { <p class="mi-error" id=error_id.clone()>{texts.error(&e)}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_are_derived_from_paths() {
        assert_eq!(field_id("patient.given_name"), "mi-patient-given-name");
        assert_eq!(field_id("consents.treatment"), "mi-consents-treatment");
    }

    #[test]
    fn described_by_lists_hint_then_error() {
        assert_eq!(described_by(Some("h".into()), Some("e".into())), Some("h e".into()));
        assert_eq!(described_by(None, Some("e".into())), Some("e".into()));
        assert_eq!(described_by(None, None), None);
    }
}
