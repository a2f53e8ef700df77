//! The rules a submission must meet, with stable error codes and the JSON path
//! of each failing field. The widget turns a code into words next to the
//! field; the receiver lists the same codes in its `422` reply. Warnings (an
//! old prescription) are reported but never block.

use serde::{Deserialize, Serialize};

use crate::contact::{is_email, is_postal_code, is_region};
use crate::date::{is_utc_timestamp, Date};
use crate::flags::compute_flags;
use crate::i18n::{Locale, Msg};
use crate::icd10;
use crate::npi::{parse_npi, NpiError};
use crate::phone::PhoneNumber;
use crate::submission::{ConsentRecord, Submission, SCHEMA, SCHEMA_V1};
use crate::text::Text;
use crate::vocab::{Allergen, Condition, PayerKind, SignatureMethod};

/// The answers written on several lines (tabs and line breaks allowed); every
/// other text is one line. The FHIR Questionnaire types these `text`.
pub const MULTI_LINE: &[&str] = &[
    "visit.reason",
    "health.condition_notes",
    "prescription.restrictions",
];

/// The largest attachment, after base64 decoding (a downscaled photo is about 1 MB).
pub const MAX_ATTACHMENT_BYTES: u32 = 1_500_000;
/// The most attachments one submission carries.
pub const MAX_ATTACHMENTS: usize = 3;
/// The oldest a patient can plausibly be.
pub const MAX_AGE_YEARS: i64 = 120;
/// Image types an attachment may have.
pub const ATTACHMENT_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp"];

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident = $code:literal => $msg:ident, )*) => {
        /// What is wrong with a field. The `snake_case` codes are a stable
        /// contract: clinics' systems may rely on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum ErrorCode {
            $( $(#[$meta])* #[serde(rename = $code)] $variant, )*
            /// A code this version does not know (from a newer receiver).
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl ErrorCode {
            /// Every code this version can produce.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The code as written in JSON (`phone_invalid`).
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )* ErrorCode::Unknown => "unknown" }
            }

            /// The message a patient reads for this code.
            pub const fn msg(self) -> Msg {
                match self { $( ErrorCode::$variant => Msg::$msg, )* ErrorCode::Unknown => Msg::ErrorStructure }
            }
        }
    };
}

error_codes! {
    Required = "required" => ErrorRequired,
    TooLong = "too_long" => ErrorTooLong,
    PhoneInvalid = "phone_invalid" => ErrorPhoneInvalid,
    EmailInvalid = "email_invalid" => ErrorEmailInvalid,
    RegionInvalid = "region_invalid" => ErrorRegionInvalid,
    PostalCodeInvalid = "postal_code_invalid" => ErrorPostalCodeInvalid,
    DateInvalid = "date_invalid" => ErrorDateInvalid,
    DateInFuture = "date_in_future" => ErrorDateInFuture,
    AgeOutOfRange = "age_out_of_range" => ErrorAgeOutOfRange,
    BeforeBirth = "before_birth" => ErrorBeforeBirth,
    ConsentRequired = "consent_required" => ErrorConsentRequired,
    NpiLength = "npi_length" => ErrorNpiLength,
    NpiPrefix = "npi_prefix" => ErrorNpiPrefix,
    NpiCheckDigit = "npi_check_digit" => ErrorNpiCheckDigit,
    Icd10Format = "icd10_format" => ErrorIcd10Format,
    OutOfRange = "out_of_range" => ErrorOutOfRange,
    /// A value given where the answers say it does not apply (prescriber details without a prescription).
    NotApplicable = "not_applicable" => ErrorNotApplicable,
    Duplicate = "duplicate" => ErrorDuplicate,
    TooMany = "too_many" => ErrorTooMany,
    SignatureInvalid = "signature_invalid" => ErrorSignatureInvalid,
    AttachmentType = "attachment_type" => ErrorAttachmentType,
    AttachmentTooLarge = "attachment_too_large" => ErrorAttachmentTooLarge,
    AttachmentInvalid = "attachment_invalid" => ErrorAttachmentInvalid,
    FlagsMismatch = "flags_mismatch" => ErrorStructure,
    SchemaUnsupported = "schema_unsupported" => ErrorSchemaUnsupported,
    IdInvalid = "id_invalid" => ErrorIdInvalid,
    TimestampInvalid = "timestamp_invalid" => ErrorTimestampInvalid,
    LocaleUnsupported = "locale_unsupported" => ErrorLocaleUnsupported,
    /// The idempotency key and the submission id differ.
    IdMismatch = "id_mismatch" => ErrorIdInvalid,
    /// A field the schema does not have.
    UnknownField = "unknown_field" => ErrorStructure,
    /// A field the schema requires is absent.
    MissingField = "missing_field" => ErrorStructure,
    /// A value of the wrong type or shape.
    InvalidValue = "invalid_value" => ErrorStructure,
    /// A drawn signature that is only a dot or a tap.
    SignatureTooSmall = "signature_too_small" => ErrorSignatureTooSmall,
    /// A typed signature that is not the patient's (or guardian's) name as entered.
    SignatureNameMismatch = "signature_name_mismatch" => ErrorSignatureNameMismatch,
    /// "None of these" ticked together with an answer from the list.
    NoneWithOthers = "none_with_others" => ErrorNoneWithOthers,
    /// A control character or a bidirectional override in a text (pasted
    /// along with it, or sent on purpose): refused, since it can make the
    /// text read differently from what it holds.
    ControlCharacter = "control_character" => ErrorControlCharacter,
    /// A warning: the prescription is older than the clinic accepts without checking.
    PrescriptionOld = "prescription_old" => WarningPrescriptionOld,
}

