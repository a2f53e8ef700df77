//! The Health step: conditions, medicines, allergies and what else the
//! therapist should know.

use intake_core::{IntakeDraft, Msg};

use super::{FieldSpec, Options, YES_NO};

pub(super) const CONDITIONS: Options = &[
    ("blood_clots", Msg::ConditionBloodClots),
    ("varicose_veins", Msg::ConditionVaricoseVeins),
    ("high_blood_pressure", Msg::ConditionHighBloodPressure),
    ("heart_condition", Msg::ConditionHeartCondition),
    ("stroke", Msg::ConditionStroke),
    ("disc_injury", Msg::ConditionDiscInjury),
    ("osteoporosis", Msg::ConditionOsteoporosis),
    ("arthritis", Msg::ConditionArthritis),
    ("fibromyalgia", Msg::ConditionFibromyalgia),
    ("fracture", Msg::ConditionFracture),
    ("joint_replacement", Msg::ConditionJointReplacement),
    ("skin_condition", Msg::ConditionSkinCondition),
    ("open_wounds", Msg::ConditionOpenWounds),
    ("cancer_history", Msg::ConditionCancerHistory),
    ("cancer_in_treatment", Msg::ConditionCancerInTreatment),
    ("diabetes", Msg::ConditionDiabetes),
    (
        "recent_surgery_or_injury",
        Msg::ConditionRecentSurgeryOrInjury,
    ),
    ("fever_or_contagious", Msg::ConditionFeverOrContagious),
    ("pregnancy", Msg::ConditionPregnancy),
    ("headaches", Msg::ConditionHeadaches),
    ("numbness_or_tingling", Msg::ConditionNumbnessOrTingling),
    ("none", Msg::ConditionNone),
];
pub(super) const ALLERGENS: Options = &[
    ("oils", Msg::AllergenOils),
    ("lotions", Msg::AllergenLotions),
    ("nuts", Msg::AllergenNuts),
    ("latex", Msg::AllergenLatex),
    ("fragrance", Msg::AllergenFragrance),
    ("none", Msg::AllergenNone),
];

pub(super) fn has(d: &IntakeDraft, code: &str) -> bool {
    d.conditions.iter().any(|c| c == code)
}

pub(super) const HEALTH: &[FieldSpec] = &[
    checks!("health.conditions", FieldConditions, CONDITIONS, conditions)
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
    takes_medications
)];

pub(super) const HEALTH_AFTER: &[FieldSpec] = &[
    radio!(
        "health.blood_thinners",
        FieldBloodThinners,
        YES_NO,
        blood_thinners
    ),
    checks!("health.allergies", FieldAllergies, ALLERGENS, allergies).required(),
    text!(
        "health.allergies_other",
        FieldAllergiesOther,
        "text",
        "off",
        allergies_other
    )
    .optional(),
];
