//! What the patient has typed so far, exactly as typed, and how it becomes a
//! submission: text trimmed, phone numbers in E.164, numbers parsed, absent
//! answers `None`, optional blocks present only when something was written in
//! them, flags computed. The result is then checked by [`Submission::validate`],
//! the same rules the receiver applies; [`IntakeDraft::validate`] adds what
//! only a draft can get wrong (a question not answered yet, a number that is
//! not one).

use serde::{Deserialize, Serialize};

use crate::config::Mode;
use crate::date::Date;
use crate::flags::compute_flags;
use crate::phone::PhoneNumber;
use crate::submission::{
    Address, Attachment, AutoAccident, ConsentRecord, Consents, Diagnosis, EmergencyContact,
    Guardian, HealthHistory, HealthInsurance, Medication, PainRegion, Patient, Payer, Prescriber,
    Prescription, PrimaryCare, Signature, Submission, Visit, WorkersComp, PRIVACY_NOTICE_VERSION,
    SCHEMA, SHARE_CONSENT_VERSION, TREATMENT_CONSENT_VERSION,
};
use crate::text::Text;
use crate::validate::{ErrorCode, FieldError, Report, Rules};
use crate::vocab::{
    Allergen, AttachmentKind, BodyRegion, Condition, Goal, Modality, PayerKind, Pressure,
    PriorMassage, SignatureMethod, SubscriberRelationship,
};

/// One medicine as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MedicationDraft {
    pub name: String,
    pub dose: String,
}

/// One diagnosis as chosen from the list or typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiagnosisDraft {
    pub code: String,
    pub description: String,
}

/// One region picked on the body map.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PainDraft {
    /// A [`BodyRegion`] code.
    pub region: String,
    /// 0 to 10; `None` until the patient rates it.
    pub intensity: Option<u8>,
}

/// The prescription photo, already downscaled by the browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhotoDraft {
    pub mime_type: String,
    /// Standard base64 with padding.
    pub data_base64: String,
}

/// The answers of the intake form, as typed. Choices are vocabulary codes;
/// a question not answered yet is an empty string. Read from JSON by a
/// hand-written visitor (see below): a missing field is empty, an unknown
/// one refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IntakeDraft {
    // About you.
    pub given_name: String,
    pub family_name: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub emergency_name: String,
    pub emergency_relationship: String,
    pub emergency_phone: String,
    pub pcp_name: String,
    pub pcp_practice: String,
    pub pcp_phone: String,
    pub pcp_fax: String,
    // Visit and goals.
    pub reason: String,
    pub goals: Vec<String>,
    pub goals_other: String,
    pub pressure: String,
    pub areas_to_avoid: String,
    pub prior_massage: String,
    /// `yes`, `no`, or empty while unanswered.
    pub has_prescription: String,
    /// A [`PayerKind`] code, or empty while unanswered.
    pub payer_kind: String,
    // Health history.
    pub conditions: Vec<String>,
    pub surgery_date: String,
    pub pregnancy_weeks: String,
    pub condition_notes: String,
    /// `yes`, `no`, or empty while unanswered.
    pub takes_medications: String,
    pub medications: Vec<MedicationDraft>,
    /// `yes`, `no`, or empty while unanswered.
    pub blood_thinners: String,
    pub allergies: Vec<String>,
    pub allergies_other: String,
    // Where it hurts.
    pub pain: Vec<PainDraft>,
    // Prescription.
    pub prescriber_name: String,
    pub npi: String,
    pub prescriber_practice: String,
    pub prescriber_phone: String,
    pub prescriber_fax: String,
    pub date_written: String,
    pub diagnoses: Vec<DiagnosisDraft>,
    pub modalities: Vec<String>,
    pub frequency_per_week: String,
    pub duration_weeks: String,
    pub visits_authorized: String,
    /// Empty when the prescription does not say (never assumed).
    pub session_minutes: String,
    pub prior_authorization: String,
    pub restrictions: String,
    pub photo: Option<PhotoDraft>,
    // Payment.
    pub insurance_carrier: String,
    pub member_id: String,
    pub group_number: String,
    pub subscriber_name: String,
    pub subscriber_relationship: String,
    pub auto_carrier: String,
    pub auto_claim_number: String,
    pub auto_adjuster_name: String,
    pub auto_adjuster_phone: String,
    pub auto_date: String,
    pub wc_employer: String,
    pub wc_carrier: String,
    pub wc_claim_number: String,
    pub wc_adjuster_name: String,
    pub wc_adjuster_phone: String,
    pub wc_date: String,
    // Consent and signature.
    pub consent_treatment: bool,
    pub consent_privacy: bool,
    pub consent_share: bool,
    /// When each consent was given (RFC 3339 UTC, from the patient's device);
    /// empty while not given.
    pub consent_treatment_at: String,
    pub consent_privacy_at: String,
    pub consent_share_at: String,
    /// A minor's parent or guardian.
    pub guardian_name: String,
    pub guardian_relationship: String,
    pub guardian_phone: String,
    /// The drawn signature as SVG path data; empty when not drawn.
    pub signature_path: String,
    /// The full name typed as a signature (when nothing is drawn).
    pub signature_name: String,
}