impl ErrorCode {
    /// The code written as `code`; a code from a newer version is [`ErrorCode::Unknown`].
    pub fn from_code(code: &str) -> ErrorCode {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .unwrap_or(ErrorCode::Unknown)
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `patient.phone` or `pain[2].intensity`.
    pub path: String,
    pub code: ErrorCode,
    /// The lower bound, for `out_of_range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// The limit passed, for `too_long`, `too_many` and `out_of_range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl FieldError {
    pub fn new(path: &str, code: ErrorCode) -> FieldError {
        FieldError {
            path: path.to_owned(),
            code,
            min: None,
            max: None,
        }
    }
}

/// What the rules depend on besides the submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The latest date that is not "in the future" (the receiver allows a day
    /// for time zones ahead of its own).
    pub today: Date,
    /// A prescription older than this many days gets a warning.
    pub prescription_validity_days: i64,
}

impl Rules {
    /// Rules as of `today`, with a one-year prescription validity.
    pub fn on(today: Date) -> Rules {
        Rules {
            today,
            prescription_validity_days: 365,
        }
    }
}

/// Errors block; warnings inform.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

struct Check<'r> {
    rules: &'r Rules,
    report: Report,
}

impl Check<'_> {
    fn err(&mut self, path: &str, code: ErrorCode) {
        self.report.errors.push(FieldError::new(path, code));
    }

    fn bounded(&mut self, path: &str, code: ErrorCode, min: Option<u32>, max: u32) {
        self.report.errors.push(FieldError {
            path: path.to_owned(),
            code,
            min,
            max: Some(max),
        });
    }

    /// Required text on one line, within its limit.
    fn text<const M: usize>(&mut self, path: &str, t: &Text<M>) {
        self.text_of(path, t, false);
    }

    /// Required text within its limit, on one line or several.
    fn text_of<const M: usize>(&mut self, path: &str, t: &Text<M>, multi_line: bool) {
        if t.is_blank() {
            self.err(path, ErrorCode::Required);
        } else if t.has_control(multi_line) {
            self.err(path, ErrorCode::ControlCharacter);
        } else if t.is_too_long() {
            self.bounded(path, ErrorCode::TooLong, None, M as u32);
        }
    }

    /// Optional text on one line, within its limit.
    fn opt_text<const M: usize>(&mut self, path: &str, t: &Option<Text<M>>) {
        self.opt_text_of(path, t, false);
    }

    /// Optional text within its limit, on one line or several.
    fn opt_text_of<const M: usize>(&mut self, path: &str, t: &Option<Text<M>>, multi_line: bool) {
        if t.as_ref().is_some_and(|t| t.has_control(multi_line)) {
            self.err(path, ErrorCode::ControlCharacter);
        } else if t.as_ref().is_some_and(Text::is_too_long) {
            self.bounded(path, ErrorCode::TooLong, None, M as u32);
        }
    }

    /// A phone number stored as E.164.
    fn phone(&mut self, path: &str, p: &str) {
        if p.trim().is_empty() {
            self.err(path, ErrorCode::Required);
        } else if PhoneNumber::parse(p).map(|n| n.e164()).as_deref() != Ok(p) {
            self.err(path, ErrorCode::PhoneInvalid);
        }
    }

    fn opt_phone(&mut self, path: &str, p: &Option<String>) {
        if let Some(p) = p {
            self.phone(path, p);
        }
    }

    /// A date that has happened (or is today).
    fn past_date(&mut self, path: &str, d: &str) -> Option<Date> {
        if d.trim().is_empty() {
            self.err(path, ErrorCode::Required);
            return None;
        }
        let Some(date) = Date::parse(d) else {
            self.err(path, ErrorCode::DateInvalid);
            return None;
        };
        if date > self.rules.today {
            self.err(path, ErrorCode::DateInFuture);
            return None;
        }
        Some(date)
    }

    fn range(&mut self, path: &str, value: Option<u32>, min: u32, max: u32, required: bool) {
        match value {
            None if required => self.err(path, ErrorCode::Required),
            Some(v) if !(min..=max).contains(&v) => {
                self.bounded(path, ErrorCode::OutOfRange, Some(min), max)
            }
            _ => {}
        }
    }

    fn absent<T>(&mut self, path: &str, value: &Option<T>) {
        if value.is_some() {
            self.err(path, ErrorCode::NotApplicable);
        }
    }

    fn unique<T: PartialEq>(&mut self, path: &str, items: &[T]) {
        for (i, item) in items.iter().enumerate() {
            if items[..i].contains(item) {
                self.err(&format!("{path}[{i}]"), ErrorCode::Duplicate);
            }
        }
    }

    /// A list answered by ticking what applies, or "none of these" alone.
    fn answered_list<T: PartialEq>(&mut self, path: &str, items: &[T], none: &T, required: bool) {
        if items.is_empty() {
            if required {
                self.err(path, ErrorCode::Required);
            }
        } else if items.contains(none) && items.len() > 1 {
            self.err(path, ErrorCode::NoneWithOthers);
        }
        self.unique(path, items);
    }

    fn at_most<T>(&mut self, path: &str, items: &[T], max: usize) -> bool {
        let ok = items.len() <= max;
        if !ok {
            self.bounded(path, ErrorCode::TooMany, None, max as u32);
        }
        ok
    }

    fn consent(&mut self, path: &str, consent: &Option<ConsentRecord>, required: bool) {
        match consent {
            None if required => self.err(path, ErrorCode::ConsentRequired),
            None => {}
            Some(c) => {
                self.text(&format!("{path}.version"), &c.version);
                if !is_utc_timestamp(&c.accepted_at) {
                    self.err(&format!("{path}.accepted_at"), ErrorCode::TimestampInvalid);
                }
            }
        }
    }
}

