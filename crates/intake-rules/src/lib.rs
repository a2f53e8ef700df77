//! intake-core's rules for the widget, as a wasm module of their own.
//!
//! The widget's first view carries only its interface; this module (the
//! submission model, its validation and its JSON) is fetched beside it by
//! `boot.js` and is ready long before the patient presses Send. The widget and
//! the module speak JSON strings through one function, [`check`].
//!
//! Input: `{"draft": {…}, "context": {…}, "today": "YYYY-MM-DD"}`, the form's
//! answers as typed ([`IntakeDraft`]), the moment of Submit ([`SubmitContext`])
//! and the patient's local date. Output: `{"errors": [{"path", "code", …}],
//! "body": "<the submission's JSON>" | null}`; the body is there only when
//! there are no errors.

use intake_core::{Date, FieldError, Format, IntakeDraft, Rules, SubmitContext};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(all(
    target_family = "wasm",
    not(target_feature = "atomics"),
    feature = "allocator"
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// What the widget asks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInput {
    pub draft: IntakeDraft,
    pub context: SubmitContext,
    /// The patient's local date, `YYYY-MM-DD`.
    pub today: String,
    /// How to write the body: `massage-intake/2` JSON or FHIR R4.
    #[serde(default)]
    pub format: Format,
}

/// What the module answers.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct CheckOutput {
    pub errors: Vec<FieldError>,
    /// What the patient should know but that does not block (an old prescription).
    pub warnings: Vec<FieldError>,
    /// The submission as JSON, when it is valid.
    pub body: Option<String>,
}

/// Checks the answers and, when they are valid, writes the submission.
pub fn check_input(input: &CheckInput) -> CheckOutput {
    // Without a usable local date, the date of the Submit press will do.
    let today = Date::parse(&input.today)
        .or_else(|| Date::of_timestamp(&input.context.submitted_at))
        .unwrap_or(Date {
            year: 9999,
            month: 12,
            day: 31,
        });
    let (submission, report) = input.draft.validate(&input.context, &Rules::on(today));
    let body = match (report.is_valid(), input.format) {
        (false, _) => None,
        (true, Format::Json) => serde_json::to_string(&submission).ok(),
        (true, Format::Fhir) => Some(intake_core::fhir::questionnaire_response_text(&submission)),
    };
    CheckOutput {
        errors: report.errors,
        warnings: report.warnings,
        body,
    }
}

/// [`check_input`] over JSON strings: the module's one entry point.
#[wasm_bindgen]
pub fn check(input: &str) -> String {
    let output = match serde_json::from_str::<CheckInput>(input) {
        Ok(input) => check_input(&input),
        // The widget and this module are built together; a malformed request
        // is a bug, reported as a problem with the whole form.
        Err(_) => CheckOutput {
            errors: vec![FieldError::new("", intake_core::ErrorCode::InvalidValue)],
            warnings: Vec::new(),
            body: None,
        },
    };
    serde_json::to_string(&output).unwrap_or_else(|_| {
        r#"{"errors":[{"path":"","code":"invalid_value"}],"warnings":[],"body":null}"#.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn input(draft: Value) -> String {
        json!({
            "draft": draft,
            "context": {
                "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                "submitted_at": "2026-11-27T14:05:09.120Z",
                "locale": "en",
                "mode": "standalone"
            },
            "today": "2026-11-27"
        })
        .to_string()
    }

    fn valid_draft() -> Value {
        json!({
            "given_name": "Ana", "family_name": "Silva", "date_of_birth": "1961-04-12",
            "phone": "(401) 555-0134", "reason": "Back pain", "consent_treatment": true,
            "conditions": ["none"], "takes_medications": "no", "blood_thinners": "no",
            "allergies": ["none"],
            "has_prescription": "no", "payer_kind": "self_pay",
            "consent_privacy": true, "signature_name": "Ana Silva",
            "guardian_name": "", "guardian_relationship": "", "guardian_phone": ""
        })
    }

    #[test]
    fn valid_answers_get_the_submission_body() {
        let out: Value = serde_json::from_str(&check(&input(valid_draft()))).expect("json");
        assert_eq!(out["errors"], json!([]));
        let body: Value =
            serde_json::from_str(out["body"].as_str().expect("a body")).expect("body json");
        assert_eq!(body["patient"]["phone"], "+14015550134");
        assert_eq!(body["schema"], "massage-intake/2");
    }

    #[test]
    fn the_fhir_format_gets_a_questionnaire_response_of_the_same_submission() {
        let mut request: Value = serde_json::from_str(&input(valid_draft())).expect("json");
        request["format"] = json!("fhir");
        let out: Value = serde_json::from_str(&check(&request.to_string())).expect("json");
        assert_eq!(out["errors"], json!([]));
        let body: Value =
            serde_json::from_str(out["body"].as_str().expect("a body")).expect("body json");
        assert_eq!(body["resourceType"], "QuestionnaireResponse");
        let submission = intake_core::fhir::from_questionnaire_response(&body).expect("reads back");
        assert_eq!(submission.patient.phone, "+14015550134");
    }

    #[test]
    fn problems_come_back_by_path_and_code_without_a_body() {
        let mut draft = valid_draft();
        draft["phone"] = json!("401-555-01");
        draft["date_of_birth"] = json!("2999-01-01");
        let out: Value = serde_json::from_str(&check(&input(draft))).expect("json");
        assert_eq!(
            out["errors"],
            json!([
                { "path": "patient.date_of_birth", "code": "date_in_future" },
                { "path": "patient.phone", "code": "phone_invalid" }
            ])
        );
        assert_eq!(out["body"], Value::Null);
    }

    #[test]
    fn a_malformed_request_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "[]",
            r#"{"draft":{}}"#,
            r#"{"draft":1,"context":2,"today":3}"#,
        ] {
            let out: Value = serde_json::from_str(&check(bad)).expect("json");
            assert_eq!(out["errors"][0]["code"], "invalid_value", "{bad}");
            assert_eq!(out["body"], Value::Null);
        }
    }

    #[test]
    fn an_unusable_date_still_checks_everything_else() {
        let text = input(valid_draft()).replace("2026-11-27\"}", "someday\"}");
        let out: Value = serde_json::from_str(&check(&text)).expect("json");
        assert_eq!(out["errors"], json!([]));
    }
}
