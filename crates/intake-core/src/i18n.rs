//! Every user-visible string, by key, in every shipped language.
//!
//! Keys are a Rust enum ([`Msg`]) so code cannot ask for a text that does not
//! exist; the texts are data (`locales/<lang>.txt`, one `key = text` a line) so
//! a new language is a file, not a rewrite. [`Catalog::parse`] is strict: an
//! unknown, duplicated, empty or missing key is an error, and a test parses
//! every shipped file with it.
//!
//! ```
//! use intake_core::{Catalog, Msg};
//! let en = Catalog::english();
//! assert_eq!(en.format(Msg::DoneReference, &[("reference", "MI-7K3P")]),
//!            "Your reference number is MI-7K3P.");
//! ```

use std::fmt;

macro_rules! messages {
    ($( $name:ident => $key:literal, )*) => {
        /// The key of one user-visible text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $( $name, )* }

        impl Msg {
            /// Every key, in declaration order (the order of a catalog's table).
            pub const ALL: &'static [Msg] = &[ $( Msg::$name, )* ];

            /// The key as it is written in the locale files.
            pub const fn key(self) -> &'static str {
                match self { $( Msg::$name => $key, )* }
            }

            /// The key named `key` in a locale file, if there is one.
            pub fn from_key(key: &str) -> Option<Msg> {
                match key { $( $key => Some(Msg::$name), )* _ => None }
            }
        }
    };
}

messages! {
    AppTitle => "app.title",
    AppLoading => "app.loading",
    ClinicCall => "clinic.call",

    ConfigNoticeTitle => "config.notice.title",
    ConfigNoEndpoint => "config.no_endpoint",
    ConfigBadEndpoint => "config.bad_endpoint",
    ConfigUnreadable => "config.unreadable",
    ConfigUnknownOption => "config.unknown_option",
    ConfigBadValue => "config.bad_value",
    ConfigIntakeUnavailable => "config.intake_unavailable",

    LearnHeading => "learn.heading",
    LearnWhatTitle => "learn.what.title",
    LearnWhatBody => "learn.what.body",
    LearnPrescriptionTitle => "learn.prescription.title",
    LearnPrescriptionBody => "learn.prescription.body",
    LearnDisclaimer => "learn.disclaimer",
    LearnStartIntake => "learn.start_intake",

    IntakeHeading => "intake.heading",
    IntakeIntro => "intake.intro",
    IntakeRequiredNote => "intake.required_note",
    FieldGivenName => "field.given_name",
    FieldFamilyName => "field.family_name",
    FieldPhone => "field.phone",
    FieldPhoneHint => "field.phone.hint",
    FieldConsentTreatment => "field.consent_treatment",
    FieldConsentTreatmentHint => "field.consent_treatment.hint",
    IntakeSubmit => "intake.submit",
    IntakeSending => "intake.sending",
    IntakeErrorSummary => "intake.error_summary",
    IntakeErrorSummaryOne => "intake.error_summary_one",

    SendOffline => "send.offline",
    SendServerError => "send.server_error",
    SendRejected => "send.rejected",
    SendTryAgain => "send.try_again",

    DoneHeading => "done.heading",
    DoneReference => "done.reference",
    DoneNext => "done.next",

    ErrRequired => "error.required",
    ErrTooLong => "error.too_long",
    ErrPhoneInvalid => "error.phone_invalid",
    ErrConsentRequired => "error.consent_required",
    ErrSchemaUnsupported => "error.schema_unsupported",
    ErrIdInvalid => "error.id_invalid",
    ErrTimestampInvalid => "error.timestamp_invalid",
    ErrLocaleUnsupported => "error.locale_unsupported",
    ErrStructure => "error.structure",
}

/// A language the widget ships texts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
}

impl Locale {
    /// Every shipped language.
    pub const ALL: &'static [Locale] = &[Locale::En];

    /// The BCP 47 tag stored in a submission and set as the page's `lang`.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
        }
    }

    /// The shipped language that best matches a BCP 47 tag (`en-US` -> English).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Locale::ALL.iter().copied().find(|l| l.tag() == primary)
    }

    /// The locale file's text, built into the binary.
    pub const fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("../locales/en.txt"),
        }
    }
}

/// Why a locale file was rejected, with the line it happened on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogError {
    /// A line that is neither blank, a `#` comment, nor `key = text`.
    Syntax { line: usize },
    /// A key the program does not know (a typo, or a key English lacks).
    UnknownKey { line: usize, key: String },
    /// The same key twice.
    Duplicate { line: usize, key: String },
    /// A key with no text.
    Empty { line: usize, key: String },
    /// Keys the program needs that the file lacks.
    Missing { keys: Vec<&'static str> },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Syntax { line } => write!(f, "line {line}: expected `key = text`"),
            CatalogError::UnknownKey { line, key } => write!(f, "line {line}: unknown key `{key}`"),
            CatalogError::Duplicate { line, key } => write!(f, "line {line}: `{key}` given twice"),
            CatalogError::Empty { line, key } => write!(f, "line {line}: `{key}` has no text"),
            CatalogError::Missing { keys } => write!(f, "missing keys: {}", keys.join(", ")),
        }
    }
}

