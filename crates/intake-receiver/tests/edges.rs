//! The receiver at its edges, over real TCP connections: clients told apart
//! by address, slow and idle connections closed, too many connections made
//! to wait rather than starve everyone, oversized bodies refused at once,
//! hidden files not served, sealed envelopes only when expected.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use intake_receiver::{client_of, serve, Client, Settings};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;

/// A receiver served on 127.0.0.1 over real TCP, stopped when dropped.
struct Served {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

async fn served(change: impl FnOnce(&mut Settings, &std::path::Path)) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::new(dir.path().join("intake.sqlite3"));
    change(&mut settings, dir.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(serve(listener, settings, async {
        let _ = stopped.await;
    }));
    Served {
        addr,
        _dir: dir,
        _stop: stop,
    }
}

/// A connection to `to` from the loopback address `from`.
async fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(from.parse().expect("ip"), 0))
        .expect("bind the client's address");
    socket.connect(to).await.expect("connect")
}

/// Writes `request` and reads the reply until the server closes (at most 10 s).
async fn exchange(mut stream: TcpStream, request: &[u8]) -> (u16, String) {
    stream.write_all(request).await.expect("write");
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply)).await;
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, reply)
}

/// GETs `path`: the status and the whole reply.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    exchange(
        TcpStream::connect(addr).await.expect("connect"),
        request.as_bytes(),
    )
    .await
}

fn id(n: u8) -> String {
    format!("0f8fad5b-d9cb-469f-a165-7086772895{n:02x}")
}

fn submission(n: u8) -> String {
    let mut v: Value = serde_json::from_str(include_str!("../../../docs/example-submission.json"))
        .expect("example");
    v["submission_id"] = json!(id(n));
    v.to_string()
}

