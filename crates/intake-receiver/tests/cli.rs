//! The real `intake-receiver` binary: its log never carries patient data, a
//! TOML file configures it, and `export` prints what it stored.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::request;

const BIN: &str = env!("CARGO_BIN_EXE_intake-receiver");
const CANARY: &str = "Zyxcanary";
const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

struct Running {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a free port, collecting everything it logs.
fn start(args: &[&str]) -> Running {
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start intake-receiver");
    let stderr = child.stderr.take().expect("stderr");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(addr) = line
                .strip_prefix("intake-receiver: listening on http://")
                .and_then(|r| r.split(' ').next())
            {
                let _ = tx.send(addr.to_owned());
            }
            if let Ok(mut log) = sink.lock() {
                log.push_str(&line);
                log.push('\n');
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the receiver says where it listens");
    Running {
        child,
        addr: addr.parse().expect("an address"),
        log,
    }
}

fn submission() -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/example-submission.json"))
            .expect("example");
    v["patient"]["given_name"] = serde_json::json!(CANARY);
    v
}

fn post(addr: SocketAddr, key: &str, extra_headers: &str, body: &str) -> (u16, String) {
    let head = format!("POST /api/v1/submissions?note={CANARY} HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: {key}{extra_headers}");
    request(addr, &head, body)
}

#[test]
fn the_log_never_carries_patient_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("intake.sqlite3");
    let receiver = start(&["--db", db.to_str().expect("path")]);
    let valid = submission().to_string();
    let mut invalid = submission();
    invalid["patient"]["phone"] = serde_json::json!(format!("{CANARY}-401"));
    let mut unknown = submission();
    unknown["patient"]["nickname"] = serde_json::json!(CANARY);
    let header =
        format!("\r\nX-Patient-Note: {CANARY}\r\nReferer: https://clinic.example/?name={CANARY}");
    let replies = [
        post(receiver.addr, ID, &header, &valid),
        post(receiver.addr, ID, "", &valid),
        post(receiver.addr, ID, "", &invalid.to_string()),
        post(receiver.addr, ID, "", &unknown.to_string()),
        post(receiver.addr, ID, "", &format!("{{\"patient\": \"{CANARY}")),
        post(receiver.addr, CANARY, "", &valid),
    ];
    let statuses: Vec<u16> = replies.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, [201, 201, 422, 422, 400, 400]);
    for (_, reply) in &replies {
        assert!(
            !reply.contains(CANARY),
            "a reply echoes patient data: {reply}"
        );
    }
    std::thread::sleep(Duration::from_millis(200));
    let log = receiver.log.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(
        log.matches("path=/api/v1/submissions").count(),
        6,
        "every request was logged:\n{log}"
    );
    assert!(
        log.contains("status=422") && log.contains("request_id="),
        "{log}"
    );
    assert!(
        !log.contains(CANARY),
        "the log carries patient data:\n{log}"
    );
}

#[test]
fn a_sealed_submission_leaves_no_patient_data_in_the_log_or_the_database() {
    use intake_core::sealed::{seal, KeyPair, SEALED_CONTENT_TYPE};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("intake.sqlite3");
    let receiver = start(&[
        "--db",
        db.to_str().expect("path"),
        "--accept-sealed",
        "true",
    ]);
    let keys = KeyPair::derive(&[11; 32]);
    let envelope = seal(
        submission().to_string().as_bytes(),
        ID,
        "application/json",
        &keys.public_key(),
        [12; 32],
    )
    .expect("seal")
    .to_json()
    .expect("json");
    let head = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nContent-Type: {SEALED_CONTENT_TYPE}\r\nIdempotency-Key: {ID}"
    );
    let (status, reply) = request(receiver.addr, &head, &envelope);
    assert_eq!(status, 201, "{reply}");
    std::thread::sleep(Duration::from_millis(200));
    let log = receiver.log.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(log.contains("status=201"), "{log}");
    assert!(
        !log.contains(CANARY),
        "the log carries patient data:\n{log}"
    );
    drop(receiver);
    for file in [db.clone(), dir.path().join("intake.sqlite3-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(CANARY),
                "{} holds patient data",
                file.display()
            );
        }
    }
    assert!(db.exists());
}

