//! The staff inbox's API, as an attacker and as staff would call it: every
//! call without a session, wrong and locked logins, expired sessions, forged
//! CSRF tokens, other origins, a cookie replayed after logout; and the audit
//! trail of a staff member's visit, which holds no patient data.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_receiver::staff::accounts;
use intake_receiver::staff::throttle::Limits;
use intake_receiver::{app, Database, Settings, Store};
use serde_json::{json, Value};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

struct Inbox {
    router: axum::Router,
    db: Database,
    reference: String,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// The documented example with canary names.
fn submission() -> Value {
    let mut v: Value = serde_json::from_str(include_str!("../../../docs/example-submission.json"))
        .expect("example");
    v["patient"]["given_name"] = json!("Zyxcanary");
    v["patient"]["family_name"] = json!("Qwcanary");
    v
}

impl Inbox {
    async fn new(change: impl FnOnce(&mut Settings)) -> Inbox {
        log();
        let dir = tempfile::tempdir().expect("temp dir");
        let db = common::database(dir.path());
        let mut settings = Settings::new(db.clone());
        change(&mut settings);
        let router = app(&settings).await.expect("app");
        Store::open(&db)
            .await
            .expect("store")
            .add_account("", "ana", PASSWORD)
            .await
            .expect("account");
        let mut inbox = Inbox {
            router,
            db,
            reference: String::new(),
            _dir: dir,
        };
        let body = submission();
        let id = body["submission_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let stored = inbox
            .call(
                Request::post("/api/v1/submissions")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header("idempotency-key", id)
                    .body(Body::from(body.to_string()))
                    .expect("request"),
            )
            .await;
        assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
        inbox.reference = stored.json()["reference"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        inbox
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
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn login_from(&self, name: &str, password: &str, from: Option<SocketAddr>) -> Reply {
        let mut request = Request::post("/staff/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "name": name, "password": password }).to_string(),
            ))
            .expect("request");
        if let Some(from) = from {
            request.extensions_mut().insert(ConnectInfo(from));
        }
        self.call(request).await
    }

    /// Logs in as ana; returns the cookie pair and the CSRF token.
    async fn login(&self) -> (String, String) {
        let reply = self.login_from("ana", PASSWORD, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let set = reply
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let pair = set.split(';').next().unwrap_or_default().to_owned();
        let csrf = reply.json()["csrf"].as_str().unwrap_or_default().to_owned();
        (pair, csrf)
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.call(request.body(Body::empty()).expect("request"))
            .await
    }

    async fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        csrf: Option<&str>,
        body: Value,
    ) -> Reply {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        self.call(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    fn audit(&self) -> Vec<accounts::Event> {
        intake_receiver::store::blocking(&self.db, |store| async move {
            store.events(None, "2000-01-01").await
        })
        .expect("events")
    }

    /// Every API path a staff member can call, with its method.
    fn endpoints(&self) -> Vec<(&'static str, String)> {
        let r = &self.reference;
        vec![
            ("GET", "/staff/api/session".to_owned()),
            ("GET", "/staff/api/submissions".to_owned()),
            ("GET", "/staff/api/submissions?since=2000-01-01".to_owned()),
            ("GET", format!("/staff/api/submissions/{r}")),
            ("GET", "/staff/api/submissions/MI-0000-0000".to_owned()),
            ("POST", format!("/staff/api/submissions/{r}/review")),
            ("POST", "/staff/api/audit".to_owned()),
            ("POST", "/staff/api/logout".to_owned()),
            ("GET", "/staff/api/accounts".to_owned()),
            ("GET", "/staff/api".to_owned()),
            ("GET", "/staff/api/".to_owned()),
            ("DELETE", "/staff/api/audit".to_owned()),
        ]
    }
}

async fn each_refused(inbox: &Inbox, cookie: Option<&str>, csrf: Option<&str>) {
    for (method, path) in inbox.endpoints() {
        let mut request = Request::builder()
            .method(method)
            .uri(&path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let body = json!({ "action": "print", "reference": inbox.reference }).to_string();
        let reply = inbox
            .call(request.body(Body::from(body)).expect("request"))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(
            reply.json(),
            json!({ "error": "unauthorized" }),
            "{method} {path}: reveals nothing"
        );
        assert!(reply.headers.get(header::SET_COOKIE).is_none());
    }
}

#[tokio::test]
async fn without_a_session_every_call_is_refused_and_reveals_nothing() {
    let inbox = Inbox::new(|_| {}).await;
    each_refused(&inbox, None, None).await;
    each_refused(&inbox, Some("mi_staff=forged-token"), Some("x")).await;
    each_refused(&inbox, Some("mi_staff="), None).await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_get_the_same_answer() {
    let inbox = Inbox::new(|_| {}).await;
    let wrong = inbox.login_from("ana", "not the password", None).await;
    let unknown = inbox.login_from("nobody", PASSWORD, None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (unknown.status, unknown.json()),
        (wrong.status, wrong.json())
    );
    assert_eq!(wrong.json(), json!({ "error": "login_failed" }));
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
    let malformed = inbox
        .post("/staff/api/login", None, None, json!({ "name": "ana" }))
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let actions: Vec<(String, String)> = inbox
        .audit()
        .into_iter()
        .map(|e| (e.account, e.action))
        .collect();
    assert_eq!(
        actions,
        [
            ("ana".to_owned(), "login_failed".to_owned()),
            ("(unknown)".to_owned(), "login_failed".to_owned())
        ],
        "a typed name that is no account is not recorded (it may be a password)"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password_for_a_while() {
    let inbox = Inbox::new(|s| {
        s.staff.limits = Limits {
            lock_after: 3,
            lock_for: Duration::from_millis(1500),
            ..Limits::default()
        }
    })
    .await;
    for _ in 0..3 {
        let reply = inbox.login_from("ana", "guess", None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let locked = inbox.login_from("ana", PASSWORD, None).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.json(), json!({ "error": "too_many_attempts" }));
    assert!(locked.headers.contains_key(header::RETRY_AFTER));
    // An unknown name locks the same way: a lock does not tell which names exist.
    for _ in 0..3 {
        inbox.login_from("nobody", "guess", None).await;
    }
    assert_eq!(
        inbox.login_from("nobody", "guess", None).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(
        inbox.login_from("ana", PASSWORD, None).await.status,
        StatusCode::OK
    );
    assert!(inbox.audit().iter().any(|e| e.action == "login_locked"));
}

#[tokio::test]
async fn one_address_trying_many_names_is_slowed_down() {
    let inbox = Inbox::new(|s| {
        s.staff.limits = Limits {
            address_limit: 4,
            ..Limits::default()
        }
    })
    .await;
    let attacker: SocketAddr = "203.0.113.9:40000".parse().expect("addr");
    let colleague: SocketAddr = "198.51.100.7:40000".parse().expect("addr");
    for i in 0..4 {
        let reply = inbox
            .login_from(&format!("guess{i}"), "guess", Some(attacker))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let slowed = inbox.login_from("ana", PASSWORD, Some(attacker)).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    let other = inbox.login_from("ana", PASSWORD, Some(colleague)).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another address is not slowed"
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_over_tls() {
    let plain = Inbox::new(|_| {}).await;
    let reply = plain.login_from("ana", PASSWORD, None).await;
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("mi_staff="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");
    let tls = Inbox::new(|s| s.staff.https = true).await;
    let reply = tls.login_from("ana", PASSWORD, None).await;
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("__Host-mi_staff="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    // Over TLS the plain name is not a session.
    let token = cookie.split(';').next().unwrap_or_default();
    let renamed = token.replace("__Host-mi_staff", "mi_staff");
    assert_eq!(
        tls.get("/staff/api/session", Some(&renamed)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        tls.get("/staff/api/session", Some(token)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_idle_session_ends_and_so_does_an_old_one() {
    // Generous margins: a loaded machine must not make a live session look
    // idle or old before its time.
    let idle = Inbox::new(|s| s.staff.idle = Duration::from_millis(2000)).await;
    let (cookie, _) = idle.login().await;
    assert_eq!(
        idle.get("/staff/api/session", Some(&cookie)).await.status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        idle.get("/staff/api/submissions", Some(&cookie))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let max = Duration::from_millis(4000);
    let old = Inbox::new(|s| {
        s.staff.idle = Duration::from_secs(60);
        s.staff.max = max;
    })
    .await;
    let (cookie, _) = old.login().await;
    let started = std::time::Instant::now();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            old.get("/staff/api/session", Some(&cookie)).await.status,
            StatusCode::OK
        );
    }
    assert!(
        started.elapsed() < Duration::from_millis(3500),
        "too slow a machine for this test's margins"
    );
    tokio::time::sleep(max.saturating_sub(started.elapsed()) + Duration::from_millis(300)).await;
    assert_eq!(
        old.get("/staff/api/session", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED,
        "in use all along, yet past its longest life"
    );
}

#[tokio::test]
async fn a_change_needs_the_sessions_csrf_token() {
    let inbox = Inbox::new(|_| {}).await;
    let (cookie, csrf) = inbox.login().await;
    let path = format!("/staff/api/submissions/{}/review", inbox.reference);
    for forged in [None, Some(""), Some("forged"), Some(&csrf[1..])] {
        let reply = inbox.post(&path, Some(&cookie), forged, json!({})).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "token {forged:?}");
        assert_eq!(reply.json(), json!({ "error": "csrf" }));
    }
    let (_, other_csrf) = inbox.login().await;
    let reply = inbox
        .post(&path, Some(&cookie), Some(&other_csrf), json!({}))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "another session's token"
    );
    assert!(inbox.audit().iter().all(|e| e.action != "review"));
    let reply = inbox
        .post(&path, Some(&cookie), Some(&csrf), json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["by"], "ana");
}

#[tokio::test]
async fn a_request_from_another_origin_is_refused_before_anything_is_read() {
    let inbox = Inbox::new(|_| {}).await;
    let (cookie, csrf) = inbox.login().await;
    let login = inbox
        .call(
            Request::post("/staff/api/login")
                .header(header::HOST, "inbox.clinic.example")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({ "name": "ana", "password": PASSWORD }).to_string(),
                ))
                .expect("request"),
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    assert!(login.headers.get(header::SET_COOKIE).is_none());
    let review = inbox
        .call(
            Request::post(format!("/staff/api/submissions/{}/review", inbox.reference))
                .header(header::HOST, "inbox.clinic.example")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::COOKIE, &cookie)
                .header("x-csrf-token", &csrf)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(review.status, StatusCode::FORBIDDEN);
    let list = inbox
        .call(
            Request::get("/staff/api/submissions")
                .header(header::COOKIE, &cookie)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);
    assert!(!list.body.contains("canary"));
    let same = inbox
        .call(
            Request::get("/staff/api/submissions")
                .header(header::HOST, "inbox.clinic.example")
                .header(header::ORIGIN, "http://inbox.clinic.example")
                .header("sec-fetch-site", "same-origin")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert!(inbox.audit().iter().all(|e| e.action != "review"));
}

#[tokio::test]
async fn a_cookie_replayed_after_logout_is_refused() {
    let inbox = Inbox::new(|_| {}).await;
    let (cookie, csrf) = inbox.login().await;
    let out = inbox
        .post("/staff/api/logout", Some(&cookie), Some(&csrf), json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let cleared = out
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    each_refused(&inbox, Some(&cookie), Some(&csrf)).await;
}

/// Every test's log lines, in one place: the receiver's whole log while
/// staff use it, read back by the audit test. (One subscriber for the whole
/// binary: a per-test one misses lines logged while tests run side by side.)
fn log() -> Captured {
    static LOG: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::TRACE)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
        captured
    })
    .clone()
}

/// A log writer the test reads back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_staff_visit_is_audited_in_order_without_patient_data_in_the_trail_or_the_log() {
    let captured = log();
    let inbox = Inbox::new(|_| {}).await;
    let reference = inbox.reference.clone();
    inbox.login_from("ana", "wrong password", None).await;
    let (cookie, csrf) = inbox.login().await;
    let list = inbox.get("/staff/api/submissions", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["family_name"], "Qwcanary");
    assert_eq!(items[0]["reference"], reference.as_str());
    assert_eq!(items[0]["sealed"], false);
    let detail = inbox
        .get(
            &format!("/staff/api/submissions/{reference}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    let body: Value =
        serde_json::from_str(detail.json()["body"].as_str().unwrap_or("")).expect("body");
    assert_eq!(body["patient"]["given_name"], "Zyxcanary");
    let not_sealed = inbox
        .post(
            "/staff/api/audit",
            Some(&cookie),
            Some(&csrf),
            json!({ "action": "key_use", "reference": reference }),
        )
        .await;
    assert_eq!(
        not_sealed.status,
        StatusCode::BAD_REQUEST,
        "no key opens a plain intake"
    );
    for action in ["print", "download_fhir", "download_json"] {
        let reply = inbox
            .post(
                "/staff/api/audit",
                Some(&cookie),
                Some(&csrf),
                json!({ "action": action, "reference": reference }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{action}");
    }
    let made_up = inbox
        .post(
            "/staff/api/audit",
            Some(&cookie),
            Some(&csrf),
            json!({ "action": "delete_audit", "reference": reference }),
        )
        .await;
    assert_eq!(made_up.status, StatusCode::BAD_REQUEST);
    let unknown = inbox
        .post(
            "/staff/api/audit",
            Some(&cookie),
            Some(&csrf),
            json!({ "action": "print", "reference": "MI-0000-0000" }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let reviewed = inbox
        .post(
            &format!("/staff/api/submissions/{reference}/review"),
            Some(&cookie),
            Some(&csrf),
            json!({}),
        )
        .await;
    assert_eq!(reviewed.status, StatusCode::OK);
    let relisted = inbox.get("/staff/api/submissions", Some(&cookie)).await;
    assert_eq!(relisted.json()["items"][0]["reviewed"]["by"], "ana");
    inbox
        .post("/staff/api/logout", Some(&cookie), Some(&csrf), json!({}))
        .await;
    let trail: Vec<(String, String, Option<String>)> = inbox
        .audit()
        .into_iter()
        .map(|e| (e.account, e.action, e.reference))
        .collect();
    let r = || Some(reference.clone());
    let expected = vec![
        ("ana".to_owned(), "login_failed".to_owned(), None),
        ("ana".into(), "login".into(), None),
        ("ana".into(), "list".into(), None),
        ("ana".into(), "view".into(), r()),
        ("ana".into(), "print".into(), r()),
        ("ana".into(), "download_fhir".into(), r()),
        ("ana".into(), "download_json".into(), r()),
        ("ana".into(), "review".into(), r()),
        ("ana".into(), "list".into(), None),
        ("ana".into(), "logout".into(), None),
    ];
    assert_eq!(trail, expected);
    let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
    assert!(
        log.contains("/staff/api/submissions"),
        "the log was captured: {log}"
    );
    assert!(
        !log.to_lowercase().contains("canary"),
        "patient data in the log: {log}"
    );
    assert!(!log.contains(PASSWORD) && !log.contains(&csrf));
}

#[tokio::test]
async fn the_inbox_page_has_its_own_strict_policy_and_the_widget_keeps_its_own() {
    let dir = tempfile::tempdir().expect("dist");
    std::fs::create_dir_all(dir.path().join("staff")).expect("staff dir");
    std::fs::write(
        dir.path().join("staff/index.html"),
        "<!DOCTYPE html><title>Inbox</title>",
    )
    .expect("page");
    std::fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><title>Widget</title>",
    )
    .expect("page");
    let dist = dir.path().to_owned();
    let inbox = Inbox::new(move |s| s.dist = Some(dist)).await;
    let page = inbox.get("/staff/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Inbox"));
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(csp, intake_receiver::staff::STAFF_CSP);
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        page.headers
            .get(header::X_FRAME_OPTIONS)
            .and_then(|v| v.to_str().ok()),
        Some("DENY")
    );
    assert_eq!(
        page.headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    for other in ["/staff", "/staff/index.html"] {
        let moved = inbox.get(other, None).await;
        assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT, "{other}");
        assert_eq!(
            moved
                .headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some("/staff/")
        );
    }
    let widget = inbox.get("/", None).await;
    assert_eq!(
        widget
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok()),
        Some(intake_receiver::content_security_policy(&[]).as_str())
    );
    let without = Inbox::new(|_| {}).await;
    let missing = without.get("/staff/", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("--dist"), "{}", missing.body);
}

#[tokio::test]
async fn the_list_is_bounded_by_days_or_instants_and_leaves_large_envelopes_to_the_chart() {
    let inbox = Inbox::new(|_| {}).await;
    let store = Store::open(&inbox.db).await.expect("store");
    let envelope = |id: &str, padding: usize| {
        json!({
            "schema": intake_core::sealed::SEALED_SCHEMA,
            "submission_id": id,
            "key_id": "k-test",
            "suite": "x",
            "content_type": "application/json",
            "enc": "AAAA",
            "ciphertext": "A".repeat(padding),
        })
        .to_string()
    };
    store
        .insert(
            "",
            "11111111-1111-4111-8111-111111111111",
            envelope("11111111-1111-4111-8111-111111111111", 100),
        )
        .await
        .expect("small");
    store
        .insert(
            "",
            "22222222-2222-4222-8222-222222222222",
            envelope("22222222-2222-4222-8222-222222222222", 300_000),
        )
        .await
        .expect("large");
    let (cookie, _) = inbox.login().await;
    let list = inbox.get("/staff/api/submissions", Some(&cookie)).await;
    let items = list.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 3);
    assert_eq!(list.json()["more"], false);
    let sealed: Vec<&Value> = items.iter().filter(|i| i["sealed"] == true).collect();
    assert_eq!(sealed.len(), 2);
    assert!(sealed.iter().all(|i| i["key_id"] == "k-test"));
    assert_eq!(
        sealed.iter().filter(|i| i["envelope"].is_string()).count(),
        1,
        "only the small envelope comes with the list"
    );
    assert!(list.body.len() < 10_000, "{} bytes", list.body.len());
    let received = items[0]["received_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let day = &received[..10];
    for (query, expected) in [
        (format!("since={day}&until={day}"), 3),
        (format!("until={day}"), 3),
        ("since=2099-01-01".to_owned(), 0),
        ("until=2000-01-01T00:00:00.000Z".to_owned(), 0),
        (
            "since=2000-01-01T00:00:00.000Z&until=2099-01-01T00:00:00.000Z".to_owned(),
            3,
        ),
    ] {
        let reply = inbox
            .get(&format!("/staff/api/submissions?{query}"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{query}");
        assert_eq!(
            reply.json()["items"].as_array().map(Vec::len),
            Some(expected),
            "{query}"
        );
    }
    let bad = inbox
        .get("/staff/api/submissions?since=yesterday", Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let detail = inbox
        .get(
            &format!(
                "/staff/api/submissions/{}",
                intake_receiver::store::reference_for("22222222-2222-4222-8222-222222222222")
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.json()["body"]
        .as_str()
        .is_some_and(|b| b.len() > 300_000));
}

#[tokio::test]
async fn a_search_reaches_past_the_newest_two_hundred() {
    let inbox = Inbox::new(|_| {}).await;
    let store = Store::open(&inbox.db).await.expect("store");
    let mut body = submission();
    for i in 0..205 {
        let id = format!("{i:08x}-0000-4000-8000-000000000000");
        body["submission_id"] = json!(id);
        body["patient"]["family_name"] = json!(if i == 3 { "Müller" } else { "Costa" });
        store
            .insert("", &id, body.to_string())
            .await
            .expect("insert");
    }
    let (cookie, _) = inbox.login().await;
    let list = inbox.get("/staff/api/submissions", Some(&cookie)).await;
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(200));
    assert_eq!(list.json()["more"], true, "206 stored, 200 listed");
    let oldest = intake_receiver::store::reference_for("00000000-0000-4000-8000-000000000000");
    for (query, expected) in [
        ("zyxcanary muller", 1),
        ("MULLER, zyxcanary", 1),
        (oldest.to_lowercase().as_str(), 1),
        ("nobody at all", 0),
    ] {
        let url = format!(
            "/staff/api/submissions?q={}",
            query.replace(' ', "%20").replace(',', "%2C")
        );
        let reply = inbox.get(&url, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}");
        assert_eq!(
            reply.json()["items"].as_array().map(Vec::len),
            Some(expected),
            "{query}: {}",
            reply.body.len()
        );
    }
}
