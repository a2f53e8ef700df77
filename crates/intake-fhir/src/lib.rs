//! intake-core's FHIR R4 writer for the widget, as a wasm module of its own.
//!
//! The form checks the answers and writes the `massage-intake/2` submission
//! itself; only a clinic that chose `format: fhir` needs this module, which
//! turns that submission into a FHIR `QuestionnaireResponse`. Keeping it apart
//! spares every other clinic's patients its bytes (a JSON reader and the
//! mapping). `boot.js` loads it beside the form when the configuration asks
//! for FHIR; the form calls [`fhir`].

use intake_core::Submission;
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(all(
    target_family = "wasm",
    not(target_feature = "atomics"),
    feature = "allocator"
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The submission's JSON (as the form wrote it) as a FHIR R4
/// `QuestionnaireResponse`; empty when it is not a submission, which the form
/// and this module, built together, never produce.
#[wasm_bindgen]
pub fn fhir(submission: &str) -> String {
    serde_json::from_str::<Submission>(submission)
        .map(|s| intake_core::fhir::questionnaire_response_text(&s))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::config::Mode;
    use intake_core::{Date, IntakeDraft, Rules, SubmitContext};
    use serde_json::Value;

    fn submission() -> Submission {
        let draft = IntakeDraft {
            given_name: "Ana".into(),
            family_name: "Silva".into(),
            date_of_birth: "1961-04-12".into(),
            phone: "(401) 555-0134".into(),
            reason: "Back pain".into(),
            conditions: vec!["none".into()],
            takes_medications: "no".into(),
            blood_thinners: "no".into(),
            allergies: vec!["none".into()],
            has_prescription: "no".into(),
            payer_kind: "self_pay".into(),
            consent_treatment: true,
            consent_privacy: true,
            signature_name: "Ana Silva".into(),
            ..IntakeDraft::default()
        };
        let context = SubmitContext {
            submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            submitted_at: "2026-11-27T14:05:09.120Z".into(),
            locale: "en".into(),
            mode: Mode::Standalone,
        };
        let today = Date::parse("2026-11-27").expect("date");
        let (submission, report) = draft.validate(&context, &Rules::on(today));
        assert!(report.is_valid(), "{:?}", report.errors);
        submission
    }

    #[test]
    fn the_form_s_submission_becomes_a_questionnaire_response_of_the_same_answers() {
        let original = submission();
        let json = serde_json::to_string(&original).expect("json");
        let out: Value = serde_json::from_str(&fhir(&json)).expect("fhir json");
        assert_eq!(out["resourceType"], "QuestionnaireResponse");
        let back = intake_core::fhir::from_questionnaire_response(&out).expect("reads back");
        assert_eq!(back, original);
    }

    #[test]
    fn what_is_not_a_submission_gets_nothing_rather_than_a_panic() {
        for bad in ["", "{", "[]", r#"{"schema":"massage-intake/2"}"#, "1"] {
            assert_eq!(fhir(bad), "", "{bad}");
        }
    }
}
