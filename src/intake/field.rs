//! Questions described as data and rendered by one component, which shows
//! each question's error next to it, ties it to the input with
//! `aria-describedby` and `aria-invalid`, and never loses what was typed.
//! A question that does not apply is hidden, not removed, so its answer
//! stays if the patient changes their mind.

use intake_core::config::Mode;
use intake_core::{FieldError, IntakeDraft, Msg};
use leptos::prelude::*;

use crate::markup::escape;
use crate::text::{use_texts, Texts};

use super::spec::{error_text, field_id, Binding, FieldSpec, Kind, NONE_OF_THESE};

fn described_by(hint: Option<String>, error: Option<String>) -> Option<String> {
    let ids: Vec<String> = hint.into_iter().chain(error).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// What every question of one form shares.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub draft: RwSignal<IntakeDraft>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// Problems that do not block (an old prescription).
    pub warnings: RwSignal<Vec<FieldError>>,
    pub mode: Mode,
    /// Called after every edit (to remember answers, and to re-check them
    /// once Next was pressed).
    pub on_edit: Callback<()>,
}

impl FormContext {
    /// Changes the draft and tells the form.
    pub fn edit(self, change: impl FnOnce(&mut IntakeDraft)) {
        self.draft.update(change);
        self.on_edit.run(());
    }

    /// The first error at `path`, as a memo.
    pub fn error_at(self, path: &'static str) -> Memo<Option<FieldError>> {
        let errors = self.errors;
        Memo::new(move |_| errors.with(|all| all.iter().find(|e| e.path == path).cloned()))
    }
}

/// Renders `specs` in order; `in_optional_group` for the questions of a
/// group the patient may leave empty.
pub fn fields(
    specs: &'static [FieldSpec],
    form: FormContext,
    in_optional_group: bool,
) -> impl IntoView {
    specs
        .iter()
        .map(move |spec| {
            let spec = FieldSpec {
                in_optional_group,
                ..*spec
            };
            view! { <InputField spec form /> }
        })
        .collect_view()
}

