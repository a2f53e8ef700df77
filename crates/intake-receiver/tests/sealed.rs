//! Sealed submissions at the receiver: stored as they came, unreadable to it,
//! and opened only by `intake-receiver open` with the clinic's key.

mod common;

use std::process::Command;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_core::sealed::{seal, Envelope, KeyPair, SEALED_CONTENT_TYPE};
use intake_receiver::{app, Settings};
use serde_json::{json, Value};
use tower::ServiceExt;

const BIN: &str = env!("CARGO_BIN_EXE_intake-receiver");
const CANARY: &str = "Zqsealedcanary";

fn id(n: u8) -> String {
    format!("0f8fad5b-d9cb-469f-a165-7086772895{n:02x}")
}

/// The example submission with a canary name, sealed to `keys`.
fn sealed(keys: &KeyPair, n: u8) -> Envelope {
    let mut submission: Value =
        serde_json::from_str(include_str!("../../../docs/example-submission.json"))
            .expect("example");
    submission["submission_id"] = json!(id(n));
    submission["patient"]["family_name"] = json!(CANARY);
    seal(
        submission.to_string().as_bytes(),
        &id(n),
        "application/json",
        &keys.public_key(),
        [n; 32],
    )
    .expect("seal")
}

async fn post(
    router: &axum::Router,
    key: &str,
    content_type: &str,
    body: String,
) -> (StatusCode, Value) {
    let response = router
        .clone()
        .oneshot(
            Request::post("/api/v1/submissions")
                .header(header::CONTENT_TYPE, content_type)
                .header("idempotency-key", key)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn an_envelope_is_stored_as_it_came_and_repeats_get_the_same_reply() {
    let dir = tempfile::tempdir().expect("dir");
    let db = common::database(dir.path());
    let router = app(&Settings {
        accept_sealed: true,
        ..Settings::new(db.clone())
    })
    .await
    .expect("app");
    let keys = KeyPair::derive(&[1; 32]);
    let envelope = sealed(&keys, 1);
    let text = envelope.to_json().expect("json");
    let (status, first) = post(&router, &id(1), SEALED_CONTENT_TYPE, text.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = post(&router, &id(1), SEALED_CONTENT_TYPE, text.clone()).await;
    assert_eq!((status, again), (StatusCode::CREATED, first));
    assert_eq!(common::count(&db), 1);
    let stored = common::bodies(&db).concat();
    assert_eq!(stored, text, "stored as it came");
    assert!(!stored.contains(CANARY));

    // The key must be the envelope's id; a broken envelope is refused.
    let (status, reply) = post(
        &router,
        &id(2),
        SEALED_CONTENT_TYPE,
        sealed(&keys, 3).to_json().expect("json"),
    )
    .await;
    assert_eq!(
        (status, &reply["errors"][0]["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("id_mismatch"))
    );
    let mut broken = sealed(&keys, 4);
    broken.enc = "short".into();
    let body = serde_json::to_string(&broken).expect("json");
    assert_eq!(
        post(&router, &id(4), SEALED_CONTENT_TYPE, body).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // An envelope is not a plain submission.
    assert_eq!(
        post(
            &router,
            &id(5),
            "application/json",
            sealed(&keys, 5).to_json().expect("json")
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(common::count(&db), 1);
}

#[test]
fn keygen_then_open_finds_the_submissions_and_names_what_it_cannot_open() {
    let dir = tempfile::tempdir().expect("dir");
    let key_file = dir.path().join("clinic.key");
    let out = Command::new(BIN)
        .args(["keygen", "--out"])
        .arg(&key_file)
        .output()
        .expect("run keygen");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let keys =
        KeyPair::parse(&std::fs::read_to_string(&key_file).expect("key file")).expect("a key");
    assert_eq!(keys.public_key().to_base64(), public);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner may read the key");
    }
    // It never overwrites a key.
    let again = Command::new(BIN)
        .args(["keygen", "--out"])
        .arg(&key_file)
        .output()
        .expect("run");
    assert!(!again.status.success());

    // Two sealed to this key, one to another, one tampered, one plain.
    let db = common::database(dir.path());
    let other = KeyPair::derive(&[9; 32]);
    common::insert(&db, &id(1), &sealed(&keys, 1).to_json().expect("json"));
    common::insert(&db, &id(2), &sealed(&keys, 2).to_json().expect("json"));
    common::insert(&db, &id(3), &sealed(&other, 3).to_json().expect("json"));
    let mut tampered = sealed(&keys, 4);
    let mut bytes = intake_core::base64::decode(&tampered.ciphertext).expect("b64");
    bytes[10] ^= 1;
    tampered.ciphertext = intake_core::base64::encode(&bytes);
    common::insert(&db, &id(4), &tampered.to_json().expect("json"));
    let mut plain: Value =
        serde_json::from_str(include_str!("../../../docs/example-submission.json"))
            .expect("example");
    plain["submission_id"] = json!(id(6));
    common::insert(&db, &id(6), &plain.to_string());

    let run = |command: &str, key: Option<&std::path::Path>| {
        let mut cmd = Command::new(BIN);
        cmd.args([command, "--since", "2000-01-01", "--db"])
            .arg(common::db_arg(&db));
        if let Some(key) = key {
            cmd.arg("--key").arg(key);
        }
        let out = cmd.output().expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, stdout, stderr) = run("open", Some(&key_file));
    assert!(!ok, "some could not be opened: {stderr}");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["submission"]["submission_id"].as_str())
        .collect();
    let mut expected = vec![id(1), id(2), id(6)];
    expected.sort();
    let mut got: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    got.sort();
    assert_eq!(got, expected, "the openable ones and the plain one");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["submission"]["patient"]["family_name"] == CANARY)
            .count(),
        2
    );
    let reference = |n: u8| intake_receiver::store::reference_for(&id(n));
    assert!(
        stderr.contains(&format!(
            "{}: sealed to key {}",
            reference(3),
            other.public_key().id()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: changed or damaged", reference(4))),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 sealed submission(s) could not be opened"),
        "{stderr}"
    );

    // Without the key, export leaves the sealed ones out and says so.
    let (ok, stdout, stderr) = run("export", None);
    assert!(ok, "{stderr}");
    assert_eq!(stdout.lines().count(), 1);
    assert!(!stdout.contains(CANARY));
    assert!(
        stderr.contains("4 sealed submission(s) left out"),
        "{stderr}"
    );

    // A key file that is not one is named.
    let junk = dir.path().join("junk.key");
    std::fs::write(&junk, "not a key").expect("write");
    let (ok, _, stderr) = run("open", Some(&junk));
    assert!(
        !ok && stderr.contains("is not a private key file"),
        "{stderr}"
    );
}
