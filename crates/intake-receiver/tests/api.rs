//! The receiver's HTTP contract, request by request, against a real SQLite
//! file (or, under `INTAKE_TEST_DATABASE=postgres`, a real PostgreSQL database).

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_receiver::{app, Database, Settings};
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
    db: Database,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Fixture {
        Fixture::with(|_| {}).await
    }

    /// A fixture with `change` applied to its settings.
    async fn with(change: impl FnOnce(&mut Settings)) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = common::database(dir.path());
        let mut settings = Settings::new(db.clone());
        settings.max_body_bytes = 4096;
        change(&mut settings);
        let router = app(&settings).await.expect("app");
        Fixture {
            router,
            db,
            _dir: dir,
        }
    }

    fn rows(&self) -> u64 {
        common::count(&self.db)
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
    let f = Fixture::new().await;
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
    let f = Fixture::new().await;
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
    let f = Fixture::new().await;
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
    let f = Fixture::new().await;
    let mut extra = submission();
    extra["patient"]["ssn"] = json!("000-00-0000");
    let (status, body, text) = f.post_json(&extra).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Named by where it is: the unknown name is the client's text, not repeated.
    assert_eq!(
        body["errors"],
        json!([{ "path": "patient", "code": "unknown_field" }])
    );
    assert!(!text.contains("ssn"), "{text}");
    let mut top = submission();
    top["Zyxcanary_field"] = json!(1);
    let (status, body, text) = f.post_json(&top).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"],
        json!([{ "path": "", "code": "unknown_field" }])
    );
    assert!(!text.contains("Zyx"), "{text}");

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

    let mut null = submission();
    null["patient"]["phone"] = Value::Null;
    let (status, body, _) = f.post_json(&null).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"],
        json!([{ "path": "patient.phone", "code": "required" }]),
        "null where a value is needed is a missing answer"
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
    let f = Fixture::new().await;
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
    let f = Fixture::new().await;
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
    assert_eq!(f.rows(), 0, "nothing stored for the refused types");
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
    let f = Fixture::new().await;
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
    let f = Fixture::new().await;
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
    let f = Fixture::new().await;
    let mut bad = submission();
    bad["patient"]["phone"] = json!("canary-phone-Zyx");
    bad["patient"]["extra"] = json!("Zyxcanary-extra");
    let (_, _, text) = f.post_json(&bad).await;
    assert!(!text.contains("Zyx") && !text.contains("canary"), "{text}");
    // A field whose very name is the canary, at any depth.
    let mut bad = submission();
    bad["visit"]["Zyxcanary_name"] = json!(true);
    let (_, _, text) = f.post_json(&bad).await;
    assert!(!text.contains("Zyx"), "{text}");
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
    let f = Fixture::new().await;
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
        "/../../docs/massage-intake-2.schema.json"
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
        "docs/massage-intake-2.schema.json is stale: run UPDATE_DOCS=1 cargo test"
    );

    let f = Fixture::new().await;
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

/// A JSON submission POST with its idempotency key; add headers and a body.
fn json_post(key: &str) -> axum::http::request::Builder {
    Request::post("/api/v1/submissions")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
}

/// The example with a fresh id, so several can be stored.
fn submission_with_id(id: &str) -> Value {
    let mut v = submission();
    v["submission_id"] = json!(id);
    v
}

fn id(n: u8) -> String {
    format!("0f8fad5b-d9cb-469f-a165-7086772895{n:02x}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_request_with_a_key_still_in_flight_gets_409() {
    let f = Fixture::new().await;
    // Hold the database's write lock so the first request stays in flight.
    let blocker = common::hold_writes(&f.db);
    let router = f.router.clone();
    let first = tokio::spawn(async move {
        let request = json_post(ID)
            .body(Body::from(submission().to_string()))
            .expect("request");
        router.oneshot(request).await.expect("response").status()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (status, body, _) = f.post_json(&submission()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("in_flight"))
    );
    blocker.release();
    assert_eq!(first.await.expect("first"), StatusCode::CREATED);
    assert_eq!(f.rows(), 1);
    let (status, _, _) = f.post_json(&submission()).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "once finished, the key answers as a repeat"
    );
}

#[tokio::test]
async fn a_body_that_trickles_in_gets_408_and_nothing_is_stored() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::database(dir.path());
    let mut settings = Settings::new(db.clone());
    settings.body_timeout = std::time::Duration::from_millis(300);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(intake_receiver::serve(
        listener,
        settings,
        std::future::pending(),
    ));
    let mut client = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: {ID}\r\nContent-Length: 2000\r\n\r\n{{"
    );
    client.write_all(head.as_bytes()).await.expect("write");
    let mut reply = String::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client.read_to_string(&mut reply),
    )
    .await;
    assert!(
        read.is_ok(),
        "the server answered instead of waiting for the rest"
    );
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("body_timeout"), "{reply}");
    assert_eq!(common::count(&db), 0);
}

