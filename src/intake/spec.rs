//! A question described as data: its path in the draft, label, kind, hint,
//! when it is asked and whether it may be left empty. The steps are lists of
//! these (`steps`); one component renders them all (`field`).

use intake_core::config::Mode;
use intake_core::{ErrorCode, FieldError, IntakeDraft, Msg};

use crate::text::Texts;

/// The element id of the input for a JSON path
/// (`patient.phone` -> `mi-patient-phone`, `pain[2].intensity` -> `mi-pain-2-intensity`).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("mi-");
    for c in path.chars() {
        match c {
            '.' | '_' | '[' => {
                if !id.ends_with('-') {
                    id.push('-');
                }
            }
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// A question's choices: each code with its words. The words are named
/// here rather than looked up by key (`{prefix}.{code}`), so the form carries
/// no table of key names.
pub type Options = &'static [(&'static str, Msg)];

/// The words of `code` among `options` (empty for a code not listed).
pub fn option_label(texts: Texts, options: Options, code: &str) -> &'static str {
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, msg)| texts.t(*msg))
}

/// Text answers other questions depend on (the date of birth decides
/// whether a parent or guardian is asked for).
pub const SHAPES_THE_FORM: &[&str] = &["patient.date_of_birth"];

/// How a question is asked.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A one-line input: its `type`, `autocomplete` token and `inputmode`.
    Input(&'static str, &'static str, Option<&'static str>),
    /// Several lines of text.
    Area,
    /// One of the choices.
    Radio(Options),
    /// Any of the choices.
    Checks(Options),
    /// One tick box.
    Check,
}

/// How a question reads and writes the draft.
#[derive(Clone, Copy)]
pub enum Binding {
    Text(fn(&IntakeDraft) -> &String, fn(&mut IntakeDraft, String)),
    Check(fn(&IntakeDraft) -> bool, fn(&mut IntakeDraft, bool)),
    Codes(
        fn(&IntakeDraft) -> &Vec<String>,
        fn(&mut IntakeDraft) -> &mut Vec<String>,
    ),
}

/// One question of the form.
#[derive(Clone, Copy)]
pub struct FieldSpec {
    /// JSON path of the answer in the submission.
    pub path: &'static str,
    /// Another path whose errors this field shows (a group's "required").
    pub also: &'static [&'static str],
    pub label: Msg,
    pub hint: Option<Msg>,
    pub kind: Kind,
    pub binding: Binding,
    /// May be left empty; the label says so.
    pub optional: bool,
    /// Shown only while this holds.
    pub when: Option<fn(&IntakeDraft) -> bool>,
    /// A check run as the patient types, shown once they have left the field.
    pub live: Option<fn(&str) -> Option<ErrorCode>>,
    /// The words for `required` on this question, when the general ones do not fit.
    pub required: Option<Msg>,
    /// Inside a group that may be left empty (then complete once started):
    /// not marked required to assistive technology.
    pub in_optional_group: bool,
}

impl FieldSpec {
    const fn new(path: &'static str, label: Msg, kind: Kind, binding: Binding) -> FieldSpec {
        FieldSpec {
            path,
            also: &[],
            in_optional_group: false,
            label,
            hint: None,
            kind,
            binding,
            optional: false,
            when: None,
            live: None,
            required: None,
        }
    }

    /// A one-line text input.
    pub const fn text(
        path: &'static str,
        label: Msg,
        input_type: &'static str,
        autocomplete: &'static str,
        get: fn(&IntakeDraft) -> &String,
        set: fn(&mut IntakeDraft, String),
    ) -> FieldSpec {
        FieldSpec::new(
            path,
            label,
            Kind::Input(input_type, autocomplete, None),
            Binding::Text(get, set),
        )
    }

    /// Several lines of text.
    pub const fn area(
        path: &'static str,
        label: Msg,
        get: fn(&IntakeDraft) -> &String,
        set: fn(&mut IntakeDraft, String),
    ) -> FieldSpec {
        FieldSpec::new(path, label, Kind::Area, Binding::Text(get, set))
    }

    /// One choice among `options`.
    pub const fn radio(
        path: &'static str,
        label: Msg,
        options: Options,
        get: fn(&IntakeDraft) -> &String,
        set: fn(&mut IntakeDraft, String),
    ) -> FieldSpec {
        FieldSpec::new(path, label, Kind::Radio(options), Binding::Text(get, set))
    }

