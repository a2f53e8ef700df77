//! The intake as a SurveyJS form definition, generated from the widget's own
//! questions and texts, so the comparison in `cargo xtask bench` is between
//! equivalent forms: the same pages, questions, choices and words.

use intake_core::vocab::BodyRegion;
use intake_core::{Catalog, Step};
use massage_intake::intake::figure::region_name;
use massage_intake::intake::spec::{FieldSpec, Kind};
use massage_intake::intake::steps::{blocks, title, Block, TYPED_SIGNATURE};
use massage_intake::text::Texts;
use serde_json::{json, Value};

fn question(texts: Texts, spec: &FieldSpec) -> Value {
    let mut q = match spec.kind {
        Kind::Input(ty, _, _) => json!({
            "type": "text",
            "inputType": match ty { "date" | "tel" | "email" | "number" => ty, _ => "text" },
        }),
        Kind::Area => json!({ "type": "comment" }),
        Kind::Radio(options) | Kind::Checks(options) => json!({
            "type": if matches!(spec.kind, Kind::Radio(..)) { "radiogroup" } else { "checkbox" },
            "choices": options.iter().map(|(c, words)| json!({ "value": c, "text": texts.t(*words) })).collect::<Vec<_>>(),
        }),
        Kind::Check => json!({ "type": "boolean", "renderAs": "checkbox" }),
    };
    q["name"] = json!(spec.path);
    q["title"] = json!(texts.t(spec.label));
    q["isRequired"] = json!(!spec.optional);
    if let Some(hint) = spec.hint {
        q["description"] = json!(texts.t(hint));
    }
    q
}

fn elements(texts: Texts, step: Step) -> Vec<Value> {
    let mut out = Vec::new();
    for block in blocks(step) {
        match block {
            Block::Fields(specs) => out.extend(specs.iter().map(|s| question(texts, s))),
            Block::Group(legend, _, specs, _) => out.push(json!({
                "type": "panel",
                "name": texts.t(*legend),
                "title": texts.t(*legend),
                "elements": specs.iter().map(|s| question(texts, s)).collect::<Vec<_>>(),
            })),
            Block::Intro(msg) | Block::Consent(msg, _) => out.push(json!({
                "type": "html",
                "name": format!("text-{}", out.len()),
                "html": format!("<p>{}</p>", texts.t(*msg)),
            })),
            Block::Medications => out.push(json!({
                "type": "paneldynamic",
                "name": "health.medications",
                "title": texts.t(intake_core::Msg::MedicationsHeading),
                "panelAddText": texts.t(intake_core::Msg::MedicationsAdd),
                "templateElements": [
                    { "type": "text", "name": "name", "title": "Medicine" },
                    { "type": "text", "name": "dose", "title": "Dose" }
                ],
            })),
            Block::BodyMap => {
                out.push(json!({
                    "type": "checkbox",
                    "name": "pain",
                    "title": texts.t(intake_core::Msg::PainIntro),
                    "choices": BodyRegion::ALL.iter().map(|r| json!({ "value": r.code(), "text": region_name(texts, r.code()) })).collect::<Vec<_>>(),
                }));
                out.push(json!({
                    "type": "matrixdropdown",
                    "name": "pain.intensity",
                    "title": texts.t(intake_core::Msg::PainIntensity),
                    "columns": [{ "name": "intensity", "cellType": "rating", "rateMin": 0, "rateMax": 10 }],
                    "rows": BodyRegion::ALL.iter().map(|r| r.code()).collect::<Vec<_>>(),
                    "visibleIf": "{pain.length} > 0",
                }));
            }
            Block::Diagnoses => out.push(json!({
                "type": "tagbox",
                "name": "prescription.diagnoses",
                "title": texts.t(intake_core::Msg::FieldDiagnoses),
                "choices": intake_core::icd10::COMMON.iter().map(|e| json!({ "value": e.code, "text": format!("{} {}", e.code, e.description) })).collect::<Vec<_>>(),
            })),
            Block::Photo => out.push(json!({
                "type": "file",
                "name": "attachments",
                "title": texts.t(intake_core::Msg::FieldPhoto),
                "acceptedTypes": "image/*",
                "sourceType": "file-camera",
            })),
            Block::Signature => {
                out.push(json!({
                    "type": "signaturepad",
                    "name": "signature.svg_path",
                    "title": texts.t(intake_core::Msg::SignatureHeading),
                    "dataFormat": "svg",
                }));
                out.push(question(texts, &TYPED_SIGNATURE));
            }
        }
    }
    out
}

/// The whole form as SurveyJS JSON: one page per step, a preview before
/// sending (the review), the progress bar on top.
pub fn equivalent_form() -> String {
    let texts = Texts::new(Catalog::english());
    let pages: Vec<Value> = Step::ALL
        .iter()
        .filter(|s| **s != Step::Review)
        .map(|s| {
            json!({
                "name": format!("{s:?}"),
                "title": texts.t(title(*s)),
                "elements": elements(texts, *s),
            })
        })
        .collect();
    json!({
        "title": "Intake",
        "showProgressBar": "top",
        "progressBarType": "pages",
        "showPreviewBeforeComplete": "showAnsweredQuestions",
        "checkErrorsMode": "onNextPage",
        "pages": pages,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_equivalent_form_asks_every_question_the_widget_asks() {
        let form: serde_json::Value =
            serde_json::from_str(&super::equivalent_form()).expect("json");
        let pages = form["pages"].as_array().expect("pages");
        assert_eq!(pages.len(), 7, "seven steps, then the preview");
        let text = form.to_string();
        for path in [
            "patient.given_name",
            "prescription.prescriber.npi",
            "payer.auto_accident.claim_number",
            "consents.guardian.name",
            "signature.typed_name",
        ] {
            assert!(text.contains(path), "{path}");
        }
        assert!(text.contains("Left calf") && text.contains("M54.50"));
    }
}
