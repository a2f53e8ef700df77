//! The questions of each step, as data: what [`super::IntakeForm`] renders
//! and what the review reads back.

use intake_core::npi::{parse_npi, NpiError};
use intake_core::{ErrorCode, IntakeDraft, Msg, Step};

use super::field::FieldSpec;

macro_rules! text {
    ($path:literal, $label:ident, $ty:literal, $auto:literal, $field:ident) => {
        FieldSpec::text(
            $path,
            Msg::$label,
            $ty,
            $auto,
            |d| &d.$field,
            |d, v| d.$field = v,
        )
    };
}

macro_rules! area {
    ($path:literal, $label:ident, $field:ident) => {
        FieldSpec::area($path, Msg::$label, |d| &d.$field, |d, v| d.$field = v)
    };
}

macro_rules! radio {
    ($path:literal, $label:ident, $codes:expr, $prefix:literal, $field:ident) => {
        FieldSpec::radio(
            $path,
            Msg::$label,
            $codes,
            $prefix,
            |d| &d.$field,
            |d, v| d.$field = v,
        )
    };
}

macro_rules! checks {
    ($path:literal, $label:ident, $codes:expr, $prefix:literal, $field:ident) => {
        FieldSpec::checks(
            $path,
            Msg::$label,
            $codes,
            $prefix,
            |d| &d.$field,
            |d| &mut d.$field,
        )
    };
}

/// A consent's tick box, which also records when it was ticked.
macro_rules! consent {
    ($path:literal, $label:ident, $field:ident, $at:ident) => {
        FieldSpec::check(
            $path,
            Msg::$label,
            |d| d.$field,
            |d, v| {
                d.$field = v;
                d.$at = if v {
                    crate::intake::now_utc()
                } else {
                    String::new()
                };
            },
        )
    };
}