#[test]
fn a_toml_file_configures_the_receiver_and_flags_win_over_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("from-file.sqlite3");
    let file = dir.path().join("receiver.toml");
    std::fs::write(
        &file,
        format!("addr = \"127.0.0.1:1\"\ndb = {:?}\nrate_limit_per_minute = 1\ncors_origins = [\"https://harbor-massage.example\"]\n", db),
    )
    .expect("write config");
    // --addr (given by start) wins over the file's unusable port 1.
    let receiver = start(&["--config", file.to_str().expect("path")]);
    let valid = submission().to_string();
    assert_eq!(post(receiver.addr, ID, "", &valid).0, 201);
    let second = ID.replace("0f8f", "1f8f");
    let mut other = submission();
    other["submission_id"] = serde_json::json!(second);
    assert_eq!(
        post(receiver.addr, &second, "", &other.to_string()).0,
        429,
        "the file's rate limit applies"
    );
    let (_, reply) = post(
        receiver.addr,
        ID,
        "\r\nOrigin: https://harbor-massage.example",
        &valid,
    );
    assert!(
        reply
            .to_ascii_lowercase()
            .contains("access-control-allow-origin: https://harbor-massage.example"),
        "{reply}"
    );
    assert!(db.exists(), "the file's database was used");
}

#[test]
fn a_wildcard_or_malformed_origin_stops_the_start_with_the_setting_named() {
    for (args, env, named) in [
        (vec!["--cors-origin", "*"], None, "cors_origins: `*`"),
        (
            vec!["--frame-ancestor", "clinic.example"],
            None,
            "frame_ancestors",
        ),
        (
            vec![],
            Some(("INTAKE_CORS_ORIGINS", "https://a.example, *")),
            "cors_origins",
        ),
        (
            vec!["--trusted-proxy", "proxy.internal"],
            None,
            "trusted_proxies",
        ),
        (vec!["--max-connections", "0"], None, "max_connections"),
    ] {
        let mut command = Command::new(BIN);
        command.args(["--addr", "127.0.0.1:0"]).args(&args);
        if let Some((name, value)) = env {
            command.env(name, value);
        }
        let out = command.output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} {env:?}: a clear failure, not a panic"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn an_origin_list_in_the_environment_may_have_spaces() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("intake.sqlite3");
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0", "--db", db.to_str().expect("path")])
        .env(
            "INTAKE_CORS_ORIGINS",
            "https://a.example, https://b.example",
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines().map_while(Result::ok);
    let addr: SocketAddr = lines
        .find_map(|l| {
            l.strip_prefix("intake-receiver: listening on http://")
                .and_then(|r| r.split(' ').next().map(str::to_owned))
        })
        .and_then(|a| a.parse().ok())
        .expect("listening");
    let receiver = Running {
        child,
        addr,
        log: Arc::default(),
    };
    for origin in ["https://a.example", "https://b.example"] {
        let (_, reply) = post(
            receiver.addr,
            ID,
            &format!("\r\nOrigin: {origin}"),
            &submission().to_string(),
        );
        assert!(
            reply
                .to_ascii_lowercase()
                .contains(&format!("access-control-allow-origin: {origin}")),
            "{origin}: {reply}"
        );
    }
}

#[test]
fn a_broken_config_file_is_reported_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("receiver.toml");
    std::fs::write(&file, "databse = \"x\"\n").expect("write");
    let out = Command::new(BIN)
        .args(["--config", file.to_str().expect("path")])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("receiver.toml") && err.contains("databse"),
        "{err}"
    );
}

#[test]
fn export_prints_what_was_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("intake.sqlite3");
    {
        let receiver = start(&["--db", db.to_str().expect("path")]);
        assert_eq!(
            post(receiver.addr, ID, "", &submission().to_string()).0,
            201
        );
    }
    let out = Command::new(BIN)
        .args([
            "export",
            "--since",
            "2000-01-01",
            "--format",
            "csv",
            "--db",
            db.to_str().expect("path"),
        ])
        .output()
        .expect("run export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.contains(CANARY),
        "staff see the patient's answers: {csv}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("exported 1 submission"));
}