macro_rules! field_table {
    ($name:ident, $ty:ty, [$($field:ident),* $(,)?]) => {
        impl IntakeDraft {
            /// The field named `key` (as the draft's JSON names it), when it
            /// is one of this type: one call for every field of the type,
            /// where a read per field is inlined once for each.
            pub fn $name(&mut self, key: &str) -> Option<&mut $ty> {
                Some(match key {
                    $( stringify!($field) => &mut self.$field, )*
                    _ => return None,
                })
            }
        }
    };
}

field_table!(
    text_field,
    String,
    [
        given_name,
        family_name,
        date_of_birth,
        phone,
        email,
        address_line1,
        address_line2,
        city,
        region,
        postal_code,
        emergency_name,
        emergency_relationship,
        emergency_phone,
        pcp_name,
        pcp_practice,
        pcp_phone,
        pcp_fax,
        reason,
        goals_other,
        pressure,
        areas_to_avoid,
        prior_massage,
        has_prescription,
        payer_kind,
        surgery_date,
        pregnancy_weeks,
        condition_notes,
        takes_medications,
        blood_thinners,
        allergies_other,
        prescriber_name,
        npi,
        prescriber_practice,
        prescriber_phone,
        prescriber_fax,
        date_written,
        frequency_per_week,
        duration_weeks,
        visits_authorized,
        session_minutes,
        prior_authorization,
        restrictions,
        insurance_carrier,
        member_id,
        group_number,
        subscriber_name,
        subscriber_relationship,
        auto_carrier,
        auto_claim_number,
        auto_adjuster_name,
        auto_adjuster_phone,
        auto_date,
        wc_employer,
        wc_carrier,
        wc_claim_number,
        wc_adjuster_name,
        wc_adjuster_phone,
        wc_date,
        guardian_name,
        guardian_relationship,
        guardian_phone,
        signature_path,
        signature_name,
        consent_treatment_at,
        consent_privacy_at,
        consent_share_at,
    ]
);
field_table!(
    flag_field,
    bool,
    [consent_treatment, consent_privacy, consent_share]
);
field_table!(
    codes_field,
    Vec<String>,
    [goals, conditions, allergies, modalities]
);

/// Reads a draft field by field through one call per type of field: the
/// derived reader, one inlined call per field, was about 30 KB of wasm in
/// every module that reads drafts.
impl<'de> Deserialize<'de> for IntakeDraft {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = IntakeDraft;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the intake form's answers")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<IntakeDraft, A::Error> {
                let mut d = IntakeDraft::default();
                while let Some(key) = map.next_key::<String>()? {
                    if let Some(field) = d.text_field(&key) {
                        *field = map.next_value()?;
                    } else if let Some(field) = d.flag_field(&key) {
                        *field = map.next_value()?;
                    } else if let Some(field) = d.codes_field(&key) {
                        *field = map.next_value()?;
                    } else {
                        match key.as_str() {
                            "medications" => d.medications = map.next_value()?,
                            "diagnoses" => d.diagnoses = map.next_value()?,
                            "pain" => d.pain = map.next_value()?,
                            "photo" => d.photo = map.next_value()?,
                            other => {
                                return Err(serde::de::Error::custom(format_args!(
                                    "unknown field `{other}`"
                                )))
                            }
                        }
                    }
                }
                Ok(d)
            }
        }
        deserializer.deserialize_map(Fields)
    }
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

