//! Diagnosis codes: an ARIA 1.2 combobox over the built-in ICD-10-CM table,
//! searched by code and by words; a well-formed code outside the table can be
//! used as typed. Each chosen diagnosis is listed with its description (from
//! the table, or typed from the prescription) and a Remove button.

use intake_core::{DiagnosisDraft, Msg};
use leptos::prelude::*;

use super::choices::{choices, in_english, name_in, Choice};
use super::field::{message_view, FormContext};
use super::spec::field_id;
use crate::markup::escape;
use crate::text::use_texts;
/// The combobox and the chosen diagnoses.
#[component]
pub fn Diagnoses(form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let path = "prescription.diagnoses";
    let id = field_id(path);
    let list_id = format!("{id}-list");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let status_id = format!("{id}-status");
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active: RwSignal<Option<usize>> = RwSignal::new(None);
    // Spanish and Portuguese words find the table's English entries.
    let found =
        Memo::new(move |_| query.with(|q| choices(&in_english(q, texts.t(Msg::DiagnosisWords)))));
    let error = form.error_at(path);
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };
    let pick = move |choice: Choice| {
        let code = choice.code().to_owned();
        let description = match &choice {
            Choice::Known(e) => e.description.to_owned(),
            Choice::Typed(_) => String::new(),
        };
        form.edit(|d| {
            if d.diagnoses.iter().all(|x| x.code != code) {
                d.diagnoses.push(DiagnosisDraft { code, description });
            }
        });
        query.set(String::new());
        open.set(false);
        active.set(None);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = found.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                open.set(true);
                if count > 0 {
                    active.set(Some(active.get().map_or(0, |i| (i + 1) % count)));
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                open.set(true);
                if count > 0 {
                    active.set(Some(
                        active.get().map_or(count - 1, |i| (i + count - 1) % count),
                    ));
                }
            }
            "Enter" => {
                // Enter picks; it never sends the form from here.
                ev.prevent_default();
                let chosen = match active.get() {
                    Some(i) => found.with(|f| f.get(i).cloned()),
                    None => found.with(|f| {
                        if f.len() == 1 {
                            f.first().cloned()
                        } else {
                            None
                        }
                    }),
                };
                if let Some(choice) = chosen.filter(|_| open.get() || active.get().is_none()) {
                    pick(choice);
                }
            }
            "Escape" => {
                if open.get() {
                    ev.prevent_default();
                    open.set(false);
                    active.set(None);
                } else if !query.with(String::is_empty) {
                    ev.prevent_default();
                    query.set(String::new());
                }
            }
            _ => {}
        }
    };
    let expanded = move || open.get() && found.with(|f| !f.is_empty());
    let status = move || {
        if query.with(|q| q.trim().is_empty()) || !open.get() {
            return String::new();
        }
        match found.with(Vec::len) {
            0 => texts.t(Msg::DiagnosisNoMatch).to_owned(),
            n => texts.f(Msg::DiagnosisMatches, &[("count", &n.to_string())]),
        }
    };
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    // The options as markup with one delegated handler: as a keyed view
    // list they cost the form module several KB.
    let options = {
        let option_id = option_id.clone();
        move || {
            let current = active.get();
            found.with(|list| {
                list.iter()
                    .enumerate()
                    .map(|(i, choice)| {
                        let text = match choice {
                            Choice::Known(e) => format!(
                                "{} {}",
                                e.code,
                                name_in(e.code, texts.t(Msg::DiagnosisNames)).unwrap_or(e.description)
                            ),
                            Choice::Typed(code) => {
                                texts.f(Msg::DiagnosisUseTyped, &[("code", code)])
                            }
                        };
                        format!(
                            r#"<li class="mi-option-item" role="option" id="{}" data-index="{i}" aria-selected="{}">{}</li>"#,
                            option_id(i),
                            current == Some(i),
                            escape(&text)
                        )
                    })
                    .collect::<String>()
            })
        }
    };
    let on_option = move |ev: leptos::ev::MouseEvent| {
        let index = crate::dom::data_of(&ev, "data-index")
            .and_then(|i| i.parse::<u32>().ok())
            .map(|i| i as usize);
        if let Some(choice) = index.and_then(|i| found.with(|f| f.get(i).cloned())) {
            pick(choice);
        }
    };
    let rows = Memo::new(move |_| draft.with(|d| (0..d.diagnoses.len()).collect::<Vec<_>>()));
    view! {
        <div class=move || if error.with(Option::is_some) { "mi-field mi-combo mi-field--invalid" } else { "mi-field mi-combo" }>
            <label class="mi-label" for=id.clone() id=format!("{id}-label")>{texts.t(Msg::FieldDiagnoses)}</label>
            <p class="mi-hint" id=hint_id.clone()>{texts.t(Msg::FieldDiagnosesHint)}</p>
            <div class="mi-combo-box">
                <input
                    class="mi-input"
                    id=id.clone()
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    aria-autocomplete="list"
                    aria-expanded=move || if expanded() { "true" } else { "false" }
                    aria-controls=list_id.clone()
                    aria-activedescendant=move || active.get().filter(|_| expanded()).map(option_id.clone())
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        query.set(event_target_value(&ev));
                        open.set(true);
                        active.set(None);
                    }
                    on:keydown=on_key
                    on:blur=move |_| open.set(false)
                />
                <ul
                    class="mi-listbox"
                    id=list_id
                    role="listbox"
                    aria-labelledby=format!("{id}-label")
                    hidden=move || !expanded()
                    inner_html=options
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=on_option
                ></ul>
            </div>
            <p class="mi-sr-only" id=status_id aria-live="polite">{status}</p>
            {move || error.get().map(|e| message_view("mi-error", error_id.clone(), texts.error(&e)))}
            <ul class="mi-chosen">
                <For each=move || rows.get() key=|i| *i let:index>
                    <DiagnosisRow index form />
                </For>
            </ul>
        </div>
    }
}

