//! Crash test: clients submit without pause while the receiver is killed with
//! SIGKILL at random moments and restarted. Every submission it acknowledged
//! must be stored exactly once, with the reference it gave, and the database
//! must pass `PRAGMA integrity_check`.
//!
//! `CRASH_KILLS` sets how many kills (default 10; `cargo xtask crash-test`
//! runs 120).

mod common;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{request, Rng};

fn start(addr: SocketAddr, db: &std::path::Path) -> Child {
    common::spawn_receiver(addr, &["--db", db.to_str().expect("path")])
}

#[test]
fn acknowledged_submissions_survive_sigkill_exactly_once() {
    let kills: u32 = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(10);
    let clients = 4;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("intake.sqlite3");
    let addr = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let example = include_str!("../../../docs/example-submission.json");
    let example_id = "0f8fad5b-d9cb-469f-a165-70867728950e";

    let mut receiver = start(addr, &db);
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let (attempts, failures) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let workers: Vec<_> = (0..clients)
        .map(|n| {
            let (stop, acknowledged, attempts, failures) = (stop.clone(), acknowledged.clone(), attempts.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ ((n as u64 + 1) * 0x2545_f491_4f6c_dd1d));
                while !stop.load(Ordering::Relaxed) {
                    let id = rng.uuid();
                    let body = example.replace(example_id, &id);
                    let head = format!("POST /api/v1/submissions HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: {id}");
                    attempts.fetch_add(1, Ordering::Relaxed);
                    let (status, reply) = request(addr, &head, &body);
                    if status == 201 {
                        let reference = reply.split("\"reference\":\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_owned();
                        acknowledged.lock().expect("lock").insert(id, reference);
                    } else {
                        // Killed mid-request, or not back yet: unknown, so not counted.
                        failures.fetch_add(1, Ordering::Relaxed);
                        std::thread::sleep(Duration::from_millis(2));
                    }
                }
            })
        })
        .collect();

    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for _ in 0..kills {
        std::thread::sleep(Duration::from_millis(20 + rng.next() % 130));
        receiver.kill().expect("SIGKILL");
        receiver.wait().expect("reaped");
        receiver = start(addr, &db);
    }
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("client");
    }
    receiver.kill().expect("SIGKILL");
    receiver.wait().expect("reaped");

    let conn = rusqlite::Connection::open(&db).expect("open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))
        .expect("count");
    let acknowledged = acknowledged.lock().expect("lock");
    let mut stmt = conn
        .prepare("SELECT count(*), min(reference) FROM submissions WHERE submission_id = ?1")
        .expect("prepare");
    for (id, reference) in acknowledged.iter() {
        let (count, stored_reference): (i64, String) = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query");
        assert_eq!(count, 1, "{id} acknowledged but stored {count} times");
        assert_eq!(
            &stored_reference, reference,
            "{id} stored under another reference"
        );
    }
    println!(
        "crash test: {kills} SIGKILLs, {} attempts, {} acknowledged, {stored} stored, {} unanswered; integrity_check ok",
        attempts.load(Ordering::Relaxed),
        acknowledged.len(),
        failures.load(Ordering::Relaxed)
    );
    assert!(
        !acknowledged.is_empty(),
        "no submission got through: the test tested nothing"
    );
    assert!(stored as usize >= acknowledged.len());
}
