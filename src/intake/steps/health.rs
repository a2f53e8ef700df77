//! The Health step: conditions, medicines, allergies and what else the
//! therapist should know.

use intake_core::{IntakeDraft, Msg};

use super::{FieldSpec, YES_NO};

pub(super) const CONDITIONS: &[&str] = &[
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
pub(super) const ALLERGENS: &[&str] = &["oils", "lotions", "nuts", "latex", "fragrance", "none"];

pub(super) fn has(d: &IntakeDraft, code: &str) -> bool {
    d.conditions.iter().any(|c| c == code)
}

pub(super) const HEALTH: &[FieldSpec] = &[
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

pub(super) const HEALTH_AFTER: &[FieldSpec] = &[
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