impl Submission {
    /// Every problem with this submission, in form order.
    pub fn validate(&self, rules: &Rules) -> Report {
        let mut c = Check {
            rules,
            report: Report::default(),
        };
        self.check_envelope(&mut c);
        let birth = self.check_patient(&mut c);
        self.check_visit(&mut c);
        self.check_health(&mut c);
        self.check_pain(&mut c);
        self.check_prescription(&mut c, birth);
        self.check_payer(&mut c);
        self.check_consents(&mut c, birth);
        self.check_signature(&mut c);
        self.check_attachments(&mut c);
        if self.flags != compute_flags(self) {
            c.err("flags", ErrorCode::FlagsMismatch);
        }
        c.report
    }

    fn check_envelope(&self, c: &mut Check) {
        if self.schema != SCHEMA && self.schema != SCHEMA_V1 {
            c.err("schema", ErrorCode::SchemaUnsupported);
        }
        if !is_uuid_v4(&self.submission_id) {
            c.err("submission_id", ErrorCode::IdInvalid);
        }
        if !is_utc_timestamp(&self.submitted_at) {
            c.err("submitted_at", ErrorCode::TimestampInvalid);
        }
        if Locale::ALL.iter().all(|l| l.tag() != self.locale) {
            c.err("locale", ErrorCode::LocaleUnsupported);
        }
    }