/// The steps of the intake, in order. Review is the last; sending happens there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    About,
    Visit,
    Health,
    Pain,
    Prescription,
    Payment,
    Consent,
    Review,
}

impl Step {
    pub const ALL: &'static [Step] = &[
        Step::About,
        Step::Visit,
        Step::Health,
        Step::Pain,
        Step::Prescription,
        Step::Payment,
        Step::Consent,
        Step::Review,
    ];

    /// The step whose fields hold the answer at `path` (a validation path).
    /// Anything that belongs to no question (the envelope) is shown on Review.
    pub fn of_path(path: &str) -> Step {
        let head = path.split(['.', '[']).next().unwrap_or("");
        match head {
            "patient" => Step::About,
            "visit" => Step::Visit,
            "health" => Step::Health,
            "pain" => Step::Pain,
            "payer" if path == "payer.kind" => Step::Visit,
            "payer" => Step::Payment,
            "prescription" if path == "prescription.has_prescription" => Step::Visit,
            "prescription" | "attachments" => Step::Prescription,
            "consents" | "signature" => Step::Consent,
            _ => Step::Review,
        }
    }

    /// Whether the patient sees this step with these answers: the prescription
    /// step unless they have none, the payment step unless they pay
    /// themselves (until those questions are answered, both count).
    pub fn applies(self, draft: &IntakeDraft) -> bool {
        match self {
            Step::Prescription => draft.has_prescription != "no",
            Step::Payment => draft.payer_kind != "self_pay",
            _ => true,
        }
    }

    /// The steps the patient sees, in order.
    pub fn shown(draft: &IntakeDraft) -> Vec<Step> {
        Step::ALL
            .iter()
            .copied()
            .filter(|s| s.applies(draft))
            .collect()
    }
}

/// How the draft's own problems are collected.
struct DraftCheck(Vec<FieldError>);

impl DraftCheck {
    fn number(&mut self, path: &str, typed: &str, min: u32, max: u32) -> Option<u32> {
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        match typed.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.0.push(FieldError {
                    path: path.to_owned(),
                    code: ErrorCode::OutOfRange,
                    min: Some(min),
                    max: Some(max),
                });
                None
            }
        }
    }

    fn codes<T>(&mut self, path: &str, typed: &[String], from: fn(&str) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        for code in typed {
            match from(code) {
                Some(v) => out.push(v),
                None => self.0.push(FieldError::new(path, ErrorCode::InvalidValue)),
            }
        }
        out
    }

    /// `yes` or `no` as a boolean; `None` while unanswered.
    fn yes_no(&mut self, path: &str, typed: &str) -> Option<bool> {
        self.code(path, typed, |t| match t {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })
    }

    fn code<T>(&mut self, path: &str, typed: &str, from: fn(&str) -> Option<T>) -> Option<T> {
        if typed.is_empty() {
            return None;
        }
        let found = from(typed);
        if found.is_none() {
            self.0.push(FieldError::new(path, ErrorCode::InvalidValue));
        }
        found
    }
}

impl IntakeDraft {
    /// Builds the submission these answers make.
    pub fn to_submission(&self, ctx: &SubmitContext) -> Submission {
        self.build(ctx).0
    }

