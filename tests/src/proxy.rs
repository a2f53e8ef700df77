//! A fault-injecting HTTP proxy between the browser and the receiver: the page
//! and its requests go through it (same origin), and the next submissions
//! meet the faults it was given, one fault per submission attempt. It can
//! also take the whole origin away ([`Outage`]): every request, the page's
//! files included, until it heals.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What happens to one submission attempt.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Answer 503 with this `Retry-After` (seconds), without telling the receiver.
    Unavailable { retry_after: u32 },
    /// Say nothing for this long, then close (the widget's timeout fires first).
    Hang(Duration),
    /// Close the connection at once, answering nothing.
    Drop,
    /// Pass the attempt to the receiver (which stores it), then withhold the
    /// answer for this long and close.
    StallAfterCommit(Duration),
    /// Answer with this status (and an error body), without telling the
    /// receiver: a refusal such as 413.
    Status(u16),
}

/// The whole origin gone, for every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outage {
    /// Each connection is closed at once, unanswered.
    Refused,
    /// Each connection is held open, unanswered, until the origin returns.
    Hung,
}

/// What the proxy does to requests besides the submission faults.
#[derive(Default)]
struct Trouble {
    outage: Option<Outage>,
    /// Requests whose path starts with one of these are refused.
    blocked: Vec<String>,
}

/// The proxy, running until dropped with its runtime.
pub struct FlakyProxy {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Submission attempts that reached the proxy.
    pub attempts: Arc<AtomicU32>,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    trouble: Arc<Mutex<Trouble>>,
    seen: Seen,
}

/// Every request that reached the proxy: its request line and its body.
type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

const SUBMISSIONS: &str = "/api/v1/submissions";

impl FlakyProxy {
    /// Forwards to `upstream`, applying `faults` to the first submission attempts.
    pub async fn start(upstream: SocketAddr, faults: Vec<Fault>) -> FlakyProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let base = format!("http://{}", listener.local_addr().expect("proxy address"));
        let faults = Arc::new(Mutex::new(VecDeque::from(faults)));
        let attempts = Arc::new(AtomicU32::new(0));
        let trouble = Arc::new(Mutex::new(Trouble::default()));
        let counter = attempts.clone();
        let queue = faults.clone();
        let now = trouble.clone();
        let seen = Seen::default();
        let record = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (faults, counter, now) = (faults.clone(), counter.clone(), now.clone());
                let record = record.clone();
                tokio::spawn(async move {
                    match outage(&now) {
                        Some(Outage::Refused) => drop(client),
                        Some(Outage::Hung) => {
                            while outage(&now).is_some() {
                                tokio::time::sleep(Duration::from_millis(50)).await;
                            }
                            drop(client);
                        }
                        None => {
                            let _ = handle(client, upstream, faults, counter, now, record).await;
                        }
                    }
                });
            }
        });
        FlakyProxy {
            base,
            attempts,
            faults: queue,
            trouble,
            seen,
        }
    }

    /// Every request so far: its request line (`POST /path HTTP/1.1`) and body.
    pub fn requests(&self) -> Vec<(String, Vec<u8>)> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The receiver is reachable again: the faults not yet used are dropped,
    /// an outage ends and nothing is blocked any more.
    pub fn heal(&self) {
        if let Ok(mut faults) = self.faults.lock() {
            faults.clear();
        }
        if let Ok(mut trouble) = self.trouble.lock() {
            *trouble = Trouble::default();
        }
    }

    /// From now on the next `n` submission attempts meet `fault` (the faults
    /// not yet used are dropped).
    pub fn fail_next(&self, n: usize, fault: Fault) {
        if let Ok(mut faults) = self.faults.lock() {
            *faults = std::iter::repeat_n(fault, n).collect();
        }
    }

    /// Takes the whole origin away, every request alike, until [`heal`](Self::heal).
    pub fn go_down(&self, outage: Outage) {
        if let Ok(mut trouble) = self.trouble.lock() {
            trouble.outage = Some(outage);
        }
    }

    /// Refuses requests for paths starting with `prefix` until [`heal`](Self::heal).
    pub fn block(&self, prefix: &str) {
        if let Ok(mut trouble) = self.trouble.lock() {
            trouble.blocked.push(prefix.to_owned());
        }
    }

    /// The URL of `path` through the proxy.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Reads one request: its head (with `Connection: close` forced, so every
/// connection carries one exchange) and its body.
async fn read_request(client: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("closed before a request"));
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let mut lines: Vec<&str> = head
        .trim_end()
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    Ok((lines.join("\r\n") + "\r\n\r\n", body))
}

async fn forward(upstream: SocketAddr, head: &str, body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(head.as_bytes()).await?;
    server.write_all(body).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    Ok(response)
}

fn outage(trouble: &Mutex<Trouble>) -> Option<Outage> {
    trouble.lock().ok().and_then(|t| t.outage)
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    attempts: Arc<AtomicU32>,
    trouble: Arc<Mutex<Trouble>>,
    seen: Seen,
) -> std::io::Result<()> {
    let (head, body) = read_request(&mut client).await?;
    if let Ok(mut seen) = seen.lock() {
        let line = head.lines().next().unwrap_or("").to_owned();
        seen.push((line, body.clone()));
    }
    let path = head.split(' ').nth(1).unwrap_or("");
    let blocked = trouble
        .lock()
        .map(|t| t.blocked.iter().any(|p| path.starts_with(p.as_str())))
        .unwrap_or(false);
    if blocked {
        return Ok(());
    }
    let is_submission = head.starts_with(&format!("POST {SUBMISSIONS} "));
    let fault = if is_submission {
        attempts.fetch_add(1, Ordering::SeqCst);
        faults.lock().map(|mut f| f.pop_front()).unwrap_or(None)
    } else {
        None
    };
    match fault {
        None => {
            let response = forward(upstream, &head, &body).await?;
            client.write_all(&response).await?;
        }
        Some(Fault::Unavailable { retry_after }) => {
            let reply = r#"{"error":"unavailable"}"#;
            let response = format!(
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {retry_after}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
            client.write_all(response.as_bytes()).await?;
        }
        Some(Fault::Status(status)) => {
            let reply = r#"{"error":"refused"}"#;
            let response = format!(
                "HTTP/1.1 {status} Refused\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
            client.write_all(response.as_bytes()).await?;
        }
        Some(Fault::Hang(how_long)) => tokio::time::sleep(how_long).await,
        Some(Fault::Drop) => {}
        Some(Fault::StallAfterCommit(how_long)) => {
            forward(upstream, &head, &body).await?;
            tokio::time::sleep(how_long).await;
        }
    }
    client.shutdown().await
}