    /// Returns the date of birth when it is usable.
    fn check_patient(&self, c: &mut Check) -> Option<Date> {
        let p = &self.patient;
        c.text("patient.given_name", &p.given_name);
        c.text("patient.family_name", &p.family_name);
        let birth = c.past_date("patient.date_of_birth", &p.date_of_birth);
        let birth = birth.filter(|b| {
            let plausible = b.age_on(c.rules.today) <= MAX_AGE_YEARS;
            if !plausible {
                c.err("patient.date_of_birth", ErrorCode::AgeOutOfRange);
            }
            plausible
        });
        c.phone("patient.phone", &p.phone);
        if let Some(email) = &p.email {
            if email.is_too_long() {
                c.bounded("patient.email", ErrorCode::TooLong, None, 254);
            } else if !is_email(email.as_str()) {
                c.err("patient.email", ErrorCode::EmailInvalid);
            }
        }
        if let Some(a) = &p.address {
            c.text("patient.address.line1", &a.line1);
            c.opt_text("patient.address.line2", &a.line2);
            c.text("patient.address.city", &a.city);
            if !is_region(&a.region) {
                c.err("patient.address.region", ErrorCode::RegionInvalid);
            }
            if !is_postal_code(&a.postal_code) {
                c.err("patient.address.postal_code", ErrorCode::PostalCodeInvalid);
            }
        }
        if let Some(e) = &p.emergency_contact {
            c.text("patient.emergency_contact.name", &e.name);
            c.text("patient.emergency_contact.relationship", &e.relationship);
            c.phone("patient.emergency_contact.phone", &e.phone);
        }
        if let Some(pc) = &p.primary_care {
            c.text("patient.primary_care.name", &pc.name);
            c.opt_text("patient.primary_care.practice", &pc.practice);
            c.opt_phone("patient.primary_care.phone", &pc.phone);
            c.opt_phone("patient.primary_care.fax", &pc.fax);
        }
        birth
    }

    fn check_visit(&self, c: &mut Check) {
        let v = &self.visit;
        c.text_of(MULTI_LINE[0], &v.reason, true);
        c.unique("visit.goals", &v.goals);
        c.opt_text("visit.goals_other", &v.goals_other);
        c.opt_text("visit.areas_to_avoid", &v.areas_to_avoid);
    }

