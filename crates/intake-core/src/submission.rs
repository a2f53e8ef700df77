//! The submission: what the widget sends and the receiver stores, versioned as
//! `massage-intake/1`, and the draft the patient edits before it becomes one.

use serde::{Deserialize, Serialize};

use crate::config::Mode;
use crate::phone::PhoneNumber;
use crate::validate::FieldError;

/// The schema name and version every submission carries.
pub const SCHEMA: &str = "massage-intake/1";

/// The version of the treatment consent text the widget shows.
pub const TREATMENT_CONSENT_VERSION: &str = "treatment-2026-11";

/// JSON paths of the fields, shared by the widget (to put a message next to
/// the right input) and the receiver (in its `422` bodies).
pub mod paths {
    pub const SCHEMA: &str = "schema";
    pub const SUBMISSION_ID: &str = "submission_id";
    pub const SUBMITTED_AT: &str = "submitted_at";
    pub const LOCALE: &str = "locale";
    pub const GIVEN_NAME: &str = "patient.given_name";
    pub const FAMILY_NAME: &str = "patient.family_name";
    pub const PHONE: &str = "patient.phone";
    pub const CONSENT_TREATMENT: &str = "consents.treatment";
    pub const CONSENT_TREATMENT_VERSION: &str = "consents.treatment.version";
    pub const CONSENT_TREATMENT_AT: &str = "consents.treatment.accepted_at";
}

/// One patient's intake, as sent to the clinic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// UUID v4, created when the patient pressed Submit; also the `Idempotency-Key`.
    pub submission_id: String,
    /// RFC 3339 UTC time of that press.
    pub submitted_at: String,
    /// The language the patient used (`en`).
    pub locale: String,
    /// Where the widget ran.
    pub mode: Mode,
    pub patient: Patient,
    pub consents: Consents,
}

/// Who the patient is and how to reach them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    pub given_name: String,
    pub family_name: String,
    /// E.164, North American numbering (`+14014234433`).
    pub phone: String,
}

/// The consents the patient gave; a consent not given is absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consents {
    /// Informed consent to treatment (required).
    pub treatment: Option<ConsentRecord>,
}

/// Which text the patient agreed to, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub version: String,
    pub accepted_at: String,
}

/// What the patient has typed so far, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntakeDraft {
    pub given_name: String,
    pub family_name: String,
    pub phone: String,
    pub consent_treatment: bool,
}

/// What the widget knows at the moment of Submit, besides the answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmitContext {
    pub submission_id: String,
    pub submitted_at: String,
    pub locale: String,
    pub mode: Mode,
}

impl IntakeDraft {
    /// Turns the draft into a submission: text trimmed, the phone number in
    /// E.164. The result is then checked by [`Submission::validate`], the same
    /// rules the receiver applies, so the patient sees every problem the clinic
    /// would reject, next to its field.
    pub fn to_submission(&self, ctx: &SubmitContext) -> Result<Submission, Vec<FieldError>> {
        let phone = PhoneNumber::parse(&self.phone)
            .map(|n| n.e164())
            .unwrap_or_else(|_| self.phone.trim().to_owned());
        let submission = Submission {
            schema: SCHEMA.to_owned(),
            submission_id: ctx.submission_id.clone(),
            submitted_at: ctx.submitted_at.clone(),
            locale: ctx.locale.clone(),
            mode: ctx.mode,
            patient: Patient {
                given_name: self.given_name.trim().to_owned(),
                family_name: self.family_name.trim().to_owned(),
                phone,
            },
            consents: Consents {
                treatment: self.consent_treatment.then(|| ConsentRecord {
                    version: TREATMENT_CONSENT_VERSION.to_owned(),
                    accepted_at: ctx.submitted_at.clone(),
                }),
            },
        };
        let errors = submission.validate();
        if errors.is_empty() {
            Ok(submission)
        } else {
            Err(errors)
        }
    }
}

/// Formats 16 random bytes as a UUID v4 (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
/// The widget draws the bytes from the browser's `crypto.getRandomValues`.
pub fn uuid_v4_from_bytes(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::is_uuid_v4;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_random_bytes_make_a_valid_uuid_v4(bytes in any::<[u8; 16]>()) {
            let id = uuid_v4_from_bytes(bytes);
            prop_assert!(is_uuid_v4(&id), "{}", id);
        }

        #[test]
        fn submissions_survive_a_json_round_trip(
            given in "\\PC{1,40}", family in "\\PC{1,40}", consent in any::<bool>(),
            mode in prop_oneof![Just(Mode::Standalone), Just(Mode::Kiosk), Just(Mode::Embedded)],
        ) {
            let s = Submission {
                schema: SCHEMA.into(),
                submission_id: uuid_v4_from_bytes([7; 16]),
                submitted_at: "2026-11-27T14:05:09.120Z".into(),
                locale: "en".into(),
                mode,
                patient: Patient { given_name: given, family_name: family, phone: "+14014234433".into() },
                consents: Consents { treatment: consent.then(|| ConsentRecord { version: "v1".into(), accepted_at: "2026-11-27T14:05:09Z".into() }) },
            };
            let json = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: Submission = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, s);
        }
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"schema":"massage-intake/1","submission_id":"x","submitted_at":"x","locale":"en","mode":"kiosk",
            "patient":{"given_name":"A","family_name":"B","phone":"+14014234433","ssn":"000"},"consents":{"treatment":null}}"#;
        let err = serde_json::from_str::<Submission>(json)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            matches!(&err, Err(m) if m.contains("unknown field `ssn`")),
            "{err:?}"
        );
    }
}
