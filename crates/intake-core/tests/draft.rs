//! The wizard's answers, as typed, become the submission the receiver expects.

use intake_core::config::Mode;
use intake_core::{
    Date, DiagnosisDraft, ErrorCode, IntakeDraft, MedicationDraft, PainDraft, PhotoDraft, Rules,
    Step, Submission, SubmitContext,
};

fn ctx() -> SubmitContext {
    SubmitContext {
        submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        submitted_at: "2026-11-27T14:05:09.120Z".into(),
        locale: "en".into(),
        mode: Mode::Kiosk,
    }
}

fn rules() -> Rules {
    Rules::on(Date::parse("2026-11-27").expect("today"))
}

fn s(v: &str) -> String {
    v.to_owned()
}

/// What a patient types, in the form's own shapes, for the documented example.
fn typed_example() -> IntakeDraft {
    IntakeDraft {
        given_name: s(" Ana"),
        family_name: s("Silva "),
        date_of_birth: s("1961-04-12"),
        phone: s("(401) 555-0134"),
        email: s("ana.silva@example.org"),
        address_line1: s("12 Wickenden St"),
        address_line2: s("Apt 3"),
        city: s("Providence"),
        region: s("ri"),
        postal_code: s("02903"),
        emergency_name: s("Rui Silva"),
        emergency_relationship: s("Husband"),
        emergency_phone: s("401 555 0188"),
        pcp_name: s("Dr. Maya Chen"),
        pcp_practice: s("East Side Family Medicine"),
        pcp_phone: s("401-555-0100"),
        pcp_fax: s("401-555-0101"),
        reason: s("Neck and lower back pain since a car accident in October."),
        goals: vec![s("reduce_pain"), s("improve_mobility")],
        goals_other: s("Turn my head when driving"),
        pressure: s("medium"),
        areas_to_avoid: s("Left knee (surgery 2019)"),
        prior_massage: s("occasionally"),
        has_prescription: s("yes"),
        payer_kind: s("auto_accident"),
        conditions: vec![s("high_blood_pressure"), s("recent_surgery_or_injury")],
        surgery_date: s("2026-10-30"),
        // Typed, then pregnancy unticked: not sent.
        pregnancy_weeks: s("12"),
        condition_notes: s("Whiplash from a rear-end collision."),
        takes_medications: s("yes"),
        blood_thinners: s("no"),
        medications: vec![
            MedicationDraft {
                name: s("Lisinopril"),
                dose: s("10 mg daily"),
            },
            // An empty row the patient added and left: not sent.
            MedicationDraft::default(),
        ],
        allergies: vec![s("nuts")],
        pain: vec![
            PainDraft {
                region: s("back_neck_left"),
                intensity: Some(7),
            },
            PainDraft {
                region: s("back_neck_right"),
                intensity: Some(5),
            },
            PainDraft {
                region: s("back_lower_left"),
                intensity: Some(6),
            },
        ],
        prescriber_name: s("Dr. Maya Chen"),
        npi: s("1234567893"),
        prescriber_practice: s("East Side Family Medicine"),
        prescriber_phone: s("4015550100"),
        prescriber_fax: s("4015550101"),
        date_written: s("2026-11-03"),
        diagnoses: vec![
            DiagnosisDraft {
                code: s("s13.4xxa"),
                description: s("Sprain of ligaments of cervical spine, initial encounter"),
            },
            DiagnosisDraft {
                code: s("M54.50"),
                description: s("Low back pain, unspecified"),
            },
        ],
        modalities: vec![s("97124"), s("97140")],
        frequency_per_week: s("2"),
        duration_weeks: s("6"),
        visits_authorized: s("12"),
        session_minutes: s("60"),
        prior_authorization: s("PA-55821"),
        restrictions: s("No deep work on the cervical spine for 4 weeks."),
        photo: Some(PhotoDraft {
            mime_type: s("image/jpeg"),
            data_base64: s("/9j/4A=="),
        }),
        // Typed before the payer changed to car insurance: not sent.
        insurance_carrier: s("Blue Cross"),
        auto_carrier: s("Ocean State Mutual"),
        auto_claim_number: s("AUTO-2026-44817"),
        auto_adjuster_name: s("Lee Park"),
        auto_adjuster_phone: s("401-555-0177"),
        auto_date: s("2026-10-30"),
        consent_treatment: true,
        consent_privacy: true,
        consent_share: true,
        consent_treatment_at: s("2026-11-27T14:03:12.500Z"),
        consent_privacy_at: s("2026-11-27T14:03:15.000Z"),
        consent_share_at: s("2026-11-27T14:03:20.250Z"),
        signature_path: s("M10 40 C20 10, 40 10, 50 40 S80 70, 90 40 L120 38"),
        signature_name: s(""),
        ..IntakeDraft::default()
    }
}