    fn check_health(&self, c: &mut Check) {
        let h = &self.health;
        // From `/2` on, every screening question has an answer; a `/1`
        // submission's unanswered ones are unknown (and flagged), not refused.
        let answers_required = self.schema != SCHEMA_V1;
        c.answered_list(
            "health.conditions",
            &h.conditions,
            &Condition::NoneOfThese,
            answers_required,
        );
        if h.conditions.contains(&Condition::RecentSurgeryOrInjury) {
            match &h.surgery_or_injury_date {
                None => c.err("health.surgery_or_injury_date", ErrorCode::Required),
                Some(d) => {
                    c.past_date("health.surgery_or_injury_date", d);
                }
            }
        } else {
            c.absent("health.surgery_or_injury_date", &h.surgery_or_injury_date);
        }
        if h.conditions.contains(&Condition::Pregnancy) {
            c.range(
                "health.pregnancy_weeks",
                h.pregnancy_weeks.map(u32::from),
                1,
                42,
                true,
            );
        } else {
            c.absent("health.pregnancy_weeks", &h.pregnancy_weeks);
        }
        c.opt_text_of(MULTI_LINE[1], &h.condition_notes, true);
        match h.takes_medications {
            None if answers_required => c.err("health.takes_medications", ErrorCode::Required),
            Some(true) if h.medications.is_empty() => {
                c.err("health.medications", ErrorCode::Required)
            }
            Some(false) if !h.medications.is_empty() => {
                c.err("health.medications", ErrorCode::NotApplicable)
            }
            _ => {}
        }
        if h.blood_thinners.is_none() && answers_required {
            c.err("health.blood_thinners", ErrorCode::Required);
        }
        if c.at_most("health.medications", &h.medications, 30) {
            for (i, m) in h.medications.iter().enumerate() {
                c.text(&format!("health.medications[{i}].name"), &m.name);
                c.opt_text(&format!("health.medications[{i}].dose"), &m.dose);
            }
        }
        c.answered_list(
            "health.allergies",
            &h.allergies,
            &Allergen::NoneOfThese,
            answers_required,
        );
        c.opt_text("health.allergies_other", &h.allergies_other);
    }

    fn check_pain(&self, c: &mut Check) {
        let regions: Vec<_> = self.pain.iter().map(|p| p.region).collect();
        for (i, p) in self.pain.iter().enumerate() {
            if regions[..i].contains(&p.region) {
                c.err(&format!("pain[{i}].region"), ErrorCode::Duplicate);
            }
            c.range(
                &format!("pain[{i}].intensity"),
                Some(u32::from(p.intensity)),
                0,
                10,
                true,
            );
        }
    }

    fn check_prescription(&self, c: &mut Check, birth: Option<Date>) {
        let rx = &self.prescription;
        c.range(
            "prescription.session_minutes",
            rx.session_minutes.map(u32::from),
            15,
            120,
            false,
        );
        if !rx.has_prescription {
            c.absent("prescription.session_minutes", &rx.session_minutes);
            c.absent("prescription.prescriber", &rx.prescriber);
            c.absent("prescription.date_written", &rx.date_written);
            if !rx.diagnoses.is_empty() {
                c.err("prescription.diagnoses", ErrorCode::NotApplicable);
            }
            if !rx.modalities.is_empty() {
                c.err("prescription.modalities", ErrorCode::NotApplicable);
            }
            c.absent("prescription.frequency_per_week", &rx.frequency_per_week);
            c.absent("prescription.duration_weeks", &rx.duration_weeks);
            c.absent("prescription.visits_authorized", &rx.visits_authorized);
            c.absent("prescription.prior_authorization", &rx.prior_authorization);
            c.absent("prescription.restrictions", &rx.restrictions);
            return;
        }
        match &rx.prescriber {
            None => c.err("prescription.prescriber", ErrorCode::Required),
            Some(p) => {
                c.text("prescription.prescriber.name", &p.name);
                if p.npi.trim().is_empty() {
                    c.err("prescription.prescriber.npi", ErrorCode::Required);
                } else {
                    match parse_npi(&p.npi) {
                        Ok(digits) if digits == p.npi => {}
                        Ok(_) | Err(NpiError::Length) => {
                            c.err("prescription.prescriber.npi", ErrorCode::NpiLength)
                        }
                        Err(NpiError::Prefix) => {
                            c.err("prescription.prescriber.npi", ErrorCode::NpiPrefix)
                        }
                        Err(NpiError::CheckDigit) => {
                            c.err("prescription.prescriber.npi", ErrorCode::NpiCheckDigit)
                        }
                    }
                }
                c.opt_text("prescription.prescriber.practice", &p.practice);
                c.phone("prescription.prescriber.phone", &p.phone);
                c.opt_phone("prescription.prescriber.fax", &p.fax);
            }
        }
        match &rx.date_written {
            None => c.err("prescription.date_written", ErrorCode::Required),
            Some(d) => {
                if let Some(written) = c.past_date("prescription.date_written", d) {
                    if birth.is_some_and(|b| written < b) {
                        c.err("prescription.date_written", ErrorCode::BeforeBirth);
                    } else if written.days_until(c.rules.today) > c.rules.prescription_validity_days
                    {
                        c.report.warnings.push(FieldError::new(
                            "prescription.date_written",
                            ErrorCode::PrescriptionOld,
                        ));
                    }
                }
            }
        }
        if rx.diagnoses.is_empty() {
            c.err("prescription.diagnoses", ErrorCode::Required);
        } else if c.at_most("prescription.diagnoses", &rx.diagnoses, 12) {
            for (i, d) in rx.diagnoses.iter().enumerate() {
                let path = format!("prescription.diagnoses[{i}].code");
                if d.code.trim().is_empty() {
                    c.err(&path, ErrorCode::Required);
                } else if icd10::normalize(&d.code).as_deref() != Some(d.code.as_str()) {
                    c.err(&path, ErrorCode::Icd10Format);
                } else if rx.diagnoses[..i].iter().any(|o| o.code == d.code) {
                    c.err(&path, ErrorCode::Duplicate);
                }
                c.text(
                    &format!("prescription.diagnoses[{i}].description"),
                    &d.description,
                );
            }
        }
        c.unique("prescription.modalities", &rx.modalities);
        c.range(
            "prescription.frequency_per_week",
            rx.frequency_per_week.map(u32::from),
            1,
            7,
            true,
        );
        c.range(
            "prescription.duration_weeks",
            rx.duration_weeks.map(u32::from),
            1,
            52,
            true,
        );
        c.range(
            "prescription.visits_authorized",
            rx.visits_authorized.map(u32::from),
            1,
            200,
            false,
        );
        c.opt_text("prescription.prior_authorization", &rx.prior_authorization);
        c.opt_text_of(MULTI_LINE[2], &rx.restrictions, true);
    }