#[tokio::test]
async fn only_listed_origins_get_cors_headers() {
    let f = Fixture::with(|s| s.cors_origins = vec!["https://harbor-massage.example".into()]).await;
    let post = |origin: &'static str| {
        json_post(ID)
            .header(header::ORIGIN, origin)
            .body(Body::from(submission().to_string()))
            .expect("request")
    };
    let allowed = f
        .router
        .clone()
        .oneshot(post("https://harbor-massage.example"))
        .await
        .expect("response");
    assert_eq!(allowed.status(), StatusCode::CREATED);
    assert_eq!(
        allowed
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .and_then(|v| v.to_str().ok()),
        Some("https://harbor-massage.example")
    );
    let other = f
        .router
        .clone()
        .oneshot(post("https://elsewhere.example"))
        .await
        .expect("response");
    assert!(
        other
            .headers()
            .keys()
            .all(|k| !k.as_str().starts_with("access-control-allow")),
        "{:?}",
        other.headers()
    );
    let preflight = Request::options("/api/v1/submissions")
        .header(header::ORIGIN, "https://harbor-massage.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type,idempotency-key",
        )
        .body(Body::empty())
        .expect("request");
    let preflight = f.router.clone().oneshot(preflight).await.expect("response");
    assert!(preflight.status().is_success());
    let allowed_headers = preflight
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_HEADERS)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        allowed_headers.contains("idempotency-key"),
        "{allowed_headers}"
    );
}

