//! Medicines: as many rows as the patient needs, each a name and a dose.

use intake_core::{MedicationDraft, Msg};
use leptos::prelude::*;

use super::field::{message_view, FormContext};
use super::spec::field_id;
use crate::dom::focus_when_rendered_id;
use crate::markup::escape;
use crate::text::use_texts;

/// The list, its rows and "Add a medicine".
#[component]
pub fn Medications(form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let rows = Memo::new(move |_| draft.with(|d| (0..d.medications.len()).collect::<Vec<_>>()));
    let add = move |_| {
        let next = draft.with_untracked(|d| d.medications.len());
        form.edit(|d| d.medications.push(MedicationDraft::default()));
        focus_when_rendered_id(field_id(&format!("health.medications[{next}].name")));
    };
    // Shown once the patient says they take some; "Yes" with none listed is
    // said here.
    let hidden = Memo::new(move |_| draft.with(|d| d.takes_medications != "yes"));
    let errors = form.errors;
    let missing = Memo::new(move |_| {
        errors.with(|all| all.iter().find(|e| e.path == "health.medications").cloned())
    });
    view! {
        <fieldset class="mi-group mi-medications" hidden=hidden>
            <legend>{texts.t(Msg::MedicationsHeading)}</legend>
            <p class="mi-hint">{texts.t(Msg::MedicationsHint)}</p>
            {move || missing.get().map(|e| view! { <p class="mi-error" id="mi-health-medications-error" role="alert">{texts.error_or(&e, Msg::MedicationsRequired)}</p> })}
            <For each=move || rows.get() key=|i| *i let:index>
                <MedicationRow index form />
            </For>
            <button type="button" class="mi-more" id="mi-medications-add" on:click=add>
                {texts.t(Msg::MedicationsAdd)}
            </button>
        </fieldset>
    }
}

#[component]
fn MedicationRow(index: usize, form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let n = (index + 1).to_string();
    let part = move |dose: bool| {
        let path = format!(
            "health.medications[{index}].{}",
            if dose { "dose" } else { "name" }
        );
        let id = field_id(&path);
        let error_id = format!("{id}-error");
        let errors = form.errors;
        let error = Memo::new({
            let path = path.clone();
            move |_| errors.with(|all| all.iter().find(|e| e.path == path).cloned())
        });
        let label = if dose {
            Msg::FieldMedicationDose
        } else {
            Msg::FieldMedicationName
        };
        let mut label_html = escape(&texts.f(label, &[("n", &n)]));
        if dose {
            label_html.push_str(&format!(
                r#" <span class="mi-optional">{}</span>"#,
                escape(texts.t(Msg::FieldOptional))
            ));
        }
        let value = move || {
            draft.with(|d| {
                d.medications
                    .get(index)
                    .map(|m| if dose { m.dose.clone() } else { m.name.clone() })
                    .unwrap_or_default()
            })
        };
        view! {
            <div class=move || if error.with(Option::is_some) { "mi-field mi-field--invalid" } else { "mi-field" }>
                <label class="mi-label" for=id.clone() inner_html=label_html></label>
                <input
                    class="mi-input"
                    id=id
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then(|| error_id.clone())
                    prop:value=value
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        form.edit(|d| {
                            if let Some(m) = d.medications.get_mut(index) {
                                if dose { m.dose = v } else { m.name = v }
                            }
                        });
                    }
                />
                {move || error.get().map(|e| message_view("mi-error", format!("{}-error", field_id(&path)), texts.error(&e)))}
            </div>
        }
    };
    let remove = move |_| {
        form.edit(|d| {
            if index < d.medications.len() {
                d.medications.remove(index);
            }
        });
        focus_when_rendered_id("mi-medications-add".to_owned());
    };
    view! {
        <div class="mi-medication">
            {part(false)}
            {part(true)}
            <button type="button" class="mi-more mi-remove" on:click=remove>
                {texts.f(Msg::MedicationsRemove, &[("n", &(index + 1).to_string())])}
            </button>
        </div>
    }
}
