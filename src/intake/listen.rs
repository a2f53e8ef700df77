//! What a step's Listen button reads: the step's name, its introduction,
//! and each question on it with its choices and hint, made from the steps'
//! own descriptions (`steps`), so an answer can never be among it.

use intake_core::{IntakeDraft, Msg, Step};

use super::spec::{FieldSpec, Kind};
use super::steps::{blocks, title, Block};
use crate::text::Texts;

/// The text of `step`, a line a question. On a kiosk, questions that are
/// asked only because of an earlier answer (a guardian for a minor, the
/// insurer's details for insurance) are left out: saying them aloud would
/// tell the waiting room that answer.
pub fn step_text(texts: Texts, step: Step, draft: &IntakeDraft, kiosk: bool) -> String {
    let mut lines: Vec<String> = vec![texts.t(title(step)).to_owned()];
    if step == Step::About {
        lines.push(texts.t(Msg::IntakeIntro).to_owned());
    }
    let asked = |when: Option<fn(&IntakeDraft) -> bool>| match when {
        None => true,
        Some(holds) => !kiosk && holds(draft),
    };
    let field = |lines: &mut Vec<String>, spec: &FieldSpec| {
        if !asked(spec.when) {
            return;
        }
        lines.push(texts.t(spec.label).to_owned());
        if let Kind::Radio(options) | Kind::Checks(options) = spec.kind {
            let choices: Vec<&str> = options.iter().map(|(_, msg)| texts.t(*msg)).collect();
            lines.push(choices.join(", "));
        }
        if let Some(hint) = spec.hint {
            lines.push(texts.t(hint).to_owned());
        }
    };
    for block in blocks(step) {
        let said: &[Msg] = match block {
            Block::Fields(specs) => {
                specs.iter().for_each(|s| field(&mut lines, s));
                &[]
            }
            Block::Group(legend, hint, specs, when) => {
                if asked(*when) {
                    lines.push(texts.t(*legend).to_owned());
                    lines.extend(hint.map(|h| texts.t(h).to_owned()));
                    specs.iter().for_each(|s| field(&mut lines, s));
                }
                &[]
            }
            Block::Intro(msg) | Block::Consent(msg, _) => std::slice::from_ref(msg),
            Block::Medications => &[Msg::MedicationsHeading, Msg::MedicationsHint],
            Block::BodyMap => &[Msg::PainIntro],
            Block::Diagnoses => &[Msg::FieldDiagnoses, Msg::FieldDiagnosesHint],
            Block::Photo => &[Msg::FieldPhoto, Msg::FieldPhotoHint],
            Block::Signature => &[Msg::SignatureHeading, Msg::SignatureDraw],
        };
        lines.extend(said.iter().map(|m| texts.t(*m).to_owned()));
    }
    lines.retain(|l| !l.trim().is_empty());
    lines.join("\n")
}