    fn check_payer(&self, c: &mut Check) {
        let p = &self.payer;
        let kind = p.kind;
        if kind != PayerKind::HealthInsurance {
            c.absent("payer.health_insurance", &p.health_insurance);
        }
        if kind != PayerKind::AutoAccident {
            c.absent("payer.auto_accident", &p.auto_accident);
        }
        if kind != PayerKind::WorkersComp {
            c.absent("payer.workers_comp", &p.workers_comp);
        }
        match kind {
            PayerKind::SelfPay => {}
            PayerKind::HealthInsurance => match &p.health_insurance {
                None => c.err("payer.health_insurance", ErrorCode::Required),
                Some(h) => {
                    c.text("payer.health_insurance.carrier", &h.carrier);
                    c.text("payer.health_insurance.member_id", &h.member_id);
                    c.opt_text("payer.health_insurance.group_number", &h.group_number);
                    c.text("payer.health_insurance.subscriber_name", &h.subscriber_name);
                }
            },
            PayerKind::AutoAccident => match &p.auto_accident {
                None => c.err("payer.auto_accident", ErrorCode::Required),
                Some(a) => {
                    c.text("payer.auto_accident.carrier", &a.carrier);
                    c.text("payer.auto_accident.claim_number", &a.claim_number);
                    c.opt_text("payer.auto_accident.adjuster_name", &a.adjuster_name);
                    c.opt_phone("payer.auto_accident.adjuster_phone", &a.adjuster_phone);
                    c.past_date("payer.auto_accident.date_of_accident", &a.date_of_accident);
                }
            },
            PayerKind::WorkersComp => match &p.workers_comp {
                None => c.err("payer.workers_comp", ErrorCode::Required),
                Some(w) => {
                    c.text("payer.workers_comp.employer", &w.employer);
                    c.opt_text("payer.workers_comp.carrier", &w.carrier);
                    c.text("payer.workers_comp.claim_number", &w.claim_number);
                    c.opt_text("payer.workers_comp.adjuster_name", &w.adjuster_name);
                    c.opt_phone("payer.workers_comp.adjuster_phone", &w.adjuster_phone);
                    c.past_date("payer.workers_comp.date_of_injury", &w.date_of_injury);
                }
            },
        }
    }