    /// The submission, and the problems only the draft can have.
    fn build(&self, ctx: &SubmitContext) -> (Submission, Vec<FieldError>) {
        let mut c = DraftCheck(Vec::new());
        if self.has_prescription.is_empty() {
            c.0.push(FieldError::new(
                "prescription.has_prescription",
                ErrorCode::Required,
            ));
        }
        let payer_kind = if self.payer_kind.is_empty() {
            c.0.push(FieldError::new("payer.kind", ErrorCode::Required));
            PayerKind::SelfPay
        } else {
            c.code("payer.kind", &self.payer_kind, PayerKind::from_code)
                .unwrap_or(PayerKind::SelfPay)
        };
        // When it was ticked; a draft from before times were kept has none.
        let consent = |given: bool, at: &str, version: &str| {
            given.then(|| ConsentRecord {
                version: Text::new(version),
                accepted_at: if at.is_empty() {
                    ctx.submitted_at.clone()
                } else {
                    at.to_owned()
                },
            })
        };
        let patient = Patient {
            given_name: trimmed(&self.given_name),
            family_name: trimmed(&self.family_name),
            date_of_birth: self.date_of_birth.trim().to_owned(),
            phone: e164_or_as_typed(&self.phone),
            email: optional(&self.email),
            address: any_of(&[
                &self.address_line1,
                &self.address_line2,
                &self.city,
                &self.region,
                &self.postal_code,
            ])
            .then(|| Address {
                line1: trimmed(&self.address_line1),
                line2: optional(&self.address_line2),
                city: trimmed(&self.city),
                region: self.region.trim().to_ascii_uppercase(),
                postal_code: self.postal_code.trim().to_ascii_uppercase(),
            }),
            emergency_contact: any_of(&[
                &self.emergency_name,
                &self.emergency_relationship,
                &self.emergency_phone,
            ])
            .then(|| EmergencyContact {
                name: trimmed(&self.emergency_name),
                relationship: trimmed(&self.emergency_relationship),
                phone: e164_or_as_typed(&self.emergency_phone),
            }),
            primary_care: any_of(&[
                &self.pcp_name,
                &self.pcp_practice,
                &self.pcp_phone,
                &self.pcp_fax,
            ])
            .then(|| PrimaryCare {
                name: trimmed(&self.pcp_name),
                practice: optional(&self.pcp_practice),
                phone: optional_phone(&self.pcp_phone),
                fax: optional_phone(&self.pcp_fax),
            }),
        };
        let visit = Visit {
            reason: trimmed(&self.reason),
            goals: c.codes("visit.goals", &self.goals, Goal::from_code),
            goals_other: optional(&self.goals_other),
            pressure: c.code("visit.pressure", &self.pressure, Pressure::from_code),
            areas_to_avoid: optional(&self.areas_to_avoid),
            prior_massage: c.code(
                "visit.prior_massage",
                &self.prior_massage,
                PriorMassage::from_code,
            ),
        };
        let conditions = c.codes("health.conditions", &self.conditions, Condition::from_code);
        let pregnant = conditions.contains(&Condition::Pregnancy);
        let operated = conditions.contains(&Condition::RecentSurgeryOrInjury);
        let takes_medications = c.yes_no("health.takes_medications", &self.takes_medications);
        let health = HealthHistory {
            surgery_or_injury_date: operated
                .then(|| optional_date(&self.surgery_date))
                .flatten(),
            pregnancy_weeks: if pregnant {
                c.number("health.pregnancy_weeks", &self.pregnancy_weeks, 1, 42)
                    .map(|n| u8::try_from(n).unwrap_or(u8::MAX))
            } else {
                None
            },
            conditions,
            condition_notes: optional(&self.condition_notes),
            takes_medications,
            // Rows typed before answering "No" are not sent.
            medications: self
                .medications
                .iter()
                .filter(|m| takes_medications == Some(true) && any_of(&[&m.name, &m.dose]))
                .map(|m| Medication {
                    name: trimmed(&m.name),
                    dose: optional(&m.dose),
                })
                .collect(),
            blood_thinners: c.yes_no("health.blood_thinners", &self.blood_thinners),
            allergies: c.codes("health.allergies", &self.allergies, Allergen::from_code),
            allergies_other: optional(&self.allergies_other),
        };
        let mut pain = Vec::new();
        for (i, p) in self.pain.iter().enumerate() {
            match (BodyRegion::from_code(&p.region), p.intensity) {
                (Some(region), Some(intensity)) => pain.push(PainRegion { region, intensity }),
                // Tapped but not rated: asked for, never guessed.
                (Some(_), None) => {
                    c.0.push(FieldError::new(
                        &format!("pain[{i}].intensity"),
                        ErrorCode::Required,
                    ));
                }
                (None, _) => c.0.push(FieldError::new("pain", ErrorCode::InvalidValue)),
            }
        }
        let has_prescription = self.has_prescription == "yes";
        let prescription = if has_prescription {
            Prescription {
                has_prescription,
                prescriber: Some(Prescriber {
                    name: trimmed(&self.prescriber_name),
                    npi: self.npi.trim().to_owned(),
                    practice: optional(&self.prescriber_practice),
                    phone: e164_or_as_typed(&self.prescriber_phone),
                    fax: optional_phone(&self.prescriber_fax),
                }),
                date_written: Some(self.date_written.trim().to_owned()),
                diagnoses: self
                    .diagnoses
                    .iter()
                    .map(|d| Diagnosis {
                        code: crate::icd10::normalize(&d.code)
                            .unwrap_or_else(|| d.code.trim().to_owned()),
                        description: trimmed(&d.description),
                    })
                    .collect(),
                modalities: c.codes(
                    "prescription.modalities",
                    &self.modalities,
                    Modality::from_code,
                ),
                frequency_per_week: small(c.number(
                    "prescription.frequency_per_week",
                    &self.frequency_per_week,
                    1,
                    7,
                )),
                duration_weeks: small(c.number(
                    "prescription.duration_weeks",
                    &self.duration_weeks,
                    1,
                    52,
                )),
                visits_authorized: c
                    .number(
                        "prescription.visits_authorized",
                        &self.visits_authorized,
                        1,
                        200,
                    )
                    .map(|n| u16::try_from(n).unwrap_or(u16::MAX)),
                session_minutes: c
                    .number(
                        "prescription.session_minutes",
                        &self.session_minutes,
                        15,
                        120,
                    )
                    .map(|n| u16::try_from(n).unwrap_or(u16::MAX)),
                prior_authorization: optional(&self.prior_authorization),
                restrictions: optional(&self.restrictions),
            }
        } else {
            Prescription::default()
        };
        let payer = Payer {
            kind: payer_kind,
            health_insurance: (payer_kind == PayerKind::HealthInsurance).then(|| HealthInsurance {
                carrier: trimmed(&self.insurance_carrier),
                member_id: trimmed(&self.member_id),
                group_number: optional(&self.group_number),
                subscriber_name: trimmed(&self.subscriber_name),
                subscriber_relationship: c.code(
                    "payer.health_insurance.subscriber_relationship",
                    &self.subscriber_relationship,
                    SubscriberRelationship::from_code,
                ),
            }),
            auto_accident: (payer_kind == PayerKind::AutoAccident).then(|| AutoAccident {
                carrier: trimmed(&self.auto_carrier),
                claim_number: trimmed(&self.auto_claim_number),
                adjuster_name: optional(&self.auto_adjuster_name),
                adjuster_phone: optional_phone(&self.auto_adjuster_phone),
                date_of_accident: self.auto_date.trim().to_owned(),
            }),
            workers_comp: (payer_kind == PayerKind::WorkersComp).then(|| WorkersComp {
                employer: trimmed(&self.wc_employer),
                carrier: optional(&self.wc_carrier),
                claim_number: trimmed(&self.wc_claim_number),
                adjuster_name: optional(&self.wc_adjuster_name),
                adjuster_phone: optional_phone(&self.wc_adjuster_phone),
                date_of_injury: self.wc_date.trim().to_owned(),
            }),
        };
        let drawn = !self.signature_path.trim().is_empty();
        let signature = if drawn {
            Signature {
                method: Some(SignatureMethod::Drawn),
                svg_path: Some(Text::new(self.signature_path.trim())),
                typed_name: None,
                signed_at: ctx.submitted_at.clone(),
            }
        } else {
            // Signing by typing the full name; a blank name is reported on that field.
            Signature {
                method: Some(SignatureMethod::Typed),
                svg_path: None,
                typed_name: Some(trimmed(&self.signature_name)),
                signed_at: ctx.submitted_at.clone(),
            }
        };
        let attachments = self
            .photo
            .iter()
            .filter(|p| has_prescription && !p.data_base64.is_empty())
            .map(|p| Attachment {
                kind: AttachmentKind::PrescriptionPhoto,
                mime_type: p.mime_type.clone(),
                size_bytes: crate::base64::decoded_len(&p.data_base64)
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
                data_base64: p.data_base64.clone(),
            })
            .collect();
        let mut submission = Submission {
            schema: SCHEMA.to_owned(),
            submission_id: ctx.submission_id.clone(),
            submitted_at: ctx.submitted_at.clone(),
            locale: ctx.locale.clone(),
            mode: ctx.mode,
            patient,
            visit,
            health,
            pain,
            prescription,
            payer,
            consents: Consents {
                treatment: consent(
                    self.consent_treatment,
                    &self.consent_treatment_at,
                    TREATMENT_CONSENT_VERSION,
                ),
                privacy_notice: consent(
                    self.consent_privacy,
                    &self.consent_privacy_at,
                    PRIVACY_NOTICE_VERSION,
                ),
                share_with_primary_care: consent(
                    self.consent_share,
                    &self.consent_share_at,
                    SHARE_CONSENT_VERSION,
                ),
                guardian: self.guardian(),
            },
            signature,
            attachments,
            flags: Vec::new(),
        };
        submission.flags = compute_flags(&submission);
        (submission, c.0)
    }

