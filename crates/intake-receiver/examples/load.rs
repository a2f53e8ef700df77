//! Load generator for `cargo xtask bench`: the receiver in this process on
//! loopback and N clients posting valid submissions over keep-alive
//! HTTP/1.1 connections. Prints durable submissions per second, p50/p99
//! latency, and how busy the machine's CPUs were and how much of that time
//! they waited on the disk, for 1, 16 and 64 clients: on a temporary SQLite
//! file, then, given a PostgreSQL server, on one receiver and on two
//! receivers sharing its database (clients spread over both).
//!
//! `cargo run --profile native-release -p intake-receiver --example load -- [SECONDS [POSTGRES_URL]]`

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use intake_core::uuid_v4_from_bytes;
use intake_receiver::{serve, Database, Settings};

const EXAMPLE: &str = include_str!("../../../docs/example-submission.json");
const EXAMPLE_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// Sends one request on a kept-alive connection and reads the reply's status.
fn post(stream: &mut TcpStream, id: &str) -> Option<u16> {
    let body = EXAMPLE.replace(EXAMPLE_ID, id);
    let head = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nIdempotency-Key: {id}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut buf = Vec::with_capacity(512);
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).ok()?;
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:")?.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    head.split(' ').nth(1)?.parse().ok()
}

fn run_level(
    addrs: &[SocketAddr],
    clients: usize,
    seconds: u64,
    seed: u64,
) -> (usize, f64, Duration, Duration) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|n| {
            let addr = addrs[n % addrs.len()];
            std::thread::spawn(move || {
                let mut state = seed ^ ((n as u64 + 1) * 0x9e37_79b9_7f4a_7c15);
                let mut latencies = Vec::new();
                let Ok(mut stream) = TcpStream::connect(addr) else {
                    return latencies;
                };
                let _ = stream.set_nodelay(true);
                while Instant::now() < deadline {
                    let mut bytes = [0u8; 16];
                    for chunk in bytes.chunks_mut(8) {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        chunk.copy_from_slice(&state.to_le_bytes());
                    }
                    let id = uuid_v4_from_bytes(bytes);
                    let t = Instant::now();
                    match post(&mut stream, &id) {
                        Some(201) => latencies.push(t.elapsed()),
                        _ => break,
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap_or_default())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pick = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    (
        all.len(),
        all.len() as f64 / elapsed,
        pick(0.50),
        pick(0.99),
    )
}

/// The machine's CPU time so far (busy, waiting on I/O, total), in ticks.
fn cpu_ticks() -> (u64, u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let total: u64 = fields.iter().sum();
    let idle = fields.get(3).copied().unwrap_or(0);
    let iowait = fields.get(4).copied().unwrap_or(0);
    (total - idle - iowait, iowait, total)
}

/// Starts `instances` receivers on `db`; their addresses.
fn start(runtime: &tokio::runtime::Runtime, db: &Database, instances: usize) -> Vec<SocketAddr> {
    (0..instances)
        .map(|_| {
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            runtime.spawn(serve(
                listener,
                Settings::new(db.clone()),
                std::future::pending(),
            ));
            addr
        })
        .collect()
}

fn levels(addrs: &[SocketAddr], seconds: u64, label: &str) {
    println!("\n{label}, {seconds} s per level");
    println!(
        "{:>8} {:>10} {:>12} {:>10} {:>10} {:>10} {:>10}",
        "clients", "stored", "per second", "p50 ms", "p99 ms", "CPU busy", "I/O wait"
    );
    for (i, clients) in [1usize, 16, 64].into_iter().enumerate() {
        let before = cpu_ticks();
        let (stored, rate, p50, p99) = run_level(addrs, clients, seconds, 0x1234_5678 + i as u64);
        let after = cpu_ticks();
        let total = (after.2 - before.2).max(1) as f64;
        println!(
            "{clients:>8} {stored:>10} {rate:>12.0} {:>10.2} {:>10.2} {:>9.0}% {:>9.0}%",
            p50.as_secs_f64() * 1000.0,
            p99.as_secs_f64() * 1000.0,
            (after.0 - before.0) as f64 * 100.0 / total,
            (after.1 - before.1) as f64 * 100.0 / total,
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let postgres = args.next();
    let dir = std::env::temp_dir().join(format!("intake-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{cores} CPU cores; clients, receivers and database all on this machine");
    let sqlite = start(&runtime, &Database::Sqlite(dir.join("intake.sqlite3")), 1);
    std::thread::sleep(Duration::from_millis(100));
    levels(
        &sqlite,
        seconds,
        "SQLite: one receiver, durable commits (WAL, synchronous=FULL)",
    );
    if let Some(url) = postgres {
        let db = Database::Postgres(url);
        let one = start(&runtime, &db, 1);
        std::thread::sleep(Duration::from_millis(300));
        levels(
            &one,
            seconds,
            "PostgreSQL: one receiver (pool of 16), commits flushed (fsync, synchronous_commit=on)",
        );
        let two = start(&runtime, &db, 2);
        std::thread::sleep(Duration::from_millis(300));
        levels(
            &two,
            seconds,
            "PostgreSQL: two receivers on one database, clients spread over both",
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
