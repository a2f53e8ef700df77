//! The rules a submission must meet, with stable error codes and the JSON path
//! of each failing field. The widget turns a code into words next to the
//! field; the receiver lists the same codes in its `422` reply.

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};
use crate::phone::PhoneNumber;
use crate::submission::{paths, Submission, SCHEMA};

/// The longest name the clinic stores.
pub const MAX_NAME: usize = 100;
/// The longest short technical value (versions, identifiers).
pub const MAX_SHORT: usize = 64;

/// What is wrong with a field. The `snake_case` names are a stable contract:
/// clinics' systems may rely on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong,
    PhoneInvalid,
    ConsentRequired,
    SchemaUnsupported,
    IdInvalid,
    TimestampInvalid,
    LocaleUnsupported,
    /// The idempotency key and the submission id differ.
    IdMismatch,
    /// A field the schema does not have.
    UnknownField,
    /// A field the schema requires is absent.
    MissingField,
    /// A value of the wrong type or shape.
    InvalidValue,
    /// A code this version does not know (from a newer receiver).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code this version can produce.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Required,
        ErrorCode::TooLong,
        ErrorCode::PhoneInvalid,
        ErrorCode::ConsentRequired,
        ErrorCode::SchemaUnsupported,
        ErrorCode::IdInvalid,
        ErrorCode::TimestampInvalid,
        ErrorCode::LocaleUnsupported,
        ErrorCode::IdMismatch,
        ErrorCode::UnknownField,
        ErrorCode::MissingField,
        ErrorCode::InvalidValue,
    ];

    /// The code as it is written in JSON (`phone_invalid`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::TooLong => "too_long",
            ErrorCode::PhoneInvalid => "phone_invalid",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::SchemaUnsupported => "schema_unsupported",
            ErrorCode::IdInvalid => "id_invalid",
            ErrorCode::TimestampInvalid => "timestamp_invalid",
            ErrorCode::LocaleUnsupported => "locale_unsupported",
            ErrorCode::IdMismatch => "id_mismatch",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::Unknown => "unknown",
        }
    }

    /// The code written as `code`; a code from a newer version is [`ErrorCode::Unknown`].
    pub fn from_code(code: &str) -> ErrorCode {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .unwrap_or(ErrorCode::Unknown)
    }

    /// The message a patient reads for this code.
    pub const fn msg(self) -> Msg {
        match self {
            ErrorCode::Required | ErrorCode::Unknown => Msg::ErrorRequired,
            ErrorCode::TooLong => Msg::ErrorTooLong,
            ErrorCode::PhoneInvalid => Msg::ErrorPhoneInvalid,
            ErrorCode::ConsentRequired => Msg::ErrorConsentRequired,
            ErrorCode::SchemaUnsupported => Msg::ErrorSchemaUnsupported,
            ErrorCode::IdInvalid => Msg::ErrorIdInvalid,
            ErrorCode::TimestampInvalid => Msg::ErrorTimestampInvalid,
            ErrorCode::LocaleUnsupported => Msg::ErrorLocaleUnsupported,
            ErrorCode::IdMismatch => Msg::ErrorIdInvalid,
            ErrorCode::UnknownField | ErrorCode::MissingField | ErrorCode::InvalidValue => {
                Msg::ErrorStructure
            }
        }
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `patient.phone`.
    pub path: String,
    pub code: ErrorCode,
    /// The limit that was passed, for `too_long`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
}

impl FieldError {
    pub fn new(path: &str, code: ErrorCode) -> FieldError {
        FieldError {
            path: path.to_owned(),
            code,
            max: None,
        }
    }
}

