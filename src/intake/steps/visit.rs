//! The Visit step: what the patient hopes for, the pressure they like, how
//! they pay.

use intake_core::Msg;

use super::{FieldSpec, YES_NO};

pub(super) const GOALS: &[&str] = &[
    "reduce_pain",
    "improve_mobility",
    "recover_from_injury",
    "reduce_stress",
    "sleep_better",
    "improve_posture",
];
pub(super) const PRESSURES: &[&str] = &["light", "medium", "firm", "no_preference"];
pub(super) const PRIOR: &[&str] = &["never", "occasionally", "regularly"];
pub(super) const PAYERS: &[&str] = &[
    "self_pay",
    "health_insurance",
    "auto_accident",
    "workers_comp",
];

pub(super) const VISIT: &[FieldSpec] = &[
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
