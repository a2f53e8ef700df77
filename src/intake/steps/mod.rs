//! The questions of each step, as data: what [`super::IntakeForm`] renders
//! and what the review reads back.

use intake_core::{IntakeDraft, Msg, Step};

use super::spec::{FieldSpec, Options};

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
    ($path:literal, $label:ident, $options:expr, $field:ident) => {
        FieldSpec::radio(
            $path,
            Msg::$label,
            $options,
            |d| &d.$field,
            |d, v| d.$field = v,
        )
    };
}

macro_rules! checks {
    ($path:literal, $label:ident, $options:expr, $field:ident) => {
        FieldSpec::checks(
            $path,
            Msg::$label,
            $options,
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

// Each step's questions; after the macros, which they use.
mod about;
mod consent;
mod health;
mod payment;
mod prescription;
mod visit;

use about::{ABOUT, ADDRESS, EMERGENCY, PRIMARY_CARE};
pub use consent::TYPED_SIGNATURE;
use consent::{is_minor, GUARDIAN, PRIVACY_CONSENT, SHARE_CONSENT, TREATMENT_CONSENT};
use health::{HEALTH, HEALTH_AFTER, TAKES_MEDICATIONS};
use payment::{pays_auto, pays_insurance, pays_workers, AUTO, INSURANCE, WORKERS};
use prescription::{PRESCRIBER, TREATMENT};
use visit::VISIT;

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

pub(super) const YES_NO: Options = &[("yes", Msg::AnswerYes), ("no", Msg::AnswerNo)];

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

/// The step's name, on its section (`data-step`) and in its history entry.
pub fn step_code(step: Step) -> &'static str {
    match step {
        Step::About => "about",
        Step::Visit => "visit",
        Step::Health => "health",
        Step::Pain => "pain",
        Step::Prescription => "prescription",
        Step::Payment => "payment",
        Step::Consent => "consent",
        Step::Review => "review",
    }
}

#[cfg(test)]
mod tests {
    use intake_core::ErrorCode;

    use super::health::{ALLERGENS, CONDITIONS};
    use super::prescription::{npi_live, MODALITIES};
    use super::visit::{GOALS, PAYERS, PRESSURES};
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

    /// Each choice's words are the text keyed `{prefix}.{code}`, one prefix
    /// a question, and none is empty: naming the words beside the code
    /// cannot pair a code with another choice's words.
    #[test]
    fn every_choice_has_its_own_words() {
        let catalog = intake_core::Catalog::english();
        let mut lists = 0;
        for (_, spec) in all_specs() {
            if let super::super::spec::Kind::Radio(options)
            | super::super::spec::Kind::Checks(options) = spec.kind
            {
                lists += 1;
                let prefix = options[0].1.key().split_once('.').map(|(p, _)| p);
                for (code, msg) in options {
                    assert_eq!(
                        Some(msg.key()),
                        prefix.map(|p| format!("{p}.{code}")).as_deref(),
                        "{}",
                        spec.path
                    );
                    assert!(!catalog.text(*msg).is_empty(), "{}", msg.key());
                }
            }
        }
        assert_eq!(lists, 11);
    }

    #[test]
    fn the_vocabulary_lists_match_intake_core() {
        use intake_core::vocab::{Allergen, Condition, Goal, Modality, PayerKind, Pressure};
        let codes = |all: Options| all.iter().map(|(c, _)| c.to_string()).collect::<Vec<_>>();
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
