//! The receiver's HTTP contract, request by request, against a real SQLite file.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_receiver::{app, Settings, Store};
use serde_json::{json, Value};
use tower::ServiceExt;

const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// The documented example, with canary names to look for in replies.
fn submission() -> Value {
    let mut v: Value = serde_json::from_str(include_str!("../../../docs/example-submission.json"))
        .expect("example");
    v["patient"]["given_name"] = json!("Zyxcanary");
    v["patient"]["family_name"] = json!("Qwcanary");
    v
}

struct Fixture {
    router: axum::Router,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("intake.sqlite3");
        let mut settings = Settings::new(db.clone());
        settings.max_body_bytes = 4096;
        let router = app(&settings).expect("app");
        Fixture {
            router,
            db,
            _dir: dir,
        }
    }

    fn rows(&self) -> u64 {
        Store::open(&self.db)
            .and_then(|s| s.count())
            .expect("count")
    }

    async fn post(
        &self,
        content_type: Option<&str>,
        key: Option<&str>,
        body: impl Into<Body>,
    ) -> (StatusCode, Value, String) {
        let mut request = Request::post("/api/v1/submissions");
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(body.into()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        )
    }

    async fn post_json(&self, body: &Value) -> (StatusCode, Value, String) {
        self.post(Some("application/json"), Some(ID), body.to_string())
            .await
    }
}

#[tokio::test]
async fn a_valid_submission_is_created_once_and_repeats_get_the_same_reply() {
    let f = Fixture::new();
    let (status, first, _) = f.post_json(&submission()).await;
    assert_eq!(status, StatusCode::CREATED);
    let reference = first["reference"].as_str().expect("a reference").to_owned();
    assert!(reference.starts_with("MI-"), "{reference}");
    let (status, again, _) = f.post_json(&submission()).await;
    assert_eq!((status, again), (StatusCode::CREATED, first));
    assert_eq!(f.rows(), 1);
}

#[tokio::test]
async fn the_same_key_with_a_different_body_is_refused() {
    let f = Fixture::new();
    assert_eq!(f.post_json(&submission()).await.0, StatusCode::CREATED);
    let mut other = submission();
    other["patient"]["family_name"] = json!("Other");
    let (status, body, _) = f.post_json(&other).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("idempotency_key_reused")
        )
    );
    assert_eq!(f.rows(), 1);
}