impl Submission {
    /// Every problem with this submission, in form order; empty when valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.schema != SCHEMA {
            errors.push(FieldError::new(paths::SCHEMA, ErrorCode::SchemaUnsupported));
        }
        if !is_uuid_v4(&self.submission_id) {
            errors.push(FieldError::new(paths::SUBMISSION_ID, ErrorCode::IdInvalid));
        }
        if !is_utc_timestamp(&self.submitted_at) {
            errors.push(FieldError::new(
                paths::SUBMITTED_AT,
                ErrorCode::TimestampInvalid,
            ));
        }
        if Locale::ALL.iter().all(|l| l.tag() != self.locale) {
            errors.push(FieldError::new(paths::LOCALE, ErrorCode::LocaleUnsupported));
        }
        required_text(
            &mut errors,
            paths::GIVEN_NAME,
            &self.patient.given_name,
            MAX_NAME,
        );
        required_text(
            &mut errors,
            paths::FAMILY_NAME,
            &self.patient.family_name,
            MAX_NAME,
        );
        if self.patient.phone.trim().is_empty() {
            errors.push(FieldError::new(paths::PHONE, ErrorCode::Required));
        } else if PhoneNumber::parse(&self.patient.phone)
            .map(|n| n.e164())
            .as_deref()
            != Ok(self.patient.phone.as_str())
        {
            errors.push(FieldError::new(paths::PHONE, ErrorCode::PhoneInvalid));
        }
        match &self.consents.treatment {
            None => errors.push(FieldError::new(
                paths::CONSENT_TREATMENT,
                ErrorCode::ConsentRequired,
            )),
            Some(consent) => {
                required_text(
                    &mut errors,
                    paths::CONSENT_TREATMENT_VERSION,
                    &consent.version,
                    MAX_SHORT,
                );
                if !is_utc_timestamp(&consent.accepted_at) {
                    errors.push(FieldError::new(
                        paths::CONSENT_TREATMENT_AT,
                        ErrorCode::TimestampInvalid,
                    ));
                }
            }
        }
        errors
    }
}

fn required_text(errors: &mut Vec<FieldError>, path: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(path, ErrorCode::Required));
    } else if value.chars().count() > max {
        errors.push(FieldError {
            path: path.to_owned(),
            code: ErrorCode::TooLong,
            max: Some(max),
        });
    }
}

