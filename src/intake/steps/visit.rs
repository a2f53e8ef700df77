//! The Visit step: what the patient hopes for, the pressure they like, how
//! they pay.

use intake_core::Msg;

use super::{FieldSpec, Options, YES_NO};

pub(super) const GOALS: Options = &[
    ("reduce_pain", Msg::GoalReducePain),
    ("improve_mobility", Msg::GoalImproveMobility),
    ("recover_from_injury", Msg::GoalRecoverFromInjury),
    ("reduce_stress", Msg::GoalReduceStress),
    ("sleep_better", Msg::GoalSleepBetter),
    ("improve_posture", Msg::GoalImprovePosture),
];
pub(super) const PRESSURES: Options = &[
    ("light", Msg::PressureLight),
    ("medium", Msg::PressureMedium),
    ("firm", Msg::PressureFirm),
    ("no_preference", Msg::PressureNoPreference),
];
pub(super) const PRIOR: Options = &[
    ("never", Msg::PriorNever),
    ("occasionally", Msg::PriorOccasionally),
    ("regularly", Msg::PriorRegularly),
];
pub(super) const PAYERS: Options = &[
    ("self_pay", Msg::PayerSelfPay),
    ("health_insurance", Msg::PayerHealthInsurance),
    ("auto_accident", Msg::PayerAutoAccident),
    ("workers_comp", Msg::PayerWorkersComp),
];

pub(super) const VISIT: &[FieldSpec] = &[
    area!("visit.reason", FieldReason, reason).hint(Msg::FieldReasonHint),
    checks!("visit.goals", FieldGoals, GOALS, goals).hint(Msg::FieldGoalsHint),
    text!(
        "visit.goals_other",
        FieldGoalsOther,
        "text",
        "off",
        goals_other
    )
    .optional(),
    radio!("visit.pressure", FieldPressure, PRESSURES, pressure).optional(),
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
        prior_massage
    )
    .optional(),
    radio!(
        "prescription.has_prescription",
        FieldHasPrescription,
        YES_NO,
        has_prescription
    )
    .hint(Msg::FieldHasPrescriptionHint),
    radio!("payer.kind", FieldPayerKind, PAYERS, payer_kind),
];