fn post(n: u8, extra_headers: &str) -> Vec<u8> {
    let body = submission(n);
    format!(
        "POST /api/v1/submissions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {}\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n{body}",
        id(n),
        body.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn each_client_address_has_its_own_rate_limit() {
    let r = served(|s, _| s.rate_limit_per_minute = Some(1)).await;
    let mut seen = Vec::new();
    for (n, from) in ["127.0.0.1", "127.0.0.2", "127.0.0.1", "127.0.0.2"]
        .into_iter()
        .enumerate()
    {
        let (status, _) = exchange(connect_from(from, r.addr).await, &post(n as u8, "")).await;
        seen.push((from, status));
    }
    assert_eq!(
        seen,
        [
            ("127.0.0.1", 201),
            ("127.0.0.2", 201),
            ("127.0.0.1", 429),
            ("127.0.0.2", 429)
        ],
        "one busy address does not lock the other out"
    );
}

#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    // 127.0.0.2 is the proxy; 127.0.0.1 is a client that forges the header.
    let r = served(|s, _| {
        s.rate_limit_per_minute = Some(1);
        s.trusted_proxies = vec!["127.0.0.2".parse().expect("ip")];
    })
    .await;
    let through = |n: u8, header: &str| {
        let header = header.to_owned();
        async move {
            exchange(connect_from("127.0.0.2", r.addr).await, &post(n, &header))
                .await
                .0
        }
    };
    assert_eq!(through(1, "X-Forwarded-For: 203.0.113.7\r\n").await, 201);
    assert_eq!(through(2, "X-Forwarded-For: 203.0.113.8\r\n").await, 201);
    assert_eq!(through(3, "X-Forwarded-For: 203.0.113.7\r\n").await, 429);
    // Without a usable header: a bucket of their own, not a client's.
    assert_eq!(through(4, "").await, 201);
    assert_eq!(through(5, "X-Forwarded-For: not-an-address\r\n").await, 429);
    // A client claiming to be someone else is still itself.
    let forged = |n: u8| async move {
        exchange(
            connect_from("127.0.0.1", r.addr).await,
            &post(n, &format!("X-Forwarded-For: 198.51.100.{n}\r\n")),
        )
        .await
        .0
    };
    assert_eq!(forged(6).await, 201);
    assert_eq!(
        forged(7).await,
        429,
        "the header from an untrusted peer is ignored"
    );
}

#[test]
fn the_client_is_the_right_most_address_a_trusted_proxy_did_not_add() {
    let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
    let proxies = [ip("10.0.0.2"), ip("10.0.0.3")];
    assert_eq!(
        client_of(
            Some(ip("10.0.0.2")),
            Some("1.2.3.4, 203.0.113.7, 10.0.0.3"),
            &proxies
        ),
        Client::At(ip("203.0.113.7")),
        "the left-most entry is the client's own word"
    );
    assert_eq!(
        client_of(Some(ip("10.0.0.2")), None, &proxies),
        Client::Unnamed(ip("10.0.0.2"))
    );
    assert_eq!(
        client_of(Some(ip("10.0.0.2")), Some("10.0.0.3"), &proxies),
        Client::Unnamed(ip("10.0.0.2"))
    );
    assert_eq!(
        client_of(Some(ip("192.0.2.1")), Some("203.0.113.7"), &proxies),
        Client::At(ip("192.0.2.1"))
    );
    assert_eq!(
        client_of(None, Some("203.0.113.7"), &proxies),
        Client::Unknown
    );
}

/// Whether the server has closed `stream` (read returns end of file or an error).
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 512];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // A reply (408 or the answer to a finished request): keep reading.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn slow_headers_silent_and_idle_connections_are_closed() {
    let r = served(|s, _| s.header_timeout = Duration::from_secs(1)).await;
    let mut silent = TcpStream::connect(r.addr).await.expect("connect");
    let mut slow = TcpStream::connect(r.addr).await.expect("connect");
    slow.write_all(b"POST /api/v1/subm").await.expect("write");
    let mut idle = TcpStream::connect(r.addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut answer = [0u8; 256];
    let n = idle.read(&mut answer).await.expect("read");
    assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
    let started = Instant::now();
    for (what, stream) in [
        ("silent", &mut silent),
        ("slow", &mut slow),
        ("idle", &mut idle),
    ] {
        assert!(
            closed_within(stream, Duration::from_secs(5)).await,
            "the {what} connection is still open"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Opens `count` connections to `addr`, every other one sending half a
/// request and then nothing.
async fn hoard(addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut hoard = Vec::new();
    for n in 0..count {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        if n % 2 == 0 {
            let _ = stream
                .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .await;
        }
        hoard.push(stream);
    }
    hoard
}

// One test, one flood at a time: each connection is two descriptors in
// this process (client and server), and a default limit is 1,024.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_idle_and_slow_connections_do_not_keep_a_submission_out() {
    // With the default cap, 300 hoarded connections change nothing.
    let r = served(|_, _| {}).await;
    let hoarded = hoard(r.addr, 300).await;
    let started = Instant::now();
    let (status, reply) = exchange(
        TcpStream::connect(r.addr).await.expect("connect"),
        &post(2, ""),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(hoarded);
    drop(r);

    // Fewer slots than hoarders: the last ones wait in the listen queue
    // until the timeout frees a slot, and so does the real submission.
    let r = served(|s, _| {
        s.header_timeout = Duration::from_secs(2);
        s.max_connections = 100;
    })
    .await;
    let hoarded = hoard(r.addr, 300).await;
    let started = Instant::now();
    let (status, reply) = exchange(
        TcpStream::connect(r.addr).await.expect("connect"),
        &post(1, ""),
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(status, 201, "{reply}");
    // 300 hoarders through 100 slots, 2 s each: about three rounds.
    assert!(waited < Duration::from_secs(12), "waited {waited:?}");
    drop(hoarded);
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused_before_it_is_sent() {
    let r = served(|s, _| s.max_body_bytes = 4096).await;
    for expect in ["", "Expect: 100-continue\r\n"] {
        let mut stream = TcpStream::connect(r.addr).await.expect("connect");
        let head = format!(
            "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Idempotency-Key: {}\r\nContent-Length: 3000000\r\n{expect}\r\n",
            id(1)
        );
        stream.write_all(head.as_bytes()).await.expect("write");
        let started = Instant::now();
        let mut reply = vec![0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut reply))
            .await
            .expect("an answer without sending the body")
            .expect("read");
        let text = String::from_utf8_lossy(&reply[..n]);
        assert!(text.starts_with("HTTP/1.1 413"), "{expect:?}: {text}");
        assert!(text.contains("body_too_large"), "{text}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}

#[tokio::test]
async fn hidden_files_in_the_served_folder_are_not_served() {
    let r = served(|s, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(dist.join(".git")).expect("mkdir");
        std::fs::write(dist.join("index.html"), "<!doctype html><title>x</title>").expect("write");
        std::fs::write(dist.join(".env"), "SECRET=1").expect("write");
        std::fs::write(dist.join(".git/config"), "[core]").expect("write");
        s.dist = Some(dist);
    })
    .await;
    assert_eq!(get(r.addr, "/index.html").await.0, 200);
    for path in [
        "/.env",
        "/.git/config",
        "/%2eenv",
        "/%2Egit/config",
        "/x/../.env",
    ] {
        let (status, reply) = get(r.addr, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            !reply.contains("SECRET") && !reply.contains("[core]"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_sealed_envelope_is_refused_unless_the_clinic_expects_them() {
    use intake_core::sealed::{seal, KeyPair, SEALED_CONTENT_TYPE};
    let keys = KeyPair::derive(&[3; 32]);
    let envelope = seal(
        submission(1).as_bytes(),
        &id(1),
        "application/json",
        &keys.public_key(),
        [4; 32],
    )
    .expect("seal")
    .to_json()
    .expect("json");
    let request = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: {SEALED_CONTENT_TYPE}\r\n\
         Idempotency-Key: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{envelope}",
        id(1),
        envelope.len()
    );
    let plain = served(|_, _| {}).await;
    let (status, reply) = exchange(
        TcpStream::connect(plain.addr).await.expect("connect"),
        request.as_bytes(),
    )
    .await;
    assert_eq!(status, 415, "{reply}");
    assert!(reply.contains("sealed_not_expected"), "{reply}");
    let sealing = served(|s, _| s.accept_sealed = true).await;
    let (status, reply) = exchange(
        TcpStream::connect(sealing.addr).await.expect("connect"),
        request.as_bytes(),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
}

#[test]
fn addresses_are_counted_as_one_client_holds_them() {
    let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
    let proxies = [ip("10.0.0.2")];
    // IPv4 written as IPv6 is the same client; an IPv6 /64 is one client.
    assert_eq!(
        client_of(Some(ip("::ffff:203.0.113.5")), None, &[]),
        client_of(Some(ip("203.0.113.5")), None, &[])
    );
    assert_eq!(
        client_of(Some(ip("2001:db8:1:2::1")), None, &[]),
        client_of(Some(ip("2001:db8:1:2:ffff::9")), None, &[])
    );
    assert_ne!(
        client_of(Some(ip("2001:db8:1:2::1")), None, &[]),
        client_of(Some(ip("2001:db8:1:3::1")), None, &[])
    );
    // A proxy that writes the client's port, or talks IPv4-mapped.
    assert_eq!(
        client_of(
            Some(ip("::ffff:10.0.0.2")),
            Some("203.0.113.7:5555"),
            &proxies
        ),
        Client::At(ip("203.0.113.7"))
    );
    assert_eq!(
        client_of(Some(ip("10.0.0.2")), Some("[2001:db8::7]:443"), &proxies),
        Client::At(ip("2001:db8::"))
    );
}

#[tokio::test]
async fn nothing_a_link_in_the_served_folder_points_outside_it_is_served() {
    let outside = tempfile::tempdir().expect("dir");
    std::fs::write(outside.path().join("secret.txt"), "Zyxcanary").expect("write");
    let r = served(|s, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(dist.join("assets")).expect("mkdir");
        std::fs::write(dist.join("index.html"), "<!doctype html><title>x</title>").expect("write");
        std::fs::write(dist.join("assets/app.css"), "body{}").expect("write");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dist.join("link.txt"))
            .expect("link");
        std::os::unix::fs::symlink(outside.path(), dist.join("elsewhere")).expect("link");
        // A link that stays inside is fine.
        std::os::unix::fs::symlink(dist.join("assets"), dist.join("inside")).expect("link");
        s.dist = Some(dist);
    })
    .await;
    for path in [
        "/link.txt",
        "/elsewhere/secret.txt",
        "/elsewhere/",
        "/%6cink.txt",
    ] {
        let (status, reply) = get(r.addr, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!reply.contains("Zyxcanary"), "{path}");
    }
    assert_eq!(get(r.addr, "/inside/app.css").await.0, 200);
    assert_eq!(get(r.addr, "/assets/app.css").await.0, 200);
}

#[tokio::test]
async fn a_database_inside_the_served_folder_stops_the_start() {
    let dir = tempfile::tempdir().expect("dir");
    let mut settings = Settings::new(dir.path().join("site/data/intake.sqlite3"));
    settings.dist = Some(dir.path().join("site"));
    std::fs::create_dir_all(dir.path().join("site/data")).expect("mkdir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let err = serve(listener, settings, std::future::pending())
        .await
        .expect_err("refused");
    assert!(err.to_string().starts_with("db:"), "{err}");
    assert!(!dir.path().join("site/data/intake.sqlite3").exists());
}