#[tokio::test]
async fn the_rate_limit_is_off_by_default_and_answers_429_when_set() {
    let open = Fixture::new().await;
    for n in 0..5 {
        let (status, _, _) = open
            .post(
                Some("application/json"),
                Some(&id(n)),
                submission_with_id(&id(n)).to_string(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let limited = Fixture::with(|s| s.rate_limit_per_minute = Some(2)).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for n in 0..3 {
        let request = json_post(&id(n))
            .body(Body::from(submission_with_id(&id(n)).to_string()))
            .expect("request");
        let response = limited
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        statuses.push(response.status());
        retry_after = retry_after.or(response.headers().get(header::RETRY_AFTER).cloned());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let wait: u64 = retry_after
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(limited.rows(), 2, "the refused one was not stored");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_limit() {
    let f = Fixture::with(|s| {
        s.rate_limit_per_minute = Some(1);
        s.trusted_proxies = vec!["10.0.0.1".parse().expect("ip")];
    })
    .await;
    for (n, client) in ["203.0.113.7", "203.0.113.8", "203.0.113.7"]
        .into_iter()
        .enumerate()
    {
        let request = json_post(&id(n as u8))
            .header("x-forwarded-for", format!("{client}, 10.0.0.1"))
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [10, 0, 0, 1],
                40000,
            ))))
            .body(Body::from(submission_with_id(&id(n as u8)).to_string()))
            .expect("request");
        let status = f
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response")
            .status();
        let expected = if n < 2 {
            StatusCode::CREATED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "{client}");
    }
}

#[tokio::test]
async fn staff_export_as_json_lines_and_csv() {
    let f = Fixture::new().await;
    for n in [1u8, 2] {
        let (status, _, _) = f
            .post(
                Some("application/json"),
                Some(&id(n)),
                submission_with_id(&id(n)).to_string(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let mut jsonl = Vec::new();
    let count = intake_receiver::export::export(
        &f.db,
        "2000-01-01",
        intake_receiver::export::Format::Jsonl,
        &mut jsonl,
    )
    .expect("export");
    assert_eq!(count, 2);
    let lines: Vec<Value> = String::from_utf8_lossy(&jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["reference"]
        .as_str()
        .is_some_and(|r| r.starts_with("MI-"))));
    assert_eq!(lines[0]["submission"]["patient"]["given_name"], "Zyxcanary");
    let mut csv = Vec::new();
    intake_receiver::export::export(
        &f.db,
        "2000-01-01",
        intake_receiver::export::Format::Csv,
        &mut csv,
    )
    .expect("export");
    let text = String::from_utf8_lossy(&csv);
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte order mark, for spreadsheets");
    let mut rows = text.lines();
    assert!(rows.next().is_some_and(
        |h| h.starts_with("reference,received_at,submission_id,submitted_at,given_name")
    ));
    let first = rows.next().expect("a row");
    assert!(
        first.contains("Zyxcanary")
            && first.contains("+14015550134")
            && first.contains("surgery_clearance;nut_free_lubricant"),
        "{first}"
    );
    assert_eq!(rows.count(), 1);
    let mut none = Vec::new();
    assert_eq!(
        intake_receiver::export::export(
            &f.db,
            "2999-01-01",
            intake_receiver::export::Format::Jsonl,
            &mut none
        ),
        Ok(0)
    );
    assert!(intake_receiver::export::export(
        &f.db,
        "yesterday",
        intake_receiver::export::Format::Csv,
        &mut none
    )
    .is_err_and(|e| e.contains("--since")));
}

#[tokio::test]
async fn the_csv_export_cannot_run_formulas_and_reads_back_to_every_value() {
    let f = Fixture::new().await;
    let hostile = [
        (
            "/patient/given_name",
            "=HYPERLINK(\"http://evil.example\",\"x\")",
        ),
        ("/patient/family_name", "'O'Brien"),
        (
            "/visit/reason",
            "@SUM(1+1) then -1,\r\n\"quoted\" on a second line",
        ),
    ];
    let mut body = submission_with_id(&id(7));
    body["signature"]["typed_name"] = Value::Null;
    for (pointer, value) in hostile {
        *body.pointer_mut(pointer).expect(pointer) = json!(value);
    }
    let (status, reply, _) = f
        .post(Some("application/json"), Some(&id(7)), body.to_string())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let mut out = Vec::new();
    intake_receiver::export::export(
        &f.db,
        "2000-01-01",
        intake_receiver::export::Format::Csv,
        &mut out,
    )
    .expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    // UTF-8 said by a byte order mark, so a spreadsheet reads "José" right.
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte order mark")
        .to_owned();
    // RFC 4180: every record ends in CRLF; the bare LF is inside a quoted cell.
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.matches("\r\n").count(),
        3,
        "header, row, and the reason's own line break"
    );
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    for cell in row.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a spreadsheet would run {cell:?}"
        );
    }
    // Every column read back, the one leading `'` dropped, is what was sent.
    let column = |name: &str| {
        let i = header.iter().position(|h| h == name).expect(name);
        intake_receiver::export::restored(&row[i]).to_owned()
    };
    let sent = |pointer: &str| match body.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    for (name, pointer) in intake_receiver::export::COLUMNS {
        assert_eq!(column(name), sent(pointer), "{name}");
    }
    assert_eq!(column("phone"), "+14015550134");
    assert_eq!(
        &row[header.iter().position(|h| h == "phone").expect("phone")],
        "'+14015550134"
    );
    assert!(column("reference").starts_with("MI-"));
    assert_eq!(column("flags"), "surgery_clearance;nut_free_lubricant");
}

#[tokio::test]
async fn only_the_configured_sites_may_frame_the_widget() {
    let policy_of = |settings_change: fn(&mut Settings)| async move {
        let f = Fixture::with(settings_change).await;
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
        response
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let default = policy_of(|_| {}).await;
    assert!(default.contains("frame-ancestors 'self';"), "{default}");
    let framed = policy_of(|s| {
        s.frame_ancestors = vec![
            "https://harbor-massage.example".into(),
            "https://www.harbor-massage.example/".into(),
            "https://evil.example; script-src *".into(),
            "javascript:alert(1)".into(),
        ]
    })
    .await;
    assert!(
        framed.contains(
            "frame-ancestors 'self' https://harbor-massage.example https://www.harbor-massage.example;"
        ),
        "{framed}"
    );
    assert!(
        !framed.contains("evil") && !framed.contains("javascript"),
        "{framed}"
    );
    assert!(framed.contains("script-src 'self' 'wasm-unsafe-eval';"));
}