/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, lower-case hex.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` naming a real instant.
pub fn is_utc_timestamp(s: &str) -> bool {
    let Some(body) = s.strip_suffix('Z') else {
        return false;
    };
    let (main, fraction) = match body.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (body, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    let Some((date, time)) = main.split_once('T') else {
        return false;
    };
    let t = time.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (a, b) = (*t.get(i)?, *t.get(i + 1)?);
        (a.is_ascii_digit() && b.is_ascii_digit())
            .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    };
    let time_ok = t.len() == 8
        && t[2] == b':'
        && t[5] == b':'
        && matches!((two(0), two(3), two(6)), (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60);
    time_ok && parse_date(date).is_some()
}

/// A calendar date `YYYY-MM-DD`, strictly (`2023-02-30` is not one).
pub fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mode;
    use crate::i18n::Catalog;
    use crate::submission::{IntakeDraft, SubmitContext};

    fn ctx() -> SubmitContext {
        SubmitContext {
            submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            submitted_at: "2026-11-27T14:05:09.120Z".into(),
            locale: "en".into(),
            mode: Mode::Standalone,
        }
    }

    fn draft() -> IntakeDraft {
        IntakeDraft {
            given_name: " Ana ".into(),
            family_name: "Silva".into(),
            phone: "(401) 423-4433".into(),
            consent_treatment: true,
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors.iter().map(|e| (e.path.as_str(), e.code)).collect()
    }

    #[test]
    fn a_complete_draft_becomes_a_normalised_submission() {
        let s = draft().to_submission(&ctx()).expect("valid");
        assert_eq!(s.patient.given_name, "Ana");
        assert_eq!(s.patient.phone, "+14014234433");
        assert_eq!(s.schema, "massage-intake/1");
        let consent = s.consents.treatment.expect("consent recorded");
        assert_eq!(consent.accepted_at, "2026-11-27T14:05:09.120Z");
        assert!(!consent.version.is_empty());
    }

    #[test]
    fn an_empty_draft_reports_every_field_in_form_order() {
        let errors = IntakeDraft::default().to_submission(&ctx()).unwrap_err();
        assert_eq!(
            codes(&errors),
            vec![
                ("patient.given_name", ErrorCode::Required),
                ("patient.family_name", ErrorCode::Required),
                ("patient.phone", ErrorCode::Required),
                ("consents.treatment", ErrorCode::ConsentRequired),
            ]
        );
    }

    #[test]
    fn a_bad_phone_is_reported_on_the_phone_field_only() {
        let mut d = draft();
        d.phone = "401-423-443".into();
        assert_eq!(
            codes(&d.to_submission(&ctx()).unwrap_err()),
            vec![("patient.phone", ErrorCode::PhoneInvalid)]
        );
    }

    #[test]
    fn the_receiver_rejects_a_phone_that_is_not_stored_as_e164() {
        let mut s = draft().to_submission(&ctx()).expect("valid");
        s.patient.phone = "401-423-4433".into();
        assert_eq!(
            codes(&s.validate()),
            vec![("patient.phone", ErrorCode::PhoneInvalid)]
        );
    }

    #[test]
    fn too_long_names_say_the_limit() {
        let mut d = draft();
        d.family_name = "x".repeat(MAX_NAME + 1);
        let errors = d.to_submission(&ctx()).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError {
                path: "patient.family_name".into(),
                code: ErrorCode::TooLong,
                max: Some(MAX_NAME)
            }]
        );
        d.family_name = "é".repeat(MAX_NAME);
        assert!(
            d.to_submission(&ctx()).is_ok(),
            "the limit counts characters, not bytes"
        );
    }

    #[test]
    fn envelope_fields_are_checked() {
        let mut s = draft().to_submission(&ctx()).expect("valid");
        s.schema = "massage-intake/2".into();
        s.submission_id = "not-a-uuid".into();
        s.submitted_at = "2026-02-30T10:00:00Z".into();
        s.locale = "fr".into();
        assert_eq!(
            codes(&s.validate()),
            vec![
                ("schema", ErrorCode::SchemaUnsupported),
                ("submission_id", ErrorCode::IdInvalid),
                ("submitted_at", ErrorCode::TimestampInvalid),
                ("locale", ErrorCode::LocaleUnsupported),
            ]
        );
    }

    #[test]
    fn uuid_v4_shape() {
        assert!(is_uuid_v4("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(
            !is_uuid_v4("0F8FAD5B-D9CB-469F-A165-70867728950E"),
            "upper case is not canonical"
        );
        assert!(
            !is_uuid_v4("0f8fad5b-d9cb-169f-a165-70867728950e"),
            "version 1"
        );
        assert!(
            !is_uuid_v4("0f8fad5b-d9cb-469f-c165-70867728950e"),
            "wrong variant"
        );
        assert!(!is_uuid_v4("0f8fad5bd9cb469fa16570867728950e"));
    }

    #[test]
    fn timestamps_and_dates_are_strict() {
        assert!(is_utc_timestamp("2024-02-29T23:59:59Z"));
        assert!(is_utc_timestamp("2026-11-27T14:05:09.120Z"));
        assert!(!is_utc_timestamp("2023-02-29T10:00:00Z"));
        assert!(!is_utc_timestamp("2026-11-27T24:00:00Z"));
        assert!(!is_utc_timestamp("2026-11-27T14:05:09+01:00"));
        assert!(!is_utc_timestamp("2026-11-27T14:05:09.Z"));
        assert!(!is_utc_timestamp("2026-11-27 14:05:09Z"));
        assert_eq!(parse_date("2000-02-29"), Some((2000, 2, 29)));
        assert_eq!(parse_date("1900-02-29"), None);
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("2023-1-01"), None);
    }

    #[test]
    fn every_error_code_has_a_message_in_every_language() {
        for locale in Locale::ALL {
            let catalog = Catalog::builtin(*locale);
            for code in ErrorCode::ALL {
                let text = catalog.text(code.msg());
                assert!(
                    !text.is_empty() && text != code.msg().key(),
                    "{code:?} in {}",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn written_codes_match_serde_and_read_back() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::from(code.as_str()))
            );
            assert_eq!(ErrorCode::from_code(code.as_str()), *code);
        }
        assert_eq!(ErrorCode::from_code("from_the_future"), ErrorCode::Unknown);
    }

    #[test]
    fn error_codes_serialise_as_stable_snake_case() {
        let e = FieldError {
            path: "patient.family_name".into(),
            code: ErrorCode::TooLong,
            max: Some(100),
        };
        assert_eq!(
            serde_json::to_string(&e).ok(),
            Some(r#"{"path":"patient.family_name","code":"too_long","max":100}"#.into())
        );
        let newer: Result<FieldError, _> =
            serde_json::from_str(r#"{"path":"x","code":"from_the_future"}"#);
        assert_eq!(newer.map(|e| e.code).ok(), Some(ErrorCode::Unknown));
    }
}
