//! Diagnosis codes: an ARIA 1.2 combobox over the built-in ICD-10-CM table,
//! searched by code and by words; a well-formed code outside the table can be
//! used as typed. Each chosen diagnosis is listed with its description (from
//! the table, or typed from the prescription) and a Remove button.

use intake_core::icd10::{normalize, search, Icd10Entry};
use intake_core::{DiagnosisDraft, Msg};
use leptos::prelude::*;

use super::field::{field_id, FormContext};
use crate::learn::escape;
use crate::text::use_texts;

/// The most options the list shows at once.
const MAX_OPTIONS: usize = 8;

/// One line of the list: a table entry, or the code as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Known(&'static Icd10Entry),
    Typed(String),
}

impl Choice {
    pub fn code(&self) -> &str {
        match self {
            Choice::Known(e) => e.code,
            Choice::Typed(c) => c,
        }
    }
}

/// The patient's words in the table's English. `words` is the language's
/// list (`dolor=pain espalda=back de=`; words with accents are listed with
/// and without them): a typed word of three letters or more
/// that begins one of its words (`espal`) becomes that word's English, a
/// shorter one only when it is the whole word; a word given no English (`de`)
/// is dropped; anything else (a code, an English word) stays as typed.
pub fn in_english(query: &str, words: &str) -> String {
    query
        .split_whitespace()
        .filter_map(|typed| {
            let typed_lower = typed.to_ascii_lowercase();
            let found = words
                .split_whitespace()
                .filter_map(|pair| pair.split_once('='))
                .find(|(theirs, _)| {
                    *theirs == typed_lower
                        || (typed_lower.chars().count() >= 3 && theirs.starts_with(&typed_lower))
                });
            match found {
                Some((_, "")) => None,
                Some((_, english)) => Some(english),
                None => Some(typed),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of `code` in the patient's language, from the language's list
/// (`M54.2=Cervicalgia|…`); the clinic still receives the English one.
pub fn name_in<'a>(code: &str, names: &'a str) -> Option<&'a str> {
    names
        .split('|')
        .find_map(|pair| pair.strip_prefix(code)?.strip_prefix('='))
}

/// What the list offers for `query`: table matches, then the typed code when
/// it is well formed and not in the table.
pub fn choices(query: &str) -> Vec<Choice> {
    let mut out: Vec<Choice> = search(query)
        .into_iter()
        .take(MAX_OPTIONS)
        .map(Choice::Known)
        .collect();
    if let Some(code) = normalize(query) {
        if out.iter().all(|c| c.code() != code) {
            out.push(Choice::Typed(code));
        }
    }
    out
}

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
        let index = crate::shell::data_of(&ev, "data-index").and_then(|i| i.parse::<usize>().ok());
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
            {move || error.get().map(|e| view! { <p class="mi-error" id=error_id.clone()>{texts.error(&e)}</p> })}
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
                {move || error.get().map(|e| view! { <p class="mi-error" id=format!("{}-error", field_id(&format!("prescription.diagnoses[{index}].description")))>{texts.error(&e)}</p> })}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_and_portuguese_words_find_the_english_entries() {
        let catalog = |tag| {
            intake_core::Catalog::builtin(intake_core::Locale::from_tag(tag).expect("locale"))
        };
        let es = catalog("es");
        let es_words = es.text(Msg::DiagnosisWords);
        assert_eq!(in_english("dolor de espalda", es_words), "pain back");
        assert_eq!(in_english("Ciática", es_words), "sciatica");
        assert_eq!(in_english("rodil", es_words), "knee");
        // The list names them in the patient's language; every entry has a name.
        let names = es.text(Msg::DiagnosisNames);
        assert_eq!(
            name_in("M54.2", names),
            Some("Cervicalgia (dolor de cuello)")
        );
        assert_eq!(name_in("M54.5", names), None, "a prefix is not a code");
        for catalog in [&es, &catalog("pt")] {
            for entry in intake_core::icd10::COMMON {
                assert!(
                    name_in(entry.code, catalog.text(Msg::DiagnosisNames)).is_some(),
                    "{} in {:?}",
                    entry.code,
                    catalog.locale()
                );
            }
        }
        assert_eq!(
            name_in(
                "M54.2",
                intake_core::Catalog::english().text(Msg::DiagnosisNames)
            ),
            None,
            "English keeps the table's own"
        );
        let headache = choices(&in_english("dolor de cabeza", es_words));
        assert!(headache.iter().any(|c| c.code() == "R51.9"), "{headache:?}");
        let low_back = choices(&in_english("dolor de espalda", es_words));
        assert!(
            low_back.iter().any(|c| c.code() == "M54.50"),
            "{low_back:?}"
        );
        let pt = catalog("pt");
        let pt_words = pt.text(Msg::DiagnosisWords);
        let neck = choices(&in_english("dor no pescoço", pt_words));
        assert!(neck.iter().any(|c| c.code() == "M54.2"), "{neck:?}");
        assert!(!choices(&in_english("ombro", pt_words)).is_empty());
        // Codes and English words pass through.
        assert_eq!(in_english("M54.5 back", es_words), "M54.5 back");
        // Every word of every language leads somewhere in the table.
        for catalog in [es, pt] {
            for pair in catalog.text(Msg::DiagnosisWords).split_whitespace() {
                let (theirs, english) = pair.split_once('=').expect(pair);
                if !english.is_empty() {
                    assert!(!choices(english).is_empty(), "{theirs}={english}");
                }
            }
        }
    }

    #[test]
    fn words_and_codes_find_entries_and_a_new_code_can_be_used() {
        let by_words = choices("low back");
        assert!(by_words.iter().any(|c| c.code() == "M54.50"));
        assert!(by_words.iter().all(|c| matches!(c, Choice::Known(_))));
        let by_code = choices("m54.5");
        assert_eq!(by_code.first().map(Choice::code), Some("M54.50"));
        let typed = choices("S83.241A");
        assert_eq!(typed.last(), Some(&Choice::Typed("S83.241A".into())));
        assert!(choices("hello there").is_empty());
        assert!(choices("m").len() <= MAX_OPTIONS + 1);
    }
}