    fn check_consents(&self, c: &mut Check, birth: Option<Date>) {
        let k = &self.consents;
        c.consent("consents.treatment", &k.treatment, true);
        c.consent("consents.privacy_notice", &k.privacy_notice, true);
        c.consent(
            "consents.share_with_primary_care",
            &k.share_with_primary_care,
            false,
        );
        let minor = birth.is_some_and(|b| b.age_on(c.rules.today) < 18);
        match &k.guardian {
            None if minor => c.err("consents.guardian", ErrorCode::Required),
            None => {}
            Some(g) => {
                c.text("consents.guardian.name", &g.name);
                c.text("consents.guardian.relationship", &g.relationship);
                c.phone("consents.guardian.phone", &g.phone);
            }
        }
    }

    fn check_signature(&self, c: &mut Check) {
        let s = &self.signature;
        match s.method {
            None => c.err("signature.method", ErrorCode::Required),
            Some(SignatureMethod::Drawn) => match &s.svg_path {
                _ if s.typed_name.is_some() => {
                    c.err("signature.typed_name", ErrorCode::NotApplicable)
                }
                None => c.err("signature.svg_path", ErrorCode::Required),
                Some(path) if path.is_too_long() => {
                    c.bounded("signature.svg_path", ErrorCode::TooLong, None, 20000)
                }
                Some(path) if !is_svg_path(path.as_str()) => {
                    c.err("signature.svg_path", ErrorCode::SignatureInvalid)
                }
                Some(path) if !is_more_than_a_mark(path.as_str()) => {
                    c.err("signature.svg_path", ErrorCode::SignatureTooSmall)
                }
                Some(_) => {}
            },
            Some(SignatureMethod::Typed) => match &s.typed_name {
                _ if s.svg_path.is_some() => c.err("signature.svg_path", ErrorCode::NotApplicable),
                None => c.err("signature.typed_name", ErrorCode::Required),
                Some(name)
                    if name.as_str().trim().is_empty()
                        || name.is_too_long()
                        || name.has_control(false) =>
                {
                    c.text("signature.typed_name", name)
                }
                Some(name) => {
                    let signer = name_key(name.as_str());
                    let p = &self.patient;
                    let mut names = vec![
                        name_key(&format!(
                            "{} {}",
                            p.given_name.as_str(),
                            p.family_name.as_str()
                        )),
                        name_key(&format!(
                            "{} {}",
                            p.family_name.as_str(),
                            p.given_name.as_str()
                        )),
                    ];
                    if let Some(g) = &self.consents.guardian {
                        names.push(name_key(g.name.as_str()));
                    }
                    if !names.contains(&signer) {
                        c.err("signature.typed_name", ErrorCode::SignatureNameMismatch);
                    }
                }
            },
        }
        if !is_utc_timestamp(&s.signed_at) {
            c.err("signature.signed_at", ErrorCode::TimestampInvalid);
        }
    }

