//! Crash test on PostgreSQL: two receivers share one database while clients
//! submit without pause; the receivers are killed with SIGKILL one after the
//! other at random moments and restarted, and the PostgreSQL server itself
//! restarts once, as after a crash. A client whose submission got no answer
//! sends it again, to the other receiver, as the widget would. At the end:
//! every acknowledged submission is stored exactly once under the reference
//! it was given, and every unanswered one was stored at most once and is
//! found on retry.
//!
//! `CRASH_KILLS` sets how many kills (default 8; `cargo xtask crash-test
//! --postgres` runs 120). Needs `INTAKE_TEST_POSTGRES` and
//! `INTAKE_TEST_POSTGRES_RESTART` (a script that restarts the server),
//! which `cargo xtask test` sets.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{request, Rng};

const EXAMPLE: &str = include_str!("../../../docs/example-submission.json");
const EXAMPLE_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn start(addr: SocketAddr, url: &str) -> Child {
    common::spawn_receiver(addr, &["--database-url", url])
}

fn post(addr: SocketAddr, id: &str) -> Option<String> {
    let body = EXAMPLE.replace(EXAMPLE_ID, id);
    let head = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: {id}"
    );
    let (status, reply) = request(addr, &head, &body);
    (status == 201).then(|| {
        reply
            .split("\"reference\":\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_owned()
    })
}

#[test]
fn acknowledged_submissions_survive_killed_receivers_and_a_database_restart_exactly_once() {
    let restart = std::env::var("INTAKE_TEST_POSTGRES_RESTART").unwrap_or_else(|_| {
        panic!("needs INTAKE_TEST_POSTGRES_RESTART, a script that restarts the test server: run `cargo xtask test`")
    });
    let kills: u32 = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(8)
        .max(2);
    let db = common::fresh_postgres();
    let intake_receiver::Database::Postgres(url) = &db else {
        unreachable!("a PostgreSQL database")
    };
    let addrs: Vec<SocketAddr> = (0..2).map(|_| common::free_addr()).collect();
    let mut receivers: Vec<Child> = addrs.iter().map(|a| start(*a, url)).collect();

    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    // Ids that once went unanswered (acknowledged later or not).
    let unanswered: Arc<Mutex<Vec<String>>> = Arc::default();
    let attempts = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..4u64)
        .map(|n| {
            let (stop, acknowledged, unanswered, attempts, addrs) = (
                stop.clone(),
                acknowledged.clone(),
                unanswered.clone(),
                attempts.clone(),
                addrs.clone(),
            );
            std::thread::spawn(move || {
                let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ ((n + 1) * 0x2545_f491_4f6c_dd1d));
                let mut target = n as usize % 2;
                let mut pending: Option<String> = None;
                while !stop.load(Ordering::Relaxed) {
                    let id = pending.take().unwrap_or_else(|| rng.uuid());
                    attempts.fetch_add(1, Ordering::Relaxed);
                    match post(addrs[target], &id) {
                        Some(reference) => {
                            acknowledged.lock().expect("lock").insert(id, reference);
                        }
                        None => {
                            // No answer: the same submission again, to the other receiver.
                            unanswered.lock().expect("lock").push(id.clone());
                            pending = Some(id);
                            target = 1 - target;
                            std::thread::sleep(Duration::from_millis(5));
                        }
                    }
                }
                pending
            })
        })
        .collect();

    let mut rng = Rng(0xdead_beef_cafe_f00d);
    let mut database_restarts = 0;
    for kill in 0..kills {
        std::thread::sleep(Duration::from_millis(40 + rng.next() % 160));
        if kill == kills / 2 {
            let status = Command::new(&restart).status().expect("restart PostgreSQL");
            assert!(status.success(), "PostgreSQL restarted");
            database_restarts += 1;
        }
        let which = (kill % 2) as usize;
        receivers[which].kill().expect("SIGKILL");
        receivers[which].wait().expect("reaped");
        receivers[which] = start(addrs[which], url);
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let left: Vec<String> = workers
        .into_iter()
        .filter_map(|w| w.join().expect("client"))
        .collect();

    // Every submission that ever went unanswered is sent once more now that
    // all is up: it is found (or stored) and answered with its reference.
    let failed = unanswered.lock().expect("lock").len();
    let mut unanswered: Vec<String> = unanswered.lock().expect("lock").clone();
    unanswered.sort();
    unanswered.dedup();
    let mut retried = 0;
    for id in unanswered.iter().chain(&left) {
        let reference = post(addrs[0], id).expect("answered on retry");
        assert_eq!(reference, intake_receiver::store::reference_for(id));
        retried += 1;
    }
    for mut receiver in receivers {
        let _ = receiver.kill();
        let _ = receiver.wait();
    }

    let rows = intake_receiver::store::blocking(&db, |store| async move {
        store.received_since(None, "2000-01-01").await
    })
    .expect("rows");
    let mut stored: HashMap<String, Vec<String>> = HashMap::new();
    for row in &rows {
        let body: serde_json::Value = serde_json::from_str(&row.body).expect("json");
        let id = body["submission_id"].as_str().expect("an id").to_owned();
        stored.entry(id).or_default().push(row.reference.clone());
    }
    let acknowledged = acknowledged.lock().expect("lock");
    for (id, reference) in acknowledged.iter() {
        assert_eq!(
            stored.get(id).map(Vec::as_slice),
            Some(std::slice::from_ref(reference)),
            "{id} acknowledged as {reference}: stored once under it"
        );
    }
    for id in unanswered.iter().chain(&left) {
        assert_eq!(stored.get(id).map(Vec::len), Some(1), "{id} stored once");
    }
    let sent: std::collections::HashSet<&String> = acknowledged
        .keys()
        .chain(&unanswered)
        .chain(&left)
        .collect();
    assert!(
        stored.keys().all(|id| sent.contains(id)),
        "nothing stored that was not sent"
    );
    assert_eq!(rows.len(), stored.len(), "no id twice");
    println!(
        "crash test (PostgreSQL): {kills} SIGKILLs over 2 receivers, {database_restarts} database restart; {} attempts, {failed} unanswered; {} submissions acknowledged, {retried} of them unanswered at least once and found on retry; {} stored, each once",
        attempts.load(Ordering::Relaxed),
        acknowledged.len(),
        rows.len()
    );
    assert!(
        acknowledged.len() > 50,
        "too few submissions got through for the test to mean anything"
    );
    assert!(
        retried > 0,
        "no request met a crash: the test tested nothing"
    );
}