    /// Any of `options`.
    pub const fn checks(
        path: &'static str,
        label: Msg,
        options: Options,
        get: fn(&IntakeDraft) -> &Vec<String>,
        set: fn(&mut IntakeDraft) -> &mut Vec<String>,
    ) -> FieldSpec {
        FieldSpec::new(path, label, Kind::Checks(options), Binding::Codes(get, set)).optional()
    }

    /// A tick box.
    pub const fn check(
        path: &'static str,
        label: Msg,
        get: fn(&IntakeDraft) -> bool,
        set: fn(&mut IntakeDraft, bool),
    ) -> FieldSpec {
        FieldSpec::new(path, label, Kind::Check, Binding::Check(get, set))
    }

    pub const fn hint(mut self, hint: Msg) -> FieldSpec {
        self.hint = Some(hint);
        self
    }

    pub const fn also(mut self, paths: &'static [&'static str]) -> FieldSpec {
        self.also = paths;
        self
    }

    pub const fn inputmode(mut self, mode: &'static str) -> FieldSpec {
        if let Kind::Input(t, a, _) = self.kind {
            self.kind = Kind::Input(t, a, Some(mode));
        }
        self
    }

    pub const fn optional(mut self) -> FieldSpec {
        self.optional = true;
        self
    }

    /// A list that must be answered (ticking "None of these" answers it).
    pub const fn required(mut self) -> FieldSpec {
        self.optional = false;
        self
    }

    pub const fn when(mut self, when: fn(&IntakeDraft) -> bool) -> FieldSpec {
        self.when = Some(when);
        self
    }

    pub const fn live(mut self, live: fn(&str) -> Option<ErrorCode>) -> FieldSpec {
        self.live = Some(live);
        self
    }

    pub const fn required_msg(mut self, msg: Msg) -> FieldSpec {
        self.required = Some(msg);
        self
    }

    /// Kiosk tablets are shared: the browser must not remember one patient's
    /// answers for the next.
    pub fn autocomplete_in(&self, mode: Mode) -> &'static str {
        match (mode, self.kind) {
            (Mode::Kiosk, _) => "off",
            (_, Kind::Input(_, autocomplete, _)) => autocomplete,
            _ => "off",
        }
    }

    /// Whether typing here can leave the rest of the form alone: a text
    /// answer that shows or hides nothing and has no check as typed.
    pub fn quiet(&self) -> bool {
        matches!(self.kind, Kind::Input(..) | Kind::Area)
            && self.live.is_none()
            && !SHAPES_THE_FORM.contains(&self.path)
    }

    /// Whether this error is about this question.
    pub fn owns(&self, error: &FieldError) -> bool {
        error.path == self.path
            || self.also.contains(&error.path.as_str())
            || error
                .path
                .strip_prefix(self.path)
                .is_some_and(|rest| rest.starts_with('['))
    }
}

/// The code of "None of these" in a list of choices: ticking it unticks the
/// others, and ticking another unticks it.
pub const NONE_OF_THESE: &str = "none";

/// The words of an error on a question.
pub fn error_text(texts: Texts, spec: &FieldSpec, error: &FieldError) -> String {
    match (error.code, spec.required, spec.kind) {
        (ErrorCode::Required, Some(msg), _) => texts.t(msg).to_owned(),
        (ErrorCode::Required, None, Kind::Radio(..)) => texts.t(Msg::ErrorChooseOne).to_owned(),
        (ErrorCode::Required, None, Kind::Checks(..)) => {
            texts.t(Msg::ErrorTickWhatApplies).to_owned()
        }
        _ => texts.error(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_are_derived_from_paths() {
        assert_eq!(field_id("patient.given_name"), "mi-patient-given-name");
        assert_eq!(field_id("consents.treatment"), "mi-consents-treatment");
        assert_eq!(field_id("pain[2].intensity"), "mi-pain-2-intensity");
        assert_eq!(
            field_id("prescription.diagnoses[0].description"),
            "mi-prescription-diagnoses-0-description"
        );
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

    #[test]
    fn a_question_owns_its_path_and_its_items_but_not_its_neighbours() {
        let spec = FieldSpec::checks(
            "visit.goals",
            Msg::FieldGoals,
            &[("reduce_pain", Msg::GoalReducePain)],
            |d| &d.goals,
            |d| &mut d.goals,
        );
        let e = |p: &str| FieldError::new(p, ErrorCode::Duplicate);
        assert!(spec.owns(&e("visit.goals")));
        assert!(spec.owns(&e("visit.goals[1]")));
        assert!(!spec.owns(&e("visit.goals_other")));
    }
}