    fn check_attachments(&self, c: &mut Check) {
        // The only kind is a photo of the prescription.
        if !self.prescription.has_prescription && !self.attachments.is_empty() {
            c.err("attachments", ErrorCode::NotApplicable);
            return;
        }
        if !c.at_most("attachments", &self.attachments, MAX_ATTACHMENTS) {
            return;
        }
        for (i, a) in self.attachments.iter().enumerate() {
            if !ATTACHMENT_TYPES.contains(&a.mime_type.as_str()) {
                c.err(
                    &format!("attachments[{i}].mime_type"),
                    ErrorCode::AttachmentType,
                );
            }
            if a.size_bytes > MAX_ATTACHMENT_BYTES {
                c.bounded(
                    &format!("attachments[{i}].size_bytes"),
                    ErrorCode::AttachmentTooLarge,
                    None,
                    MAX_ATTACHMENT_BYTES,
                );
            } else if a.size_bytes == 0
                || crate::base64::decoded_len(&a.data_base64) != Some(a.size_bytes as usize)
            {
                c.err(
                    &format!("attachments[{i}].data_base64"),
                    ErrorCode::AttachmentInvalid,
                );
            }
        }
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

/// SVG path data as the signature pad writes it: starts with a move, then only
/// path commands, numbers and separators.
pub fn is_svg_path(s: &str) -> bool {
    s.trim_start().starts_with(['M', 'm'])
        && s.chars().all(|c| {
            matches!(
                c,
                'M' | 'm'
                    | 'L'
                    | 'l'
                    | 'H'
                    | 'h'
                    | 'V'
                    | 'v'
                    | 'C'
                    | 'c'
                    | 'S'
                    | 's'
                    | 'Q'
                    | 'q'
                    | 'T'
                    | 't'
                    | 'Z'
                    | 'z'
                    | '0'..='9' | ' ' | '.' | ',' | '-' | 'e' | 'E'
            )
        })
        && s.chars().any(|c| c.is_ascii_digit())
}

/// The smallest drawn signature, in the pad's units (a 600 x 200 box): its
/// points must span this much across or down.
pub const MIN_SIGNATURE_SPAN: i32 = 40;

/// Whether a drawn signature is more than a dot: at least 4 points,
/// spanning [`MIN_SIGNATURE_SPAN`] one way or the other. Whole units are
/// enough here, so the numbers are read without float parsing (which would
/// cost the rules module kilobytes).
pub fn is_more_than_a_mark(path: &str) -> bool {
    let whole = |n: &str| -> Option<i32> {
        let int = n.split('.').next().unwrap_or("");
        match int {
            "" | "-" if n.len() > int.len() => Some(0),
            _ => int.parse().ok(),
        }
    };
    let numbers: Vec<i32> = path
        .split(|c: char| c.is_ascii_alphabetic() || c == ' ' || c == ',')
        .filter(|n| !n.is_empty())
        .filter_map(whole)
        .collect();
    let points: Vec<(i32, i32)> = numbers.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    let span = |pick: fn(&(i32, i32)) -> i32| {
        let (lo, hi) = points
            .iter()
            .map(pick)
            .fold((i32::MAX, i32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        hi.saturating_sub(lo)
    };
    points.len() >= 4
        && (span(|p| p.0) >= MIN_SIGNATURE_SPAN || span(|p| p.1) >= MIN_SIGNATURE_SPAN)
}

/// A name as a signature is compared: lower case, accents folded, and only
/// its letters and digits ("José  D'Ávila-Ruiz" and "jose davilaruiz" match).
/// Written without Unicode case tables, which would cost the rules module
/// kilobytes: Latin letters with accents are folded by the table below, other
/// scripts are compared as written.
pub fn name_key(name: &str) -> String {
    const FOLD: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşš", "s"),
        ("ţťŧ", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ßẞ", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
    ];
    let mut key = String::with_capacity(name.len());
    for c in name.chars() {
        // Capitals of Latin-1 and Latin Extended-A to small letters: À-Þ are
        // 32 below theirs; in Ā-ž each capital is just before its small
        // letter (at even places, odd ones in Ĺ-Ň and Ź-Ž).
        let n = u32::from(c);
        let lower = match n {
            0xC0..=0xDE if n != 0xD7 => n + 32,
            0x100..=0x137 | 0x14A..=0x177 if n % 2 == 0 => n + 1,
            0x139..=0x148 | 0x179..=0x17E if n % 2 == 1 => n + 1,
            _ => n,
        };
        let c = char::from_u32(lower).unwrap_or(c);
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if c.is_ascii() {
            // Spaces, hyphens, apostrophes, dots: not part of the name's key.
        } else if let Some((_, plain)) = FOLD.iter().find(|(accented, _)| accented.contains(c)) {
            key.push_str(plain);
        } else if !matches!(c, '\u{300}'..='\u{36f}' | '\u{a0}' | '\u{b7}' | '\u{2010}'..='\u{2019}')
        {
            // Combining accents, no-break spaces, dashes and curly quotes go.
            key.push(c);
        }
    }
    key
}
