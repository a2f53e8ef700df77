//! The receiver speaks FHIR R4 too: a `QuestionnaireResponse` at the
//! submissions endpoint (by content type) and at `/fhir/QuestionnaireResponse`,
//! and the intake's `Questionnaire`.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_core::fhir::to_questionnaire_response;
use intake_core::Submission;
use intake_receiver::{
    app, Database, Settings, Store, FHIR_QUESTIONNAIRE_PATH, FHIR_RESPONSES_PATH,
};
use serde_json::{json, Value};
use tower::ServiceExt;

const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn example() -> Submission {
    serde_json::from_str(include_str!("../../../docs/example-submission.json")).expect("example")
}

fn response_of(s: &Submission) -> Value {
    to_questionnaire_response(s)
}

struct Fixture {
    router: axum::Router,
    db: Database,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: Value,
}

impl Fixture {
    async fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = common::database(dir.path());
        let router = app(&Settings::new(db.clone())).await.expect("app");
        Fixture {
            router,
            db,
            _dir: dir,
        }
    }

    /// The stored submissions' JSON.
    fn stored(&self) -> Vec<Value> {
        common::bodies(&self.db)
            .iter()
            .map(|body| serde_json::from_str(body).expect("json"))
            .collect()
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            content_type,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    async fn post(&self, path: &str, content_type: &str, key: Option<&str>, body: &Value) -> Reply {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, content_type);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }
}

#[tokio::test]
async fn the_submissions_endpoint_takes_a_questionnaire_response_by_content_type() {
    let f = Fixture::new().await;
    let submission = example();
    let reply = f
        .post(
            "/api/v1/submissions",
            "application/fhir+json",
            Some(ID),
            &response_of(&submission),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(reply.body["reference"]
        .as_str()
        .is_some_and(|r| r.starts_with("MI-")));
    // Stored as the same submission the JSON format would store.
    assert_eq!(
        f.stored(),
        vec![serde_json::to_value(&submission).expect("json")]
    );
    // The same submission as JSON afterwards is a repeat, not a second row.
    let again = f
        .post(
            "/api/v1/submissions",
            "application/json",
            Some(ID),
            &serde_json::to_value(&submission).expect("json"),
        )
        .await;
    assert_eq!(
        (again.status, &again.body),
        (StatusCode::CREATED, &reply.body)
    );
    assert_eq!(f.stored().len(), 1);
}

#[tokio::test]
async fn the_fhir_endpoint_takes_a_response_without_an_idempotency_key() {
    let f = Fixture::new().await;
    let qr = response_of(&example());
    let first = f
        .post(FHIR_RESPONSES_PATH, "application/fhir+json", None, &qr)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = f
        .post(
            FHIR_RESPONSES_PATH,
            "application/fhir+json; fhirVersion=4.0",
            None,
            &qr,
        )
        .await;
    assert_eq!(
        (again.status, &again.body),
        (StatusCode::CREATED, &first.body)
    );
    assert_eq!(f.stored().len(), 1, "its identifier keyed it");
    let refused = f.post(FHIR_RESPONSES_PATH, "text/plain", None, &qr).await;
    assert_eq!(refused.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_response_that_is_not_the_intake_s_is_refused_naming_where() {
    let f = Fixture::new().await;
    let mut other = response_of(&example());
    other["questionnaire"] = json!("http://example.org/fhir/Questionnaire/phq-9");
    let reply = f
        .post(FHIR_RESPONSES_PATH, "application/fhir+json", None, &other)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["path"], "fhir:questionnaire");
    let reply = f
        .post(
            FHIR_RESPONSES_PATH,
            "application/fhir+json",
            None,
            &json!({"resourceType": "Patient"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["path"], "fhir:resourceType");
    let reply = f
        .send(
            Request::post(FHIR_RESPONSES_PATH)
                .header(header::CONTENT_TYPE, "application/fhir+json")
                .body(Body::from("{not json"))
                .expect("request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(f.stored().is_empty());
}

#[tokio::test]
async fn a_fhir_submission_is_validated_like_any_other_without_echoing_it() {
    let f = Fixture::new().await;
    let mut submission = example();
    submission.patient.phone = "+1401555Zqcanary".to_owned();
    let reply = f
        .post(
            FHIR_RESPONSES_PATH,
            "application/fhir+json",
            None,
            &response_of(&submission),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["errors"],
        json!([{"path": "patient.phone", "code": "phone_invalid"}])
    );
    assert!(!reply.body.to_string().contains("Zqcanary"));
    // A value of the wrong type is named by its path, not quoted.
    let mut qr = response_of(&example());
    for item in qr["item"].as_array_mut().into_iter().flatten() {
        if item["linkId"] == "health" {
            for child in item["item"].as_array_mut().into_iter().flatten() {
                if child["linkId"] == "health.blood_thinners" {
                    child["answer"] = json!([{"valueString": "Zqcanary"}]);
                }
            }
        }
    }
    let reply = f
        .post(FHIR_RESPONSES_PATH, "application/fhir+json", None, &qr)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["path"], "health.blood_thinners");
    assert!(!reply.body.to_string().contains("Zqcanary"));
    assert!(f.stored().is_empty());
}

#[tokio::test]
async fn the_questionnaire_is_served_as_fhir_json_and_matches_the_committed_copy() {
    let f = Fixture::new().await;
    let reply = f
        .send(
            Request::get(FHIR_QUESTIONNAIRE_PATH)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type, "application/fhir+json");
    let committed: Value = serde_json::from_str(include_str!(
        "../../../docs/massage-intake-2.questionnaire.json"
    ))
    .expect("json");
    assert_eq!(reply.body, committed);
    assert_eq!(reply.body["url"], intake_core::fhir::QUESTIONNAIRE_URL);
    let _ = Store::open(&f.db).await.expect("the store is there");
}

#[tokio::test]
async fn an_unknown_link_id_is_said_to_be_unknown_not_repeated() {
    let f = Fixture::new().await;
    for link in [
        "Zqcanary".to_owned(),
        format!("Zqcanary{}", "x".repeat(200_000)),
    ] {
        let mut qr = response_of(&example());
        qr["item"]
            .as_array_mut()
            .expect("items")
            .push(json!({"linkId": link, "answer": [{"valueString": "a"}]}));
        let reply = f
            .post(FHIR_RESPONSES_PATH, "application/fhir+json", None, &qr)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply.body["errors"],
            json!([{"path": "fhir:item", "code": "unknown_field"}])
        );
        let text = reply.body.to_string();
        assert!(!text.contains("Zqcanary") && text.len() < 200, "{text}");
    }
    // A known item in the wrong place is named by the model's own name.
    let mut qr = response_of(&example());
    qr["item"]
        .as_array_mut()
        .expect("items")
        .push(json!({"linkId": "patient", "item": []}));
    let reply = f
        .post(FHIR_RESPONSES_PATH, "application/fhir+json", None, &qr)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["path"], "fhir:patient");
    assert!(f.stored().is_empty());
}
