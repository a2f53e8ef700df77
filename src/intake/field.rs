//! Form fields described as data and rendered by one component, which shows
//! each field's error next to it, ties it to the input with
//! `aria-describedby` and `aria-invalid`, and never loses what was typed.

use intake_core::config::Mode;
use intake_core::{FieldError, IntakeDraft, Msg};
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

/// How a field reads and writes the draft.
#[derive(Clone, Copy)]
pub enum Binding {
    /// A text-like input.
    Text(fn(&IntakeDraft) -> &String, fn(&mut IntakeDraft, String)),
    /// A checkbox (a consent).
    Check(fn(&IntakeDraft) -> bool, fn(&mut IntakeDraft, bool)),
}

/// One field of the form.
#[derive(Clone, Copy)]
pub struct FieldSpec {
    /// JSON path of the answer in the submission.
    pub path: &'static str,
    /// Another path whose errors this field shows (a group's "required").
    pub also: Option<&'static str>,
    pub label: Msg,
    pub hint: Option<Msg>,
    /// The input's `type` (text, tel, date…; ignored for checkboxes).
    pub input_type: &'static str,
    /// The `autocomplete` token outside kiosk mode.
    pub autocomplete: &'static str,
    pub inputmode: Option<&'static str>,
    pub binding: Binding,
}

impl FieldSpec {
    /// A text field without hint, input mode or alias.
    pub const fn text(
        path: &'static str,
        label: Msg,
        input_type: &'static str,
        autocomplete: &'static str,
        get: fn(&IntakeDraft) -> &String,
        set: fn(&mut IntakeDraft, String),
    ) -> FieldSpec {
        FieldSpec {
            path,
            also: None,
            label,
            hint: None,
            input_type,
            autocomplete,
            inputmode: None,
            binding: Binding::Text(get, set),
        }
    }

    /// A checkbox.
    pub const fn check(
        path: &'static str,
        label: Msg,
        get: fn(&IntakeDraft) -> bool,
        set: fn(&mut IntakeDraft, bool),
    ) -> FieldSpec {
        FieldSpec {
            path,
            also: None,
            label,
            hint: None,
            input_type: "checkbox",
            autocomplete: "off",
            inputmode: None,
            binding: Binding::Check(get, set),
        }
    }

    pub const fn hint(mut self, hint: Msg) -> FieldSpec {
        self.hint = Some(hint);
        self
    }

    pub const fn also(mut self, path: &'static str) -> FieldSpec {
        self.also = Some(path);
        self
    }

    pub const fn inputmode(mut self, mode: &'static str) -> FieldSpec {
        self.inputmode = Some(mode);
        self
    }

    /// Kiosk tablets are shared: the browser must not remember one patient's
    /// answers for the next.
    pub fn autocomplete_in(&self, mode: Mode) -> &'static str {
        match mode {
            Mode::Kiosk => "off",
            _ => self.autocomplete,
        }
    }
}

/// What every field of one form shares.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub draft: RwSignal<IntakeDraft>,
    pub errors: RwSignal<Vec<FieldError>>,
    pub mode: Mode,
    /// Called after every edit (to re-check answers once a send was tried).
    pub on_edit: Callback<()>,
}

/// Renders `specs` in order.
pub fn fields(specs: &'static [FieldSpec], form: FormContext) -> impl IntoView {
    specs
        .iter()
        .map(move |spec| view! { <InputField spec=*spec form /> })
        .collect_view()
}

/// One labelled input with its hint and its error.
#[component]
pub fn InputField(spec: FieldSpec, form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let FieldSpec {
        path,
        also,
        label,
        hint,
        ..
    } = spec;
    let FormContext {
        draft,
        errors,
        mode,
        on_edit,
    } = form;
    let id = field_id(path);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = Memo::new(move |_| {
        errors.with(|all| {
            all.iter()
                .find(|e| e.path == path || Some(e.path.as_str()) == also)
                .cloned()
        })
    });
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
    let is_check = matches!(spec.binding, Binding::Check(..));
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
                type=spec.input_type
                autocomplete=(!is_check).then(|| spec.autocomplete_in(mode))
                inputmode=spec.inputmode
                aria-required="true"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
                prop:value=move || match spec.binding {
                    Binding::Text(get, _) => draft.with(|d| get(d).clone()),
                    Binding::Check(..) => String::new(),
                }
                prop:checked=move || match spec.binding {
                    Binding::Check(get, _) => draft.with(get),
                    Binding::Text(..) => false,
                }
                on:input=move |ev| {
                    match spec.binding {
                        Binding::Text(_, set) => draft.update(|d| set(d, event_target_value(&ev))),
                        Binding::Check(_, set) => draft.update(|d| set(d, event_target_checked(&ev))),
                    }
                    on_edit.run(());
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

    #[test]
    fn kiosk_mode_turns_autocomplete_off() {
        let spec = FieldSpec::text(
            "patient.phone",
            Msg::FieldPhone,
            "tel",
            "tel",
            |d| &d.phone,
            |d, v| d.phone = v,
        );
        assert_eq!(spec.autocomplete_in(Mode::Kiosk), "off");
        assert_eq!(spec.autocomplete_in(Mode::Standalone), "tel");
        assert_eq!(spec.autocomplete_in(Mode::Embedded), "tel");
    }
}