fn example() -> Submission {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/example-submission.json"
    ))
    .expect("read the example");
    serde_json::from_str(&text).expect("the example parses")
}

#[test]
fn the_typed_answers_make_exactly_the_documented_example() {
    let (submission, report) = typed_example().validate(&ctx(), &rules());
    assert_eq!(report.errors, vec![]);
    assert_eq!(submission, example());
}

#[test]
fn unanswered_gates_are_required_on_the_visit_step() {
    let (_, report) = IntakeDraft::default().validate(&ctx(), &rules());
    let on_visit: Vec<&str> = report
        .errors
        .iter()
        .filter(|e| Step::of_path(&e.path) == Step::Visit)
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(
        on_visit,
        [
            "visit.reason",
            "prescription.has_prescription",
            "payer.kind"
        ]
    );
    let steps: Vec<Step> = report
        .errors
        .iter()
        .map(|e| Step::of_path(&e.path))
        .collect();
    let mut sorted = steps.clone();
    sorted.sort();
    assert_eq!(steps, sorted, "errors come in the order of the steps");
}

#[test]
fn a_number_that_is_not_one_is_out_of_range_once() {
    let mut draft = typed_example();
    draft.frequency_per_week = s("twice");
    draft.session_minutes = s("200");
    let (_, report) = draft.validate(&ctx(), &rules());
    let mut found: Vec<(&str, ErrorCode, Option<u32>, Option<u32>)> = report
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.code, e.min, e.max))
        .collect();
    found.sort_by_key(|f| f.0);
    assert_eq!(
        found,
        [
            (
                "prescription.frequency_per_week",
                ErrorCode::OutOfRange,
                Some(1),
                Some(7)
            ),
            (
                "prescription.session_minutes",
                ErrorCode::OutOfRange,
                Some(15),
                Some(120)
            ),
        ]
    );
}

#[test]
fn without_a_prescription_or_a_payer_nothing_of_them_is_sent() {
    let mut draft = typed_example();
    draft.has_prescription = s("no");
    draft.payer_kind = s("self_pay");
    let (submission, report) = draft.validate(&ctx(), &rules());
    assert_eq!(report.errors, vec![]);
    assert!(!submission.prescription.has_prescription);
    assert_eq!(submission.prescription.prescriber, None);
    assert!(submission.prescription.diagnoses.is_empty());
    assert!(
        submission.attachments.is_empty(),
        "the photo goes with the prescription"
    );
    assert_eq!(submission.payer.auto_accident, None);
    assert_eq!(Step::shown(&draft).len(), 6);
    assert!(!Step::shown(&draft).contains(&Step::Prescription));
    assert!(!Step::shown(&draft).contains(&Step::Payment));
    assert_eq!(Step::shown(&typed_example()).len(), 8);
    assert_eq!(
        Step::shown(&IntakeDraft::default()).len(),
        8,
        "unanswered, both steps still count"
    );
}

