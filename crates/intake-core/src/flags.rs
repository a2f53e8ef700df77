//! Safety flags for the therapist, computed from the answers by one table.
//! The widget sends them and the receiver recomputes them, so they always
//! follow from what the patient said.

use crate::date::Date;
use crate::i18n::Msg;
use crate::submission::Submission;
use crate::vocab::{Allergen, Condition};

pub use crate::vocab::{Flag, FlagCode, Severity};

/// What in the answers raises a flag.
#[derive(Clone, Copy, Debug)]
enum Trigger {
    Condition(Condition),
    Allergen(Allergen),
    BloodThinners,
    /// Surgery or injury within this many days before the submission.
    SurgeryWithinDays(i64),
    /// A screening question (conditions, medicines, blood thinners,
    /// allergies) without an answer: unknown, never taken as safe.
    Unanswered,
}

/// The table: trigger, flag, severity. Several triggers may raise one flag.
const RULES: &[(Trigger, FlagCode, Severity)] = &[
    (
        Trigger::Condition(Condition::BloodClots),
        FlagCode::PhysicianClearance,
        Severity::Stop,
    ),
    (
        Trigger::Condition(Condition::Stroke),
        FlagCode::PhysicianClearance,
        Severity::Stop,
    ),
    (
        Trigger::Condition(Condition::CancerInTreatment),
        FlagCode::CancerClearance,
        Severity::Stop,
    ),
    (
        Trigger::SurgeryWithinDays(42),
        FlagCode::SurgeryClearance,
        Severity::Stop,
    ),
    (
        Trigger::Condition(Condition::FeverOrContagious),
        FlagCode::Reschedule,
        Severity::Stop,
    ),
    (
        Trigger::Condition(Condition::Pregnancy),
        FlagCode::PrenatalPositioning,
        Severity::Caution,
    ),
    (
        Trigger::BloodThinners,
        FlagCode::LightPressure,
        Severity::Caution,
    ),
    (
        Trigger::Condition(Condition::Osteoporosis),
        FlagCode::LightPressure,
        Severity::Caution,
    ),
    (
        Trigger::Condition(Condition::VaricoseVeins),
        FlagCode::LightPressure,
        Severity::Caution,
    ),
    (
        Trigger::Allergen(Allergen::Nuts),
        FlagCode::NutFreeLubricant,
        Severity::Caution,
    ),
    (
        Trigger::Allergen(Allergen::Latex),
        FlagCode::LatexFreeGloves,
        Severity::Caution,
    ),
    (
        Trigger::Allergen(Allergen::Oils),
        FlagCode::HypoallergenicLubricant,
        Severity::Caution,
    ),
    (
        Trigger::Allergen(Allergen::Lotions),
        FlagCode::HypoallergenicLubricant,
        Severity::Caution,
    ),
    (
        Trigger::Allergen(Allergen::Fragrance),
        FlagCode::HypoallergenicLubricant,
        Severity::Caution,
    ),
    (
        Trigger::Condition(Condition::OpenWounds),
        FlagCode::AvoidArea,
        Severity::Caution,
    ),
    (
        Trigger::Condition(Condition::SkinCondition),
        FlagCode::AvoidArea,
        Severity::Caution,
    ),
    // Last, so a `massage-intake/1` submission's own flags, which never have
    // it, keep their order when it is added (see `submission::upgrade_v1`).
    (Trigger::Unanswered, FlagCode::HealthUnknown, Severity::Stop),
];

impl FlagCode {
    /// What the therapist reads.
    pub const fn msg(self) -> Msg {
        match self {
            FlagCode::PhysicianClearance => Msg::FlagPhysicianClearance,
            FlagCode::CancerClearance => Msg::FlagCancerClearance,
            FlagCode::SurgeryClearance => Msg::FlagSurgeryClearance,
            FlagCode::Reschedule => Msg::FlagReschedule,
            FlagCode::PrenatalPositioning => Msg::FlagPrenatalPositioning,
            FlagCode::LightPressure => Msg::FlagLightPressure,
            FlagCode::NutFreeLubricant => Msg::FlagNutFreeLubricant,
            FlagCode::LatexFreeGloves => Msg::FlagLatexFreeGloves,
            FlagCode::HypoallergenicLubricant => Msg::FlagHypoallergenicLubricant,
            FlagCode::AvoidArea => Msg::FlagAvoidArea,
            FlagCode::HealthUnknown => Msg::FlagHealthUnknown,
        }
    }
}

/// The flags the answers raise, each once, in table order.
pub fn compute_flags(s: &Submission) -> Vec<Flag> {
    let submitted = Date::of_timestamp(&s.submitted_at);
    let raised = |trigger: Trigger| match trigger {
        Trigger::Condition(c) => s.health.conditions.contains(&c),
        Trigger::Allergen(a) => s.health.allergies.contains(&a),
        Trigger::BloodThinners => s.health.blood_thinners == Some(true),
        Trigger::Unanswered => !s.health.is_answered(),
        Trigger::SurgeryWithinDays(days) => {
            s.health
                .conditions
                .contains(&Condition::RecentSurgeryOrInjury)
                && match (
                    s.health
                        .surgery_or_injury_date
                        .as_deref()
                        .and_then(Date::parse),
                    submitted,
                ) {
                    (Some(when), Some(now)) => (0..=days).contains(&when.days_until(now)),
                    // Recent, but no usable date: ask for clearance rather than guess.
                    _ => true,
                }
        }
    };
    let mut flags: Vec<Flag> = Vec::new();
    for (trigger, code, severity) in RULES {
        if raised(*trigger) && !flags.iter().any(|f| f.code == *code) {
            flags.push(Flag {
                code: *code,
                severity: *severity,
            });
        }
    }
    flags
}
