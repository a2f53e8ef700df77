//! Two receivers on one PostgreSQL database, as behind a load balancer: the
//! same submission sent to both at the same moment is stored once and both
//! answer with its reference; different submissions race freely.

mod common;

use std::net::SocketAddr;
use std::process::Child;
use std::sync::{Arc, Barrier};

use common::request;

const EXAMPLE: &str = include_str!("../../../docs/example-submission.json");
const EXAMPLE_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(addr: SocketAddr, url: &str) -> Running {
    Running(common::spawn_receiver(addr, &["--database-url", url]))
}

fn id(round: u32, lane: u32) -> String {
    format!("{round:08x}-{lane:04x}-4000-8000-000000000000")
}

fn post(addr: SocketAddr, id: &str) -> (u16, String) {
    let body = EXAMPLE.replace(EXAMPLE_ID, id);
    let head = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: {id}"
    );
    let (status, reply) = request(addr, &head, &body);
    let reference = reply
        .split("\"reference\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_owned();
    (status, reference)
}

#[test]
fn the_same_submission_sent_to_two_receivers_at_once_is_stored_once() {
    let db = common::fresh_postgres();
    let intake_receiver::Database::Postgres(url) = &db else {
        unreachable!("a PostgreSQL database")
    };
    let (a, b) = (common::free_addr(), common::free_addr());
    // Both start at once: their migrations meet on the lock.
    let (first, second) = std::thread::scope(|s| {
        let first = s.spawn(|| start(a, url));
        let second = s.spawn(|| start(b, url));
        (
            first.join().expect("first receiver"),
            second.join().expect("second receiver"),
        )
    });
    let rounds = 150;
    let barrier = Arc::new(Barrier::new(2));
    let send = |addr: SocketAddr| {
        let barrier = barrier.clone();
        std::thread::spawn(move || {
            (0..rounds)
                .map(|round| {
                    barrier.wait();
                    post(addr, &id(round, 0))
                })
                .collect::<Vec<_>>()
        })
    };
    let (to_a, to_b) = (send(a), send(b));
    let (from_a, from_b) = (to_a.join().expect("a"), to_b.join().expect("b"));
    for (round, (reply_a, reply_b)) in from_a.iter().zip(&from_b).enumerate() {
        assert_eq!(reply_a.0, 201, "round {round} on the first receiver");
        assert_eq!(reply_b.0, 201, "round {round} on the second receiver");
        assert_eq!(reply_a.1, reply_b.1, "round {round}: one reference");
        assert_eq!(
            reply_a.1,
            intake_receiver::store::reference_for(&id(round as u32, 0))
        );
    }
    assert_eq!(common::count(&db), u64::from(rounds), "each once");

    // Different submissions, eight clients on each receiver: every one stored.
    let lanes: Vec<_> = (1..=16u32)
        .map(|lane| {
            let addr = if lane % 2 == 0 { a } else { b };
            std::thread::spawn(move || {
                (0..25)
                    .filter(|round| post(addr, &id(*round, lane)).0 == 201)
                    .count()
            })
        })
        .collect();
    let accepted: usize = lanes.into_iter().map(|l| l.join().expect("lane")).sum();
    assert_eq!(accepted, 16 * 25);
    assert_eq!(common::count(&db), u64::from(rounds) + 16 * 25);
    drop((first, second));
}

/// Receivers started together on a new database each create the migrations'
/// own table; only one may, and the others must wait for it rather than stop
/// ("type schema_migrations already exists" stopped one start in about ten).
#[test]
fn receivers_starting_together_on_a_new_database_all_start() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    for _ in 0..6 {
        let db = common::fresh_postgres();
        let opened = runtime.block_on(async {
            let opens: Vec<_> = (0..8)
                .map(|_| {
                    let db = db.clone();
                    tokio::spawn(async move { intake_receiver::Store::open_pooled(&db, 1).await })
                })
                .collect();
            let mut opened = Vec::new();
            for open in opens {
                opened.push(open.await.expect("an open task").map(|_| ()));
            }
            opened
        });
        for result in opened {
            assert!(result.is_ok(), "a receiver did not start: {result:?}");
        }
        assert_eq!(common::count(&db), 0, "migrated and empty");
    }
}