#[test]
fn a_typed_signature_is_used_when_nothing_is_drawn() {
    let mut draft = typed_example();
    draft.signature_path.clear();
    let (_, report) = draft.validate(&ctx(), &rules());
    let paths: Vec<&str> = report.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["signature.typed_name"],
        "an empty signature is invalid"
    );
    draft.signature_name = s("Ana Silva");
    let (submission, report) = draft.validate(&ctx(), &rules());
    assert_eq!(report.errors, vec![]);
    assert_eq!(
        submission
            .signature
            .typed_name
            .map(|n| n.as_str().to_owned()),
        Some(s("Ana Silva"))
    );
}

#[test]
fn a_code_outside_the_vocabulary_is_refused_by_name() {
    let mut draft = typed_example();
    draft.goals.push(s("fly"));
    let (_, report) = draft.validate(&ctx(), &rules());
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].path, "visit.goals");
    assert_eq!(report.errors[0].code, ErrorCode::InvalidValue);
}

#[test]
fn every_answer_path_belongs_to_the_step_that_asks_it() {
    for (path, step) in [
        ("patient.address.postal_code", Step::About),
        ("visit.goals[1]", Step::Visit),
        ("prescription.has_prescription", Step::Visit),
        ("payer.kind", Step::Visit),
        ("health.medications[0].name", Step::Health),
        ("pain[2].intensity", Step::Pain),
        ("prescription.diagnoses[0].code", Step::Prescription),
        ("attachments[0].mime_type", Step::Prescription),
        ("payer.auto_accident.claim_number", Step::Payment),
        ("consents.guardian", Step::Consent),
        ("signature.svg_path", Step::Consent),
        ("submission_id", Step::Review),
    ] {
        assert_eq!(Step::of_path(path), step, "{path}");
    }
}

#[test]
fn drafts_round_trip_through_json_and_accept_older_shapes() {
    let draft = typed_example();
    let text = serde_json::to_string(&draft).expect("serialise");
    assert_eq!(
        serde_json::from_str::<IntakeDraft>(&text).expect("parse"),
        draft
    );
    let older: IntakeDraft =
        serde_json::from_str(r#"{"given_name":"Ana","consent_treatment":true}"#).expect("parse");
    assert_eq!(older.given_name, "Ana");
    assert!(older.consent_treatment);
}

#[test]
fn every_field_is_read_back_and_unknown_ones_are_refused() {
    // Each text field holds its own name, each flag is set, each list has one entry.
    let mut value = serde_json::to_value(IntakeDraft::default()).expect("value");
    let object = value.as_object_mut().expect("an object");
    let keys: Vec<String> = object.keys().cloned().collect();
    assert!(keys.len() > 70, "{} fields", keys.len());
    for key in keys {
        let entry = object.get_mut(&key).expect("entry");
        *entry = match entry {
            serde_json::Value::String(_) => serde_json::Value::from(key.as_str()),
            serde_json::Value::Bool(_) => serde_json::Value::Bool(true),
            serde_json::Value::Array(_) if key == "pain" => {
                serde_json::json!([{"region": "front_head", "intensity": 3}])
            }
            serde_json::Value::Array(_) if key == "medications" => {
                serde_json::json!([{"name": "a", "dose": "b"}])
            }
            serde_json::Value::Array(_) if key == "diagnoses" => {
                serde_json::json!([{"code": "M54.2", "description": "d"}])
            }
            serde_json::Value::Array(_) => serde_json::json!([key.as_str()]),
            serde_json::Value::Null => {
                serde_json::json!({"mime_type": "image/jpeg", "data_base64": "AA=="})
            }
            other => panic!("{key} is {other}"),
        };
    }
    let draft: IntakeDraft = serde_json::from_value(value.clone()).expect("reads");
    assert_eq!(
        serde_json::to_value(&draft).expect("value"),
        value,
        "every field read"
    );
    let unknown = serde_json::from_str::<IntakeDraft>(r#"{"given_name":"Ana","shoe_size":"9"}"#);
    assert!(unknown.is_err_and(|e| e.to_string().contains("shoe_size")));
}