impl std::error::Error for CatalogError {}

/// The texts of one language, indexed by [`Msg`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    locale: Locale,
    texts: Vec<String>,
}

impl Catalog {
    /// Parses a locale file strictly: every key known, present once, non-empty.
    pub fn parse(locale: Locale, source: &str) -> Result<Catalog, CatalogError> {
        let mut texts: Vec<Option<String>> = vec![None; Msg::ALL.len()];
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let (key, text) = trimmed.split_once('=').ok_or(CatalogError::Syntax { line })?;
            let (key, text) = (key.trim(), text.trim());
            let msg = Msg::from_key(key).ok_or_else(|| CatalogError::UnknownKey {
                line,
                key: key.to_owned(),
            })?;
            if text.is_empty() {
                return Err(CatalogError::Empty { line, key: key.to_owned() });
            }
            let slot = &mut texts[msg as usize];
            if slot.is_some() {
                return Err(CatalogError::Duplicate { line, key: key.to_owned() });
            }
            *slot = Some(text.replace("\\n", "\n"));
        }
        let missing: Vec<&'static str> = Msg::ALL
            .iter()
            .zip(&texts)
            .filter(|(_, text)| text.is_none())
            .map(|(msg, _)| msg.key())
            .collect();
        if !missing.is_empty() {
            return Err(CatalogError::Missing { keys: missing });
        }
        Ok(Catalog {
            locale,
            texts: texts.into_iter().map(Option::unwrap_or_default).collect(),
        })
    }

    /// The built-in catalog of `locale`. The shipped files are checked by tests;
    /// should one still be broken, its keys stand in for the texts it lacks
    /// rather than leaving the patient a blank page.
    pub fn builtin(locale: Locale) -> Catalog {
        Catalog::parse(locale, locale.source()).unwrap_or_else(|_| Catalog {
            locale,
            texts: Msg::ALL.iter().map(|m| m.key().to_owned()).collect(),
        })
    }

    /// The built-in English catalog.
    pub fn english() -> Catalog {
        Catalog::builtin(Locale::En)
    }

    /// The language of these texts.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The text of `msg`.
    pub fn text(&self, msg: Msg) -> &str {
        self.texts.get(msg as usize).map(String::as_str).unwrap_or("")
    }

    /// The text of `msg` with each `{name}` replaced by its value.
    pub fn format(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        let mut out = self.text(msg).to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_has_every_key_and_no_other() {
        for locale in Locale::ALL {
            let parsed = Catalog::parse(*locale, locale.source());
            assert!(parsed.is_ok(), "{}: {}", locale.tag(), parsed.unwrap_err());
        }
    }

    #[test]
    fn a_missing_key_is_reported_by_name() {
        let without_title: String = Locale::En
            .source()
            .lines()
            .filter(|l| !l.trim_start().starts_with("app.title"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            Catalog::parse(Locale::En, &without_title),
            Err(CatalogError::Missing { keys: vec!["app.title"] })
        );
    }

    #[test]
    fn an_unknown_key_is_rejected_with_its_line() {
        let source = format!("{}\napp.titel = Typo", Locale::En.source());
        let line = source.lines().count();
        assert_eq!(
            Catalog::parse(Locale::En, &source),
            Err(CatalogError::UnknownKey { line, key: "app.titel".into() })
        );
    }

    #[test]
    fn duplicate_empty_and_malformed_lines_are_rejected() {
        let dup = format!("{}\napp.title = Again", Locale::En.source());
        assert!(matches!(Catalog::parse(Locale::En, &dup), Err(CatalogError::Duplicate { .. })));
        assert_eq!(
            Catalog::parse(Locale::En, "app.title =   "),
            Err(CatalogError::Empty { line: 1, key: "app.title".into() })
        );
        assert_eq!(
            Catalog::parse(Locale::En, "# fine\n\njust words"),
            Err(CatalogError::Syntax { line: 3 })
        );
    }

    #[test]
    fn format_fills_every_placeholder() {
        let en = Catalog::english();
        let text = en.format(Msg::ClinicCall, &[("clinic", "Harbor Clinic"), ("phone", "401-555-0100")]);
        assert!(text.contains("Harbor Clinic") && text.contains("401-555-0100"), "{text}");
        assert!(!text.contains('{'), "{text}");
    }

    #[test]
    fn locale_tags_match_by_primary_language() {
        assert_eq!(Locale::from_tag("en-US"), Some(Locale::En));
        assert_eq!(Locale::from_tag("EN"), Some(Locale::En));
        assert_eq!(Locale::from_tag("xx"), None);
        assert_eq!(Locale::from_tag(""), None);
    }
}