/// The order in which this device writes dates ("In this order: month /
/// day / year"), in the patient's words; `None` when it cannot be told.
pub fn date_order(texts: Texts) -> Option<String> {
    // Read through Reflect: a binding for it would cost the module more.
    let language = js_sys::Reflect::get(&web_sys::window()?.navigator(), &"language".into())
        .ok()?
        .as_string()?;
    let written = js_sys::Date::new(&"2033-11-22T12:00:00Z".into())
        .to_locale_date_string(&language, &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()?;
    let mut parts = [
        (written.find("11")?, Msg::DateMonth),
        (written.find("22")?, Msg::DateDay),
        (written.find("2033")?, Msg::DateYear),
    ];
    // In the order written (three of them: no sort's code for that).
    for (a, b) in [(0, 1), (1, 2), (0, 1)] {
        if parts[a].0 > parts[b].0 {
            parts.swap(a, b);
        }
    }
    let order = parts.map(|p| texts.t(p.1)).join(" / ");
    Some(texts.f(Msg::DateOrder, &[("order", &order)]))
}

/// A problem (`mi-error`) or a note (`mi-hint`, `mi-warning`) said under a
/// question, `id` naming it for `aria-describedby`: one shape for every
/// question, so the form carries its rendering once.
pub fn message_view(class: &'static str, id: String, text: String) -> impl IntoView {
    view! { <p class=class id=id>{text}</p> }
}

/// One question with its label, hint and error.
#[component]
pub fn InputField(spec: FieldSpec, form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let FormContext {
        draft,
        errors,
        warnings,
        mode,
        ..
    } = form;
    let id = field_id(spec.path);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    // The live check speaks once the patient has left the field.
    let left = RwSignal::new(false);
    let error = Memo::new(move |_| {
        let found = errors.with(|all| all.iter().find(|e| spec.owns(e)).cloned());
        found.or_else(|| {
            let (Some(live), Binding::Text(get, _)) = (spec.live, spec.binding) else {
                return None;
            };
            if !left.get() {
                return None;
            }
            draft
                .with(|d| live(get(d)))
                .map(|code| FieldError::new(spec.path, code))
        })
    });
    let warning = Memo::new(move |_| {
        warnings.with(|all| all.iter().find(|e| e.path == spec.path).map(|e| e.code))
    });
    let invalid = move || error.with(Option::is_some);
    // A date field shows the device's order (it follows the browser's
    // language, not the page's), in the patient's words.
    let hint_text = match (spec.hint, spec.kind) {
        (Some(h), _) => Some(texts.t(h).to_owned()),
        (None, Kind::Input("date", ..)) => date_order(texts),
        _ => None,
    };
    let has_hint = hint_text.is_some();
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            described_by(
                has_hint.then(|| hint_id.clone()),
                (invalid() || warning.get().is_some()).then(|| error_id.clone()),
            )
        }
    };
    let grouped = matches!(spec.kind, Kind::Radio(..) | Kind::Checks(..));
    let class = move || {
        let base = match spec.kind {
            Kind::Check => "mi-field mi-check",
            Kind::Radio(..) | Kind::Checks(..) => "mi-field mi-choices",
            _ => "mi-field",
        };
        if invalid() {
            format!("{base} mi-field--invalid")
        } else {
            base.to_owned()
        }
    };
    // Every answer lives in one signal: each field reads it through memos, so
    // a keystroke updates only the field it changed.
    let hidden = Memo::new(move |_| spec.when.is_some_and(|w| !draft.with(w)));
    // The label as markup, like a group's legend.
    let mut label_html = escape(texts.t(spec.label));
    if spec.optional {
        label_html.push_str(&format!(
            r#" <span class="mi-optional">{}</span>"#,
            escape(texts.t(Msg::FieldOptional))
        ));
    }
    let hint = hint_text.map(|h| message_view("mi-hint", hint_id, h));
    // A problem, or else a warning: one paragraph either way.
    let message = move || {
        let (class, text) = match error.get() {
            Some(e) => ("mi-error", error_text(texts, &spec, &e)),
            None => ("mi-warning", texts.t(warning.get()?.msg()).to_owned()),
        };
        Some(message_view(class, error_id.clone(), text))
    };
    let on_edit = form.on_edit;
    let control = match spec.kind {
        Kind::Radio(options) | Kind::Checks(options) => {
            let is_radio = matches!(spec.kind, Kind::Radio(..));
            options
                .iter()
                .enumerate()
                .map(|(i, &(code, words))| {
                    let option_id = if i == 0 {
                        id.clone()
                    } else {
                        format!("{id}-{}", code.replace('_', "-"))
                    };
                    let checked = Memo::new(move |_| match spec.binding {
                        Binding::Text(get, _) => draft.with(|d| get(d) == code),
                        Binding::Codes(get, _) => draft.with(|d| get(d).iter().any(|c| c == code)),
                        Binding::Check(..) => false,
                    });
                    view! {
                        <div class="mi-option">
                            <input
                                type=if is_radio { "radio" } else { "checkbox" }
                                class="mi-checkbox"
                                id=option_id.clone()
                                name=id.clone()
                                value=code
                                aria-invalid=move || invalid().then_some("true")
                                aria-describedby=described.clone()
                                prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| match spec.binding {
                                        Binding::Text(_, set) => set(d, code.to_owned()),
                                        Binding::Codes(_, set) => {
                                            let list = set(d);
                                            list.retain(|c| c != code);
                                            if on {
                                                // "None of these" stands alone.
                                                if code == NONE_OF_THESE {
                                                    list.clear();
                                                } else {
                                                    list.retain(|c| c != NONE_OF_THESE);
                                                }
                                                list.push(code.to_owned());
                                            }
                                        }
                                        Binding::Check(..) => {}
                                    });
                                    on_edit.run(());
                                }
                            />
                            <label for=option_id>{texts.t(words)}</label>
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        }
        _ => {
            let (input_type, inputmode) = match spec.kind {
                Kind::Input(t, _, m) => (t, m),
                Kind::Check => ("checkbox", None),
                _ => ("text", None),
            };
            let value = Memo::new(move |_| match spec.binding {
                Binding::Text(get, _) => draft.with(|d| get(d).clone()),
                _ => String::new(),
            });
            // A keystroke in a text field changes the answer without telling
            // the rest of the form, which does not depend on it (the input
            // shows what was typed itself): typing stays fast with every
            // answer in one signal. Fields others depend on still tell.
            let quiet = spec.quiet();
            let on_input = move |ev: leptos::ev::Event| {
                let change = |d: &mut IntakeDraft| match spec.binding {
                    Binding::Text(_, set) => set(d, event_target_value(&ev)),
                    Binding::Check(_, set) => set(d, event_target_checked(&ev)),
                    Binding::Codes(..) => {}
                };
                if quiet {
                    draft.update_untracked(change);
                } else {
                    draft.update(change);
                }
                on_edit.run(());
            };
            let on_blur = move |_| left.set(true);
            if matches!(spec.kind, Kind::Area) {
                view! {
                    <textarea
                        class="mi-input mi-textarea"
                        id=id.clone()
                        name=id.clone()
                        rows="3"
                        aria-required=(!spec.optional && !spec.in_optional_group).then_some("true")
                        aria-invalid=move || invalid().then_some("true")
                        aria-describedby=described
                        prop:value=value
                        on:input=on_input
                    ></textarea>
                }
                .into_any()
            } else {
                let is_check = matches!(spec.kind, Kind::Check);
                view! {
                    <input
                        class=if is_check { "mi-checkbox" } else { "mi-input" }
                        id=id.clone()
                        name=id.clone()
                        type=input_type
                        autocomplete=(!is_check).then(|| spec.autocomplete_in(mode))
                        inputmode=inputmode
                        aria-required=(!spec.optional && !spec.in_optional_group).then_some("true")
                        aria-invalid=move || invalid().then_some("true")
                        aria-describedby=described
                        prop:value=value
                        prop:checked=Memo::new(move |_| match spec.binding {
                            Binding::Check(get, _) => draft.with(get),
                            _ => false,
                        })
                        on:input=on_input
                        on:blur=on_blur
                    />
                }
                .into_any()
            }
        }
    };
    if grouped {
        view! {
            <fieldset
                class=class
                hidden=hidden
                role=matches!(spec.kind, Kind::Radio(..)).then_some("radiogroup")
                aria-required=(matches!(spec.kind, Kind::Radio(..)) && !spec.optional && !spec.in_optional_group).then_some("true")
            >
                <legend class="mi-label" inner_html=label_html></legend>
                {hint}
                <div class="mi-options">{control}</div>
                {message}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class=class hidden=hidden>
                <label class="mi-label" for=id.clone() inner_html=label_html></label>
                {hint}
                {control}
                {message}
            </div>
        }
        .into_any()
    }
}

/// Focuses the first control marked invalid on the step in view.
pub(super) fn focus_first_invalid() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