/// One chosen diagnosis: its code, its description and a Remove button.
#[component]
fn DiagnosisRow(index: usize, form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let code = move || {
        draft.with(|d| {
            d.diagnoses
                .get(index)
                .map(|x| x.code.clone())
                .unwrap_or_default()
        })
    };
    let id = field_id(&format!("prescription.diagnoses[{index}].description"));
    let errors = form.errors;
    let error = Memo::new(move |_| {
        errors.with(|all| {
            all.iter()
                .find(|e| {
                    e.path
                        .starts_with(&format!("prescription.diagnoses[{index}]"))
                })
                .cloned()
        })
    });
    let error_id = format!("{id}-error");
    view! {
        <li class="mi-chosen-row">
            <span class="mi-code">{code}</span>
            <div class="mi-field">
                <label class="mi-label" for=id.clone()>
                    {move || texts.f(Msg::DiagnosisDescription, &[("code", &code())])}
                </label>
                <input
                    class="mi-input"
                    id=id.clone()
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then(|| error_id.clone())
                    prop:value=move || draft.with(|d| d.diagnoses.get(index).map(|x| x.description.clone()).unwrap_or_default())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.edit(|d| {
                            if let Some(x) = d.diagnoses.get_mut(index) {
                                x.description = value;
                            }
                        });
                    }
                />
                {move || error.get().map(|e| message_view("mi-error", format!("{}-error", field_id(&format!("prescription.diagnoses[{index}].description"))), texts.error(&e)))}
            </div>
            <button
                type="button"
                class="mi-more mi-remove"
                on:click=move |_| form.edit(|d| {
                    if index < d.diagnoses.len() {
                        d.diagnoses.remove(index);
                    }
                })
            >
                {move || texts.f(Msg::DiagnosisRemove, &[("code", &code())])}
            </button>
        </li>
    }
}
