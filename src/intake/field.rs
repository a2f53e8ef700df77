//! Form fields that show their error next to the input, tie it to the input
//! with `aria-describedby` and `aria-invalid`, and never lose what was typed.

use intake_core::{FieldError, Msg};
use leptos::prelude::*;

use crate::text::use_texts;

/// The element id of the input for a JSON path (`patient.phone` -> `mi-patient-phone`).
pub fn field_id(path: &str) -> String {
    format!("mi-{}", path.replace(['.', '_'], "-"))
}

fn described_by(hint: Option<String>, error: Option<String>) -> Option<String> {
    let ids: Vec<String> = hint.into_iter().chain(error).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// What the field holds and reports.
#[derive(Clone, Copy)]
pub enum FieldKind {
    /// A text-like input (`type` text, tel, email, date…) with its `autocomplete`
    /// token and optional `inputmode`.
    Text {
        input_type: &'static str,
        autocomplete: &'static str,
        inputmode: Option<&'static str>,
        value: Signal<String>,
        on_input: Callback<String>,
    },
    /// A checkbox (a consent), its label beside the box.
    Check {
        checked: Signal<bool>,
        on_change: Callback<bool>,
    },
}

/// One labelled input with its hint and its error. Text inputs and checkboxes
/// share this one component, so the bundle carries its wiring once.
#[component]
pub fn InputField(
    /// JSON path of the field in the submission.
    path: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    kind: FieldKind,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let texts = use_texts();
    let id = field_id(path);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = Memo::new(move |_| errors.with(|all| all.iter().find(|e| e.path == path).cloned()));
    let invalid = move || error.with(Option::is_some);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            described_by(
                hint.map(|_| hint_id.clone()),
                invalid().then(|| error_id.clone()),
            )
        }
    };
    let (input_type, autocomplete, inputmode, is_check) = match kind {
        FieldKind::Text {
            input_type,
            autocomplete,
            inputmode,
            ..
        } => (input_type, Some(autocomplete), inputmode, false),
        FieldKind::Check { .. } => ("checkbox", None, None, true),
    };
    let class = move || match (is_check, invalid()) {
        (false, false) => "mi-field",
        (false, true) => "mi-field mi-field--invalid",
        (true, false) => "mi-field mi-check",
        (true, true) => "mi-field mi-check mi-field--invalid",
    };
    view! {
        <div class=class>
            <label class="mi-label" for=id.clone()>{texts.t(label)}</label>
            {hint.map(|h| view! { <p class="mi-hint" id=hint_id>{texts.t(h)}</p> })}
            <input
                class=if is_check { "mi-checkbox" } else { "mi-input" }
                id=id.clone()
                name=id
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                aria-required="true"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
                prop:value=move || match kind {
                    FieldKind::Text { value, .. } => value.get(),
                    FieldKind::Check { .. } => String::new(),
                }
                prop:checked=move || match kind {
                    FieldKind::Check { checked, .. } => checked.get(),
                    FieldKind::Text { .. } => false,
                }
                on:input=move |ev| match kind {
                    FieldKind::Text { on_input, .. } => on_input.run(event_target_value(&ev)),
                    FieldKind::Check { on_change, .. } => on_change.run(event_target_checked(&ev)),
                }
            />
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
        assert_eq!(
            described_by(Some("h".into()), Some("e".into())),
            Some("h e".into())
        );
        assert_eq!(described_by(None, Some("e".into())), Some("e".into()));
        assert_eq!(described_by(None, None), None);
    }
}