#[tokio::test]
async fn invalid_fields_are_listed_with_path_and_code() {
    let f = Fixture::new();
    let mut bad = submission();
    bad["patient"]["phone"] = json!("401-555-01");
    bad["patient"]["given_name"] = json!("  ");
    bad["consents"]["treatment"] = Value::Null;
    let (status, body, _) = f.post_json(&bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid_submission");
    assert_eq!(
        body["errors"],
        json!([
            { "path": "patient.given_name", "code": "required" },
            { "path": "patient.phone", "code": "phone_invalid" },
            { "path": "consents.treatment", "code": "consent_required" },
        ])
    );
    assert_eq!(f.rows(), 0);
}

#[tokio::test]
async fn unknown_and_missing_fields_are_named_by_path() {
    let f = Fixture::new();
    let mut extra = submission();
    extra["patient"]["ssn"] = json!("000-00-0000");
    let (status, body, _) = f.post_json(&extra).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"],
        json!([{ "path": "patient.ssn", "code": "unknown_field" }])
    );

    let mut missing = submission();
    missing["patient"]
        .as_object_mut()
        .expect("object")
        .remove("phone");
    let (status, body, _) = f.post_json(&missing).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"],
        json!([{ "path": "patient.phone", "code": "missing_field" }])
    );

    let mut wrong_type = submission();
    wrong_type["patient"]["phone"] = json!(4015550134u64);
    let (status, body, _) = f.post_json(&wrong_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"],
        json!([{ "path": "patient.phone", "code": "invalid_value" }])
    );
    assert_eq!(f.rows(), 0);
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let f = Fixture::new();
    let trailing = format!("{} {{}}", submission());
    for body in ["{\"schema\": ", "not json", trailing.as_str()] {
        let (status, reply, _) = f
            .post(Some("application/json"), Some(ID), body.to_owned())
            .await;
        assert_eq!(
            (status, reply["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("malformed_json")),
            "{body}"
        );
    }
    assert_eq!(f.rows(), 0);
}

#[tokio::test]
async fn only_json_is_accepted() {
    let f = Fixture::new();
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let (status, reply, _) = f.post(ct, Some(ID), submission().to_string()).await;
        assert_eq!(
            (status, reply["error"].as_str()),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Some("content_type_not_json")
            )
        );
    }
    let (status, _, _) = f
        .post(
            Some("application/json; charset=utf-8"),
            Some(ID),
            submission().to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_idempotency_key_must_be_there_be_a_uuid_and_match_the_id() {
    let f = Fixture::new();
    let body = submission().to_string();
    let (status, reply, _) = f.post(Some("application/json"), None, body.clone()).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("idempotency_key_missing"))
    );
    let (status, reply, _) = f
        .post(Some("application/json"), Some("123"), body.clone())
        .await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("idempotency_key_invalid"))
    );
    let other = "1f8fad5b-d9cb-469f-a165-70867728950e";
    let (status, reply, _) = f.post(Some("application/json"), Some(other), body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply["errors"],
        json!([{ "path": "submission_id", "code": "id_mismatch" }])
    );
    assert_eq!(f.rows(), 0);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let f = Fixture::new();
    let mut big = submission();
    big["patient"]["family_name"] = json!("x".repeat(5000));
    let (status, reply, _) = f.post_json(&big).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
    assert_eq!(f.rows(), 0);
}

#[tokio::test]
async fn error_replies_never_echo_what_was_submitted() {
    let f = Fixture::new();
    let mut bad = submission();
    bad["patient"]["phone"] = json!("canary-phone-Zyx");
    bad["patient"]["extra"] = json!("Zyxcanary-extra");
    let (_, _, text) = f.post_json(&bad).await;
    assert!(!text.contains("Zyx") && !text.contains("canary"), "{text}");
    let mut bad = submission();
    bad["patient"]["phone"] = json!(["Zyxcanary"]);
    let (_, _, text) = f.post_json(&bad).await;
    assert!(!text.contains("Zyx"), "{text}");
    let (_, _, text) = f
        .post(
            Some("application/json"),
            Some(ID),
            "{\"schema\": \"Zyxcanary",
        )
        .await;
    assert!(!text.contains("Zyx"), "{text}");
}

#[tokio::test]
async fn health_is_reported() {
    let f = Fixture::new();
    let response = f
        .router
        .clone()
        .oneshot(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .is_some(),
        "every reply carries the policy"
    );
}

#[tokio::test]
async fn the_schema_is_served_and_the_committed_copy_is_current() {
    let generated = intake_core::schema::submission_schema();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/massage-intake-1.schema.json"
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let text = serde_json::to_string_pretty(&generated).expect("json") + "\n";
        std::fs::write(path, text).expect("write the schema");
    }
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(path).expect("the schema (UPDATE_DOCS=1 writes it)"),
    )
    .expect("the committed schema is JSON");
    assert_eq!(
        committed, generated,
        "docs/massage-intake-1.schema.json is stale: run UPDATE_DOCS=1 cargo test"
    );

    let f = Fixture::new();
    let response = f
        .router
        .clone()
        .oneshot(
            Request::get(intake_receiver::SCHEMA_PATH)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let served: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(served, generated);
    for (pointer, expected) in [
        ("/properties/schema/type", json!("string")),
        ("/additionalProperties", json!(false)),
        ("/$defs/Patient/properties/given_name/maxLength", json!(100)),
    ] {
        assert_eq!(
            served.pointer(pointer),
            Some(&expected),
            "{pointer} in {served}"
        );
    }
}