/// A part of a step.
#[derive(Clone, Copy)]
pub enum Block {
    /// Questions one after another.
    Fields(&'static [FieldSpec]),
    /// Questions under a legend, shown while the condition holds.
    Group(
        Msg,
        Option<Msg>,
        &'static [FieldSpec],
        Option<fn(&IntakeDraft) -> bool>,
    ),
    /// A paragraph.
    Intro(Msg),
    /// A consent text and its version.
    Consent(Msg, &'static str),
    Medications,
    BodyMap,
    Diagnoses,
    Photo,
    Signature,
}

const ABOUT: &[FieldSpec] = &[
    text!(
        "patient.given_name",
        FieldGivenName,
        "text",
        "given-name",
        given_name
    ),
    text!(
        "patient.family_name",
        FieldFamilyName,
        "text",
        "family-name",
        family_name
    ),
    text!(
        "patient.date_of_birth",
        FieldDateOfBirth,
        "date",
        "bday",
        date_of_birth
    ),
    text!("patient.phone", FieldPhone, "tel", "tel", phone)
        .hint(Msg::FieldPhoneHint)
        .inputmode("tel"),
    text!("patient.email", FieldEmail, "email", "email", email)
        .hint(Msg::FieldEmailHint)
        .optional(),
];

const ADDRESS: &[FieldSpec] = &[
    text!(
        "patient.address.line1",
        FieldAddressLine1,
        "text",
        "address-line1",
        address_line1
    ),
    text!(
        "patient.address.line2",
        FieldAddressLine2,
        "text",
        "address-line2",
        address_line2
    )
    .optional(),
    text!(
        "patient.address.city",
        FieldCity,
        "text",
        "address-level2",
        city
    ),
    text!(
        "patient.address.region",
        FieldRegion,
        "text",
        "address-level1",
        region
    )
    .hint(Msg::FieldRegionHint),
    text!(
        "patient.address.postal_code",
        FieldPostalCode,
        "text",
        "postal-code",
        postal_code
    ),
];

const EMERGENCY: &[FieldSpec] = &[
    text!(
        "patient.emergency_contact.name",
        FieldEmergencyName,
        "text",
        "off",
        emergency_name
    ),
    text!(
        "patient.emergency_contact.relationship",
        FieldEmergencyRelationship,
        "text",
        "off",
        emergency_relationship
    ),
    text!(
        "patient.emergency_contact.phone",
        FieldEmergencyPhone,
        "tel",
        "off",
        emergency_phone
    )
    .inputmode("tel"),
];

const PRIMARY_CARE: &[FieldSpec] = &[
    text!(
        "patient.primary_care.name",
        FieldPcpName,
        "text",
        "off",
        pcp_name
    ),
    text!(
        "patient.primary_care.practice",
        FieldPcpPractice,
        "text",
        "off",
        pcp_practice
    )
    .optional(),
    text!(
        "patient.primary_care.phone",
        FieldPcpPhone,
        "tel",
        "off",
        pcp_phone
    )
    .inputmode("tel")
    .optional(),
    text!(
        "patient.primary_care.fax",
        FieldPcpFax,
        "tel",
        "off",
        pcp_fax
    )
    .inputmode("tel")
    .optional(),
];

const GOALS: &[&str] = &[
    "reduce_pain",
    "improve_mobility",
    "recover_from_injury",
    "reduce_stress",
    "sleep_better",
    "improve_posture",
];
const PRESSURES: &[&str] = &["light", "medium", "firm", "no_preference"];
const PRIOR: &[&str] = &["never", "occasionally", "regularly"];
const YES_NO: &[&str] = &["yes", "no"];
const PAYERS: &[&str] = &[
    "self_pay",
    "health_insurance",
    "auto_accident",
    "workers_comp",
];

const VISIT: &[FieldSpec] = &[
    area!("visit.reason", FieldReason, reason).hint(Msg::FieldReasonHint),
    checks!("visit.goals", FieldGoals, GOALS, "goal", goals).hint(Msg::FieldGoalsHint),
    text!(
        "visit.goals_other",
        FieldGoalsOther,
        "text",
        "off",
        goals_other
    )
    .optional(),
    radio!(
        "visit.pressure",
        FieldPressure,
        PRESSURES,
        "pressure",
        pressure
    )
    .optional(),
    text!(
        "visit.areas_to_avoid",
        FieldAreasToAvoid,
        "text",
        "off",
        areas_to_avoid
    )
    .optional(),
    radio!(
        "visit.prior_massage",
        FieldPriorMassage,
        PRIOR,
        "prior",
        prior_massage
    )
    .optional(),
    radio!(
        "prescription.has_prescription",
        FieldHasPrescription,
        YES_NO,
        "answer",
        has_prescription
    )
    .hint(Msg::FieldHasPrescriptionHint),
    radio!("payer.kind", FieldPayerKind, PAYERS, "payer", payer_kind),
];

const CONDITIONS: &[&str] = &[
    "blood_clots",
    "varicose_veins",
    "high_blood_pressure",
    "heart_condition",
    "stroke",
    "disc_injury",
    "osteoporosis",
    "arthritis",
    "fibromyalgia",
    "fracture",
    "joint_replacement",
    "skin_condition",
    "open_wounds",
    "cancer_history",
    "cancer_in_treatment",
    "diabetes",
    "recent_surgery_or_injury",
    "fever_or_contagious",
    "pregnancy",
    "headaches",
    "numbness_or_tingling",
    "none",
];
const ALLERGENS: &[&str] = &["oils", "lotions", "nuts", "latex", "fragrance", "none"];

fn has(d: &IntakeDraft, code: &str) -> bool {
    d.conditions.iter().any(|c| c == code)
}

const HEALTH: &[FieldSpec] = &[
    checks!(
        "health.conditions",
        FieldConditions,
        CONDITIONS,
        "condition",
        conditions
    )
    .hint(Msg::FieldConditionsHint)
    .required(),
    text!(
        "health.surgery_or_injury_date",
        FieldSurgeryDate,
        "date",
        "off",
        surgery_date
    )
    .when(|d| has(d, "recent_surgery_or_injury")),
    text!(
        "health.pregnancy_weeks",
        FieldPregnancyWeeks,
        "number",
        "off",
        pregnancy_weeks
    )
    .inputmode("numeric")
    .when(|d| has(d, "pregnancy")),
    area!(
        "health.condition_notes",
        FieldConditionNotes,
        condition_notes
    )
    .optional(),
];

/// Asked before the list of medicines, which shows only with "Yes".
pub const TAKES_MEDICATIONS: &[FieldSpec] = &[radio!(
    "health.takes_medications",
    FieldTakesMedications,
    YES_NO,
    "answer",
    takes_medications
)];

const HEALTH_AFTER: &[FieldSpec] = &[
    radio!(
        "health.blood_thinners",
        FieldBloodThinners,
        YES_NO,
        "answer",
        blood_thinners
    ),
    checks!(
        "health.allergies",
        FieldAllergies,
        ALLERGENS,
        "allergen",
        allergies
    )
    .required(),
    text!(
        "health.allergies_other",
        FieldAllergiesOther,
        "text",
        "off",
        allergies_other
    )
    .optional(),
];

/// The NPI check as the patient types (shown once they leave the field).
fn npi_live(typed: &str) -> Option<ErrorCode> {
    if typed.trim().is_empty() {
        return None;
    }
    match parse_npi(typed) {
        Ok(_) => None,
        Err(NpiError::Length) => Some(ErrorCode::NpiLength),
        Err(NpiError::Prefix) => Some(ErrorCode::NpiPrefix),
        Err(NpiError::CheckDigit) => Some(ErrorCode::NpiCheckDigit),
    }
}

const PRESCRIBER: &[FieldSpec] = &[
    text!(
        "prescription.prescriber.name",
        FieldPrescriberName,
        "text",
        "off",
        prescriber_name
    )
    .also(&["prescription.prescriber"]),
    text!("prescription.prescriber.npi", FieldNpi, "text", "off", npi)
        .hint(Msg::FieldNpiHint)
        .inputmode("numeric")
        .live(npi_live),
    text!(
        "prescription.prescriber.practice",
        FieldPrescriberPractice,
        "text",
        "off",
        prescriber_practice
    )
    .optional(),
    text!(
        "prescription.prescriber.phone",
        FieldPrescriberPhone,
        "tel",
        "off",
        prescriber_phone
    )
    .inputmode("tel"),
    text!(
        "prescription.prescriber.fax",
        FieldPrescriberFax,
        "tel",
        "off",
        prescriber_fax
    )
    .inputmode("tel")
    .optional(),
    text!(
        "prescription.date_written",
        FieldDateWritten,
        "date",
        "off",
        date_written
    ),
];

const MODALITIES: &[&str] = &["97124", "97140", "97112"];

const TREATMENT: &[FieldSpec] = &[
    checks!(
        "prescription.modalities",
        FieldModalities,
        MODALITIES,
        "modality",
        modalities
    )
    .hint(Msg::FieldModalitiesHint),
    text!(
        "prescription.frequency_per_week",
        FieldFrequencyPerWeek,
        "number",
        "off",
        frequency_per_week
    )
    .inputmode("numeric"),
    text!(
        "prescription.duration_weeks",
        FieldDurationWeeks,
        "number",
        "off",
        duration_weeks
    )
    .inputmode("numeric"),
    text!(
        "prescription.visits_authorized",
        FieldVisitsAuthorized,
        "number",
        "off",
        visits_authorized
    )
    .inputmode("numeric")
    .optional(),
    text!(
        "prescription.session_minutes",
        FieldSessionMinutes,
        "number",
        "off",
        session_minutes
    )
    .inputmode("numeric")
    .hint(Msg::FieldSessionMinutesHint)
    .optional(),
    text!(
        "prescription.prior_authorization",
        FieldPriorAuthorization,
        "text",
        "off",
        prior_authorization
    )
    .optional(),
    area!("prescription.restrictions", FieldRestrictions, restrictions).optional(),
];

const RELATIONSHIPS: &[&str] = &["self", "spouse", "parent", "other"];

const INSURANCE: &[FieldSpec] = &[
    text!(
        "payer.health_insurance.carrier",
        FieldInsuranceCarrier,
        "text",
        "off",
        insurance_carrier
    )
    .also(&["payer.health_insurance"]),
    text!(
        "payer.health_insurance.member_id",
        FieldMemberId,
        "text",
        "off",
        member_id
    ),
    text!(
        "payer.health_insurance.group_number",
        FieldGroupNumber,
        "text",
        "off",
        group_number
    )
    .optional(),
    text!(
        "payer.health_insurance.subscriber_name",
        FieldSubscriberName,
        "text",
        "off",
        subscriber_name
    ),
    radio!(
        "payer.health_insurance.subscriber_relationship",
        FieldSubscriberRelationship,
        RELATIONSHIPS,
        "relationship",
        subscriber_relationship
    )
    .optional(),
];

const AUTO: &[FieldSpec] = &[
    text!(
        "payer.auto_accident.carrier",
        FieldAutoCarrier,
        "text",
        "off",
        auto_carrier
    )
    .also(&["payer.auto_accident"]),
    text!(
        "payer.auto_accident.claim_number",
        FieldClaimNumber,
        "text",
        "off",
        auto_claim_number
    ),
    text!(
        "payer.auto_accident.date_of_accident",
        FieldAutoDate,
        "date",
        "off",
        auto_date
    ),
    text!(
        "payer.auto_accident.adjuster_name",
        FieldAdjusterName,
        "text",
        "off",
        auto_adjuster_name
    )
    .optional(),
    text!(
        "payer.auto_accident.adjuster_phone",
        FieldAdjusterPhone,
        "tel",
        "off",
        auto_adjuster_phone
    )
    .inputmode("tel")
    .optional(),
];

const WORKERS: &[FieldSpec] = &[
    text!(
        "payer.workers_comp.employer",
        FieldWcEmployer,
        "text",
        "off",
        wc_employer
    )
    .also(&["payer.workers_comp"]),
    text!(
        "payer.workers_comp.carrier",
        FieldWcCarrier,
        "text",
        "off",
        wc_carrier
    )
    .optional(),
    text!(
        "payer.workers_comp.claim_number",
        FieldClaimNumber,
        "text",
        "off",
        wc_claim_number
    ),
    text!(
        "payer.workers_comp.date_of_injury",
        FieldWcDate,
        "date",
        "off",
        wc_date
    ),
    text!(
        "payer.workers_comp.adjuster_name",
        FieldAdjusterName,
        "text",
        "off",
        wc_adjuster_name
    )
    .optional(),
    text!(
        "payer.workers_comp.adjuster_phone",
        FieldAdjusterPhone,
        "tel",
        "off",
        wc_adjuster_phone
    )
    .inputmode("tel")
    .optional(),
];

const TREATMENT_CONSENT: &[FieldSpec] = &[consent!(
    "consents.treatment",
    FieldConsentTreatment,
    consent_treatment,
    consent_treatment_at
)
.hint(Msg::FieldConsentTreatmentHint)];
const PRIVACY_CONSENT: &[FieldSpec] = &[consent!(
    "consents.privacy_notice",
    FieldConsentPrivacy,
    consent_privacy,
    consent_privacy_at
)
.hint(Msg::FieldConsentPrivacyHint)];
const SHARE_CONSENT: &[FieldSpec] = &[consent!(
    "consents.share_with_primary_care",
    FieldConsentShare,
    consent_share,
    consent_share_at
)
.hint(Msg::FieldConsentShareHint)
.optional()];

const GUARDIAN: &[FieldSpec] = &[
    text!(
        "consents.guardian.name",
        FieldGuardianName,
        "text",
        "off",
        guardian_name
    )
    .also(&["consents.guardian"]),
    text!(
        "consents.guardian.relationship",
        FieldGuardianRelationship,
        "text",
        "off",
        guardian_relationship
    )
    .hint(Msg::FieldGuardianRelationshipHint),
    text!(
        "consents.guardian.phone",
        FieldGuardianPhone,
        "tel",
        "off",
        guardian_phone
    )
    .inputmode("tel"),
];

/// The typed signature, the accessible alternative to drawing.
pub const TYPED_SIGNATURE: FieldSpec = text!(
    "signature.typed_name",
    FieldSignatureName,
    "text",
    "off",
    signature_name
)
.hint(Msg::FieldSignatureNameHint)
.also(&["signature.method", "signature.svg_path"])
.required_msg(Msg::SignatureRequired);

fn is_minor(d: &IntakeDraft) -> bool {
    d.is_minor_on(super::today())
}

fn pays_insurance(d: &IntakeDraft) -> bool {
    d.payer_kind == "health_insurance"
}

fn pays_auto(d: &IntakeDraft) -> bool {
    d.payer_kind == "auto_accident"
}

fn pays_workers(d: &IntakeDraft) -> bool {
    d.payer_kind == "workers_comp"
}

/// The parts of each step, in order.
pub fn blocks(step: Step) -> &'static [Block] {
    match step {
        Step::About => &[
            Block::Fields(ABOUT),
            Block::Group(Msg::AddressHeading, None, ADDRESS, None),
            Block::Group(Msg::EmergencyHeading, None, EMERGENCY, None),
            Block::Group(Msg::PcpHeading, None, PRIMARY_CARE, None),
        ],
        Step::Visit => &[Block::Fields(VISIT)],
        Step::Health => &[
            Block::Fields(HEALTH),
            Block::Fields(TAKES_MEDICATIONS),
            Block::Medications,
            Block::Fields(HEALTH_AFTER),
        ],
        Step::Pain => &[Block::BodyMap],
        Step::Prescription => &[
            Block::Intro(Msg::PrescriptionIntro),
            Block::Fields(PRESCRIBER),
            Block::Diagnoses,
            Block::Fields(TREATMENT),
            Block::Photo,
        ],
        Step::Payment => &[
            Block::Group(
                Msg::PayerHealthInsurance,
                None,
                INSURANCE,
                Some(pays_insurance),
            ),
            Block::Group(Msg::PayerAutoAccident, None, AUTO, Some(pays_auto)),
            Block::Group(Msg::PayerWorkersComp, None, WORKERS, Some(pays_workers)),
        ],
        Step::Consent => &[
            Block::Consent(
                Msg::ConsentTreatmentText,
                intake_core::submission::TREATMENT_CONSENT_VERSION,
            ),
            Block::Fields(TREATMENT_CONSENT),
            Block::Consent(
                Msg::ConsentPrivacyText,
                intake_core::submission::PRIVACY_NOTICE_VERSION,
            ),
            Block::Fields(PRIVACY_CONSENT),
            Block::Fields(SHARE_CONSENT),
            Block::Group(
                Msg::GuardianHeading,
                Some(Msg::GuardianIntro),
                GUARDIAN,
                Some(is_minor),
            ),
            Block::Signature,
        ],
        Step::Review => &[],
    }
}

/// The heading of a step.
pub fn title(step: Step) -> Msg {
    match step {
        Step::About => Msg::StepAbout,
        Step::Visit => Msg::StepVisit,
        Step::Health => Msg::StepHealth,
        Step::Pain => Msg::StepPain,
        Step::Prescription => Msg::StepPrescription,
        Step::Payment => Msg::StepPayment,
        Step::Consent => Msg::StepConsent,
        Step::Review => Msg::StepReview,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every question of every step, with the step it is on.
    fn all_specs() -> Vec<(Step, FieldSpec)> {
        let mut out = Vec::new();
        for step in Step::ALL {
            for block in blocks(*step) {
                match block {
                    Block::Fields(specs) | Block::Group(_, _, specs, _) => {
                        out.extend(specs.iter().map(|s| (*step, *s)));
                    }
                    Block::Signature => out.push((*step, TYPED_SIGNATURE)),
                    _ => {}
                }
            }
        }
        out
    }

    #[test]
    fn every_question_sits_on_the_step_its_errors_go_to() {
        let specs = all_specs();
        assert!(specs.len() > 60, "{} questions", specs.len());
        for (step, spec) in &specs {
            assert_eq!(Step::of_path(spec.path), *step, "{}", spec.path);
        }
        for (i, (_, spec)) in specs.iter().enumerate() {
            assert!(
                specs[..i].iter().all(|(_, s)| s.path != spec.path),
                "{} asked twice",
                spec.path
            );
        }
    }

    #[test]
    fn every_choice_has_words() {
        let catalog = intake_core::Catalog::english();
        for (_, spec) in all_specs() {
            if let super::super::field::Kind::Radio(codes, prefix)
            | super::super::field::Kind::Checks(codes, prefix) = spec.kind
            {
                for code in codes {
                    let key = format!("{prefix}.{code}");
                    let msg = Msg::from_key(&key).unwrap_or_else(|| panic!("no text {key}"));
                    assert!(!catalog.text(msg).is_empty(), "{key}");
                }
            }
        }
    }

    #[test]
    fn the_vocabulary_lists_match_intake_core() {
        use intake_core::vocab::{Allergen, Condition, Goal, Modality, PayerKind, Pressure};
        let codes = |all: &[&str]| all.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            codes(CONDITIONS),
            Condition::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(ALLERGENS),
            Allergen::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(GOALS),
            Goal::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(PRESSURES),
            Pressure::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(MODALITIES),
            Modality::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(PAYERS),
            PayerKind::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_npi_is_checked_as_typed() {
        assert_eq!(npi_live(""), None);
        assert_eq!(npi_live("1234567893"), None);
        assert_eq!(npi_live("123456789"), Some(ErrorCode::NpiLength));
        assert_eq!(npi_live("3234567893"), Some(ErrorCode::NpiPrefix));
        assert_eq!(npi_live("1234567890"), Some(ErrorCode::NpiCheckDigit));
    }
}
