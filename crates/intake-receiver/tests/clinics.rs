//! Several clinics in one receiver: each posts to its own endpoints, from its
//! own sites, seals or not, and its staff see its submissions and no other's.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_core::config::SEALED_CONTENT_TYPE;
use intake_core::sealed::{seal, KeyPair};
use intake_receiver::{app, Clinic, Database, Settings, Store};
use serde_json::{json, Value};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";
const HARBOR: &str = "https://harbor-massage.example";
const RIVERSIDE: &str = "https://riverside-massage.example";

fn id(n: u8) -> String {
    format!("0f8fad5b-d9cb-469f-a165-7086772895{n:02x}")
}

fn submission(n: u8, family_name: &str) -> Value {
    let mut v: Value = serde_json::from_str(include_str!("../../../docs/example-submission.json"))
        .expect("example");
    v["submission_id"] = json!(id(n));
    v["patient"]["family_name"] = json!(family_name);
    v
}

struct Receiver {
    router: axum::Router,
    db: Database,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    json: Value,
}

impl Receiver {
    async fn new() -> Receiver {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = common::database(dir.path());
        let mut settings = Settings::new(db.clone());
        settings.cors_origins = vec![HARBOR.to_owned()];
        settings.clinics = vec![Clinic {
            id: "riverside".to_owned(),
            path: "/clinics/riverside".to_owned(),
            cors_origins: vec![RIVERSIDE.to_owned()],
            accept_sealed: true,
        }];
        let router = app(&settings).await.expect("app");
        let store = Store::open(&db).await.expect("store");
        store.add_account("", "ana", PASSWORD).await.expect("ana");
        store
            .add_account("riverside", "rita", PASSWORD)
            .await
            .expect("rita");
        Receiver {
            router,
            db,
            _dir: dir,
        }
    }