/// Runs the binary with `stdin` as its standard input: (success, stdout, stderr).
fn run_with_input(args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start intake-receiver");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn staff_accounts_are_added_listed_and_removed_and_the_audit_trail_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = common::database(dir.path());
    let db = common::db_arg(&database);
    let add = |name: &str, password: &str| {
        run_with_input(
            &["staff", "add", name, "--db", &db],
            &format!("{password}\n"),
        )
    };
    let (ok, _, err) = add("ana", "short");
    assert!(!ok && err.contains("at least 12"), "{err}");
    let (ok, _, err) = add("Ana Lima", "a long enough password");
    assert!(!ok && err.contains("not an account name"), "{err}");
    let (ok, _, err) = add("ana", "a long enough password");
    assert!(ok, "{err}");
    let (ok, _, err) = add("ana", "another long password");
    assert!(!ok && err.contains("exists"), "{err}");
    let stored = intake_receiver::store::blocking(&database, |store| async move {
        store.password_hash("ana").await
    })
    .expect("query")
    .expect("ana's hash")
    .0;
    assert!(stored.starts_with("$argon2id$") && !stored.contains("long enough"));
    let (ok, listed, _) = run_with_input(&["staff", "list", "--db", &db], "");
    assert!(ok && listed.starts_with("ana\t"), "{listed}");
    let (ok, _, err) = run_with_input(&["staff", "remove", "ana", "--db", &db], "");
    assert!(ok, "{err}");
    let (ok, _, err) = run_with_input(&["staff", "remove", "ana", "--db", &db], "");
    assert!(!ok && err.contains("no account"), "{err}");
    // An account of another clinic: named in the configuration, listed with it.
    let config = dir.path().join("receiver.toml");
    std::fs::write(&config, "[[clinics]]\nid = \"riverside\"\n").expect("config");
    let config = config.to_string_lossy().into_owned();
    let (ok, _, err) = run_with_input(
        &[
            "staff",
            "add",
            "rita",
            "--clinic",
            "riverside",
            "--db",
            &db,
            "--config",
            &config,
        ],
        "a long enough password\n",
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run_with_input(
        &[
            "staff", "add", "otto", "--clinic", "nowhere", "--db", &db, "--config", &config,
        ],
        "a long enough password\n",
    );
    assert!(
        !ok && err.contains("--clinic nowhere: no such clinic"),
        "{err}"
    );
    let (ok, listed, _) = run_with_input(&["staff", "list", "--db", &db], "");
    assert!(
        ok && listed.starts_with("rita\t") && listed.trim_end().ends_with("\triverside"),
        "{listed}"
    );
    intake_receiver::store::blocking(&database, |store| async move {
        store
            .record("", "ben", "view", Some("MI-AAAA-BBBB"))
            .await?;
        store
            .record("riverside", "rita", "view", Some("MI-CCCC-DDDD"))
            .await
    })
    .expect("record");
    let (ok, trail, _) = run_with_input(
        &[
            "audit",
            "--since",
            "2000-01-01",
            "--db",
            &db,
            "--clinic",
            "default",
        ],
        "",
    );
    assert!(ok);
    let fields: Vec<&str> = trail.trim_end().split('\t').collect();
    assert_eq!(fields[1..], ["ben", "view", "MI-AAAA-BBBB"], "{trail}");
    let (ok, trail, _) = run_with_input(
        &[
            "audit",
            "--since",
            "2000-01-01",
            "--db",
            &db,
            "--clinic",
            "riverside",
            "--config",
            &config,
        ],
        "",
    );
    assert!(
        ok && trail.lines().count() == 1 && trail.contains("\trita\tview\tMI-CCCC-DDDD"),
        "{trail}"
    );
    let (ok, _, err) = run_with_input(&["audit", "--since", "last week", "--db", &db], "");
    assert!(!ok && err.contains("use a date"), "{err}");
}
