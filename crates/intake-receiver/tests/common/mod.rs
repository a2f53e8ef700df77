#![allow(dead_code)]
//! Helpers shared by the tests that drive the real binary.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Sends one raw HTTP/1.1 request; returns the status and the whole reply,
/// or status 0 when the connection failed (refused, reset, timed out).
pub fn request(addr: SocketAddr, head: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return (0, String::new());
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let text = format!(
        "{head}\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(text.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, reply)
}

use intake_receiver::Database;

/// Where a test keeps its data: a SQLite file in `dir`, or, when
/// `INTAKE_TEST_DATABASE=postgres` (as `cargo xtask test` runs the HTTP
/// contract a second time), a fresh database on the test server.
pub fn database(dir: &std::path::Path) -> Database {
    match std::env::var("INTAKE_TEST_DATABASE").as_deref() {
        Ok("postgres") => fresh_postgres(),
        _ => Database::Sqlite(dir.join("intake.sqlite3")),
    }
}

/// The test PostgreSQL server's URL without a database name, from
/// `INTAKE_TEST_POSTGRES` (`cargo xtask test` starts a server and sets it).
pub fn postgres_server() -> String {
    std::env::var("INTAKE_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "this test needs a PostgreSQL server: run it through `cargo xtask test`, \
             which starts a throwaway one, or set INTAKE_TEST_POSTGRES=postgres://user@host:port"
        )
    })
}

/// A new, empty database on the test server.
pub fn fresh_postgres() -> Database {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let server = postgres_server();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "t{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = format!("{server}/postgres");
    let create = format!("CREATE DATABASE {name}");
    std::thread::spawn(move || {
        runtime().block_on(async move {
            let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
                .await
                .expect("the test PostgreSQL server answers");
            tokio::spawn(connection);
            client.batch_execute(&create).await.expect("a new database");
        });
    })
    .join()
    .expect("creating a database");
    Database::Postgres(format!("{server}/{name}"))
}

/// How many submissions `db` holds.
pub fn count(db: &Database) -> u64 {
    intake_receiver::store::blocking(db, |store| async move { store.count().await }).expect("count")
}

/// How `--db` names `db` on the command line.
pub fn db_arg(db: &Database) -> String {
    match db {
        Database::Sqlite(path) => path.display().to_string(),
        Database::Postgres(url) => url.clone(),
    }
}

/// The stored bodies, oldest first.
pub fn bodies(db: &Database) -> Vec<String> {
    intake_receiver::store::blocking(db, |store| async move {
        store.received_since(None, "2000-01-01").await
    })
    .expect("rows")
    .into_iter()
    .map(|row| row.body)
    .collect()
}

/// Stores `body` under `id` for the default clinic, as the receiver would.
pub fn insert(db: &Database, id: &str, body: &str) -> intake_receiver::Stored {
    let (id, body) = (id.to_owned(), body.to_owned());
    intake_receiver::store::blocking(
        db,
        move |store| async move { store.insert("", &id, body).await },
    )
    .expect("insert")
}

/// Holds the database's write lock until released: inserts wait meanwhile.
pub struct WriteLock {
    release: std::sync::mpsc::Sender<()>,
    holder: Option<std::thread::JoinHandle<()>>,
}

impl WriteLock {
    pub fn release(mut self) {
        let _ = self.release.send(());
        if let Some(holder) = self.holder.take() {
            holder.join().expect("the lock holder");
        }
    }
}

/// Takes `db`'s write lock (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
/// exclusive lock on the submissions table) on a thread of its own.
pub fn hold_writes(db: &Database) -> WriteLock {
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (locked, is_locked) = std::sync::mpsc::channel::<()>();
    let db = db.clone();
    let holder = std::thread::spawn(move || match db {
        Database::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).expect("open");
            conn.execute_batch("BEGIN IMMEDIATE").expect("lock");
            locked.send(()).expect("signal");
            let _ = released.recv();
            conn.execute_batch("ROLLBACK").expect("unlock");
        }
        Database::Postgres(url) => {
            runtime().block_on(async move {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .expect("connect");
                tokio::spawn(connection);
                client
                    .batch_execute("BEGIN; LOCK TABLE submissions IN EXCLUSIVE MODE")
                    .await
                    .expect("lock");
                locked.send(()).expect("signal");
                let _ = released.recv();
                client.batch_execute("ROLLBACK").await.expect("unlock");
            });
        }
    });
    is_locked.recv().expect("the lock taken");
    WriteLock {
        release,
        holder: Some(holder),
    }
}

/// A free port on loopback.
pub fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// Starts the receiver's binary on `addr` with `args`, logging only
/// warnings and worse (to nowhere), and waits until it accepts connections.
pub fn spawn_receiver(addr: SocketAddr, args: &[&str]) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_intake-receiver"))
        .args(["--addr", &addr.to_string()])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start intake-receiver");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "the receiver did not start");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

/// A small deterministic generator: each client its own sequence.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next().to_le_bytes());
        intake_core::uuid_v4_from_bytes(bytes)
    }
}

/// A runtime of its own, for async work on a thread of its own.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}