    async fn call(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    async fn submit(
        &self,
        path: &str,
        origin: &str,
        content_type: &str,
        key: &str,
        body: String,
    ) -> Reply {
        self.call(
            Request::post(path)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ORIGIN, origin)
                .header("idempotency-key", key)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    /// Signs in; the session cookie and CSRF token.
    async fn login(&self, name: &str) -> (String, String) {
        let reply = self
            .call(
                Request::post("/staff/api/login")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({ "name": name, "password": PASSWORD }).to_string(),
                    ))
                    .expect("request"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{name} signs in");
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let csrf = reply.json["csrf"].as_str().expect("csrf").to_owned();
        (cookie, csrf)
    }

    async fn staff_get(&self, path: &str, cookie: &str) -> Reply {
        self.call(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    async fn staff_post(&self, path: &str, cookie: &str, csrf: &str, body: Value) -> Reply {
        self.call(
            Request::post(path)
                .header(header::COOKIE, cookie)
                .header("x-csrf-token", csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await
    }
}

fn allowed_origin(reply: &Reply) -> Option<&str> {
    reply
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn each_clinic_has_its_endpoints_sites_sealing_and_staff_and_never_sees_another_s() {
    let r = Receiver::new().await;
    let riverside = "/clinics/riverside/api/v1/submissions";

    // Harbor (the default clinic) and Riverside each take their own patient.
    let harbor_reply = r
        .submit(
            "/api/v1/submissions",
            HARBOR,
            "application/json",
            &id(1),
            submission(1, "Harborpatient").to_string(),
        )
        .await;
    assert_eq!(
        harbor_reply.status,
        StatusCode::CREATED,
        "{}",
        harbor_reply.json
    );
    assert_eq!(allowed_origin(&harbor_reply), Some(HARBOR));
    let river_reply = r
        .submit(
            riverside,
            RIVERSIDE,
            "application/json",
            &id(2),
            submission(2, "Riverpatient").to_string(),
        )
        .await;
    assert_eq!(
        river_reply.status,
        StatusCode::CREATED,
        "{}",
        river_reply.json
    );
    assert_eq!(allowed_origin(&river_reply), Some(RIVERSIDE));
    let harbor_ref = harbor_reply.json["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    let river_ref = river_reply.json["reference"]
        .as_str()
        .expect("reference")
        .to_owned();

    // Each clinic's sites are its own: a page of one cannot read the other's replies.
    let crossed = r
        .submit(
            riverside,
            HARBOR,
            "application/json",
            &id(3),
            submission(3, "Crossed").to_string(),
        )
        .await;
    assert_eq!(allowed_origin(&crossed), None);
    // Its FHIR endpoint is under its path too.
    let fhir = r
        .call(
            Request::post("/clinics/riverside/fhir/QuestionnaireResponse")
                .header(header::CONTENT_TYPE, "application/fhir+json")
                .body(Body::from("{}"))
                .expect("request"),
        )
        .await;
    assert_ne!(fhir.status, StatusCode::NOT_FOUND, "{}", fhir.json);

    // Riverside seals; Harbor does not.
    let keys = KeyPair::derive(&[4; 32]);
    let sealed = |n: u8| {
        seal(
            submission(n, "Sealedpatient").to_string().as_bytes(),
            &id(n),
            "application/json",
            &keys.public_key(),
            [n; 32],
        )
        .expect("seal")
        .to_json()
        .expect("json")
    };
    let refused = r
        .submit(
            "/api/v1/submissions",
            HARBOR,
            SEALED_CONTENT_TYPE,
            &id(4),
            sealed(4),
        )
        .await;
    assert_eq!(
        (refused.status, refused.json["error"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("sealed_not_expected")
        )
    );
    let taken = r
        .submit(riverside, RIVERSIDE, SEALED_CONTENT_TYPE, &id(5), sealed(5))
        .await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.json);

    // An id Harbor holds, sent to Riverside, is not Riverside's repeat: it
    // tells nothing of Harbor's submission.
    let reused = r
        .submit(
            riverside,
            RIVERSIDE,
            "application/json",
            &id(1),
            submission(1, "Harborpatient").to_string(),
        )
        .await;
    assert_eq!(
        (reused.status, reused.json["error"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("idempotency_key_reused")
        )
    );
    assert!(!reused.json.to_string().contains(&harbor_ref));

    // Each clinic's staff list their own submissions only.
    let (ana, ana_csrf) = r.login("ana").await;
    let (rita, rita_csrf) = r.login("rita").await;
    let listed = |reply: &Reply| -> Vec<String> {
        reply.json["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["reference"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let harbor_list = r.staff_get("/staff/api/submissions", &ana).await;
    assert_eq!(listed(&harbor_list), std::slice::from_ref(&harbor_ref));
    let river_list = r.staff_get("/staff/api/submissions", &rita).await;
    let mut river_refs = listed(&river_list);
    river_refs.sort();
    assert_eq!(river_refs.len(), 3, "Riverside's two plain and one sealed");
    assert!(river_refs.contains(&river_ref) && !river_refs.contains(&harbor_ref));
    assert!(!river_list.json.to_string().contains("Harborpatient"));
    let search = r
        .staff_get("/staff/api/submissions?q=harborpatient", &rita)
        .await;
    assert_eq!(
        listed(&search),
        Vec::<String>::new(),
        "a search stays in the clinic"
    );

    // Another clinic's submission is not there for them: not to read, mark or log.
    let other = r
        .staff_get(&format!("/staff/api/submissions/{harbor_ref}"), &rita)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let review = r
        .staff_post(
            &format!("/staff/api/submissions/{harbor_ref}/review"),
            &rita,
            &rita_csrf,
            json!({}),
        )
        .await;
    assert_eq!(review.status, StatusCode::NOT_FOUND);
    let report = r
        .staff_post(
            "/staff/api/audit",
            &rita,
            &rita_csrf,
            json!({ "action": "print", "reference": harbor_ref }),
        )
        .await;
    assert_eq!(report.status, StatusCode::NOT_FOUND);
    let own = r
        .staff_post(
            &format!("/staff/api/submissions/{harbor_ref}/review"),
            &ana,
            &ana_csrf,
            json!({}),
        )
        .await;
    assert_eq!(
        (own.status, own.json["by"].as_str()),
        (StatusCode::OK, Some("ana"))
    );

    let wrong = r
        .call(
            Request::post("/staff/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({ "name": "rita", "password": "not her password" }).to_string(),
                ))
                .expect("request"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    // Each clinic's audit trail holds its own staff's steps, failed logins too.
    let db = r.db.clone();
    let (harbor_trail, river_trail) = intake_receiver::store::blocking(&db, |store| async move {
        Ok((
            store.events(Some(""), "2000-01-01").await?,
            store.events(Some("riverside"), "2000-01-01").await?,
        ))
    })
    .expect("trails");
    assert!(
        harbor_trail.iter().all(|e| e.account == "ana"),
        "{harbor_trail:?}"
    );
    assert!(harbor_trail
        .iter()
        .any(|e| e.action == "review" && e.reference.as_deref() == Some(harbor_ref.as_str())));
    assert!(!river_trail.is_empty() && river_trail.iter().all(|e| e.account == "rita"));
    assert!(river_trail.iter().any(|e| e.action == "login_failed"));
    assert!(river_trail
        .iter()
        .all(|e| e.reference.as_deref() != Some(harbor_ref.as_str())));

    // The export of one clinic is that clinic's.
    let mut out = Vec::new();
    let written = intake_receiver::export::export_opening(
        &db,
        Some("riverside"),
        "2000-01-01",
        intake_receiver::export::Format::Jsonl,
        None,
        &mut out,
        &mut std::io::sink(),
    )
    .expect("export");
    let text = String::from_utf8_lossy(&out);
    assert_eq!(written.written, 2);
    assert!(text.contains("Riverpatient") && !text.contains("Harborpatient"));
}
