//! The Prescription step: who prescribed, and the treatment prescribed.

use intake_core::npi::{parse_npi, NpiError};
use intake_core::{ErrorCode, Msg};

use super::{FieldSpec, Options};

/// The NPI check as the patient types (shown once they leave the field).
pub(super) fn npi_live(typed: &str) -> Option<ErrorCode> {
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

pub(super) const PRESCRIBER: &[FieldSpec] = &[
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

pub(super) const MODALITIES: Options = &[
    ("97124", Msg::Modality97124),
    ("97140", Msg::Modality97140),
    ("97112", Msg::Modality97112),
];

pub(super) const TREATMENT: &[FieldSpec] = &[
    checks!(
        "prescription.modalities",
        FieldModalities,
        MODALITIES,
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