    /// The submission these answers make, and what [`Submission::validate`]
    /// (the receiver's rules) says of it, with the draft's own problems, all in the order
    /// of the steps (a problem the draft found on a field replaces the model's on it).
    pub fn validate(&self, ctx: &SubmitContext, rules: &Rules) -> (Submission, Report) {
        let (submission, own) = self.build(ctx);
        let mut report = submission.validate(rules);
        if !own.is_empty() {
            report
                .errors
                .retain(|e| own.iter().all(|o| o.path != e.path));
            report.errors.extend(own);
            // Step by step, each step's problems in the order found: what a
            // stable sort by step gives, without a sort's code in the form.
            let mut rest = std::mem::take(&mut report.errors);
            for step in Step::ALL {
                let (now, later): (Vec<_>, Vec<_>) = rest
                    .into_iter()
                    .partition(|e| Step::of_path(&e.path) == *step);
                report.errors.extend(now);
                rest = later;
            }
            report.errors.extend(rest);
        }
        (submission, report)
    }

    /// Whether the date of birth makes the patient a minor on `today`, so the
    /// form asks for a parent or guardian.
    pub fn is_minor_on(&self, today: Date) -> bool {
        Date::parse(self.date_of_birth.trim()).is_some_and(|b| b <= today && b.age_on(today) < 18)
    }

    fn guardian(&self) -> Option<Guardian> {
        any_of(&[
            &self.guardian_name,
            &self.guardian_relationship,
            &self.guardian_phone,
        ])
        .then(|| Guardian {
            name: trimmed(&self.guardian_name),
            relationship: trimmed(&self.guardian_relationship),
            phone: e164_or_as_typed(&self.guardian_phone),
        })
    }
}

fn any_of(fields: &[&String]) -> bool {
    fields.iter().any(|f| !f.trim().is_empty())
}

fn trimmed<const M: usize>(s: &str) -> Text<M> {
    Text::new(s.trim())
}

fn optional<const M: usize>(s: &str) -> Option<Text<M>> {
    let s = s.trim();
    (!s.is_empty()).then(|| Text::new(s))
}

fn optional_phone(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| e164_or_as_typed(s))
}

fn optional_date(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn small(n: Option<u32>) -> Option<u8> {
    n.map(|n| u8::try_from(n).unwrap_or(u8::MAX))
}

/// A number as E.164 when it is one, else as typed (validation then says why).
pub fn e164_or_as_typed(typed: &str) -> String {
    PhoneNumber::parse(typed)
        .map(|n| n.e164())
        .unwrap_or_else(|_| typed.trim().to_owned())
}
