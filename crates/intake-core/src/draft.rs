//! What the patient has typed so far, exactly as typed, and how it becomes a
//! submission: text trimmed, phone numbers in E.164, absent answers `None`,
//! flags computed. The result is then checked by [`Submission::validate`],
//! the same rules the receiver applies.

use serde::{Deserialize, Serialize};

use crate::config::Mode;
use crate::date::Date;
use crate::flags::compute_flags;
use crate::phone::PhoneNumber;
use crate::submission::{
    ConsentRecord, Consents, Guardian, HealthHistory, Patient, Payer, Prescription, Signature,
    Submission, Visit, PRIVACY_NOTICE_VERSION, SCHEMA, TREATMENT_CONSENT_VERSION,
};
use crate::text::Text;
use crate::validate::{Report, Rules};
use crate::vocab::SignatureMethod;

/// The answers of the intake form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeDraft {
    pub given_name: String,
    pub family_name: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub date_of_birth: String,
    pub phone: String,
    pub reason: String,
    pub consent_treatment: bool,
    pub consent_privacy: bool,
    /// The full name typed as a signature.
    pub signature_name: String,
    /// A minor's parent or guardian.
    pub guardian_name: String,
    pub guardian_relationship: String,
    pub guardian_phone: String,
}

/// What the widget knows at the moment of Submit, besides the answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitContext {
    pub submission_id: String,
    pub submitted_at: String,
    pub locale: String,
    pub mode: Mode,
}

impl IntakeDraft {
    /// Builds the submission these answers make.
    pub fn to_submission(&self, ctx: &SubmitContext) -> Submission {
        let consent = |given: bool, version: &str| {
            given.then(|| ConsentRecord {
                version: Text::new(version),
                accepted_at: ctx.submitted_at.clone(),
            })
        };
        let mut submission = Submission {
            schema: SCHEMA.to_owned(),
            submission_id: ctx.submission_id.clone(),
            submitted_at: ctx.submitted_at.clone(),
            locale: ctx.locale.clone(),
            mode: ctx.mode,
            patient: Patient {
                given_name: trimmed(&self.given_name),
                family_name: trimmed(&self.family_name),
                date_of_birth: self.date_of_birth.trim().to_owned(),
                phone: e164_or_as_typed(&self.phone),
                ..Patient::default()
            },
            visit: Visit {
                reason: trimmed(&self.reason),
                ..Visit::default()
            },
            health: HealthHistory::default(),
            pain: Vec::new(),
            prescription: Prescription::default(),
            payer: Payer::default(),
            consents: Consents {
                treatment: consent(self.consent_treatment, TREATMENT_CONSENT_VERSION),
                privacy_notice: consent(self.consent_privacy, PRIVACY_NOTICE_VERSION),
                share_with_primary_care: None,
                guardian: self.guardian(),
            },
            // This form signs by typing the full name; a blank name is reported on that field.
            signature: Signature {
                method: Some(SignatureMethod::Typed),
                svg_path: None,
                typed_name: Some(trimmed(&self.signature_name)),
                signed_at: ctx.submitted_at.clone(),
            },
            attachments: Vec::new(),
            flags: Vec::new(),
        };
        submission.flags = compute_flags(&submission);
        submission
    }
}

impl IntakeDraft {
    /// The submission these answers make, and what [`Submission::validate`]
    /// (the receiver's rules) says of it.
    pub fn validate(&self, ctx: &SubmitContext, rules: &Rules) -> (Submission, Report) {
        let submission = self.to_submission(ctx);
        let report = submission.validate(rules);
        (submission, report)
    }

    /// Whether the date of birth makes the patient a minor on `today`, so the
    /// form asks for a parent or guardian.
    pub fn is_minor_on(&self, today: Date) -> bool {
        Date::parse(self.date_of_birth.trim()).is_some_and(|b| b <= today && b.age_on(today) < 18)
    }

    fn guardian(&self) -> Option<Guardian> {
        let given = [
            &self.guardian_name,
            &self.guardian_relationship,
            &self.guardian_phone,
        ];
        given
            .iter()
            .any(|f| !f.trim().is_empty())
            .then(|| Guardian {
                name: trimmed(&self.guardian_name),
                relationship: trimmed(&self.guardian_relationship),
                phone: e164_or_as_typed(&self.guardian_phone),
            })
    }
}

fn trimmed<const M: usize>(s: &str) -> Text<M> {
    Text::new(s.trim())
}

/// A number as E.164 when it is one, else as typed (validation then says why).
pub fn e164_or_as_typed(typed: &str) -> String {
    PhoneNumber::parse(typed)
        .map(|n| n.e164())
        .unwrap_or_else(|_| typed.trim().to_owned())
}
