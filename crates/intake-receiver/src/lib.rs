//! The reference receiver: accepts submissions from the widget, validates them
//! with the same `intake-core` rules the widget uses, stores each one once in
//! SQLite or PostgreSQL, and serves the built widget.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use intake_receiver::{serve, Settings};
//! let settings = Settings::new(std::path::PathBuf::from("data/intake.sqlite3"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve(listener, settings, std::future::pending()).await
//! # }
//! ```

pub mod config;
pub mod export;
pub mod staff;
pub mod store;

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use intake_core::validate::is_uuid_v4;
use intake_core::{Date, ErrorCode, FieldError, Rules, Submission};
use serde_json::{json, Value};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub use store::{Database, Store, StoreError, Stored};

/// The Content-Security-Policy the widget is served with: no inline script,
/// no eval, nothing loaded from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'self'; \
     base-uri 'none'; form-action 'none'; object-src 'none'";

/// The policy with the sites allowed to frame the widget added to
/// `frame-ancestors`. An origin that is not `http(s)://host[:port]` is left
/// out (it could otherwise rewrite the header).
pub fn content_security_policy(frame_ancestors: &[String]) -> String {
    let allowed: Vec<String> = frame_ancestors
        .iter()
        .filter_map(|o| config::origin("frame_ancestors", o).ok())
        .collect();
    if allowed.len() != frame_ancestors.len() {
        tracing::warn!(
            "some frame_ancestors are not origins like https://clinic.example and were left out"
        );
    }
    let mut ancestors = String::from("frame-ancestors 'self'");
    for origin in allowed {
        ancestors.push(' ');
        ancestors.push_str(&origin);
    }
    CONTENT_SECURITY_POLICY.replace("frame-ancestors 'self'", &ancestors)
}

/// The submissions endpoint.
pub const SUBMISSIONS_PATH: &str = "/api/v1/submissions";

/// One more clinic a receiver serves, besides the default one: its own
/// endpoints under `path`, the sites that may post to them, whether its
/// widget seals, and its own staff (accounts made with `--clinic`). Its
/// submissions are stored with its id and seen by its staff only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clinic {
    /// Letters, digits and `-`; names it in the database and the command line.
    pub id: String,
    /// Where its endpoints are: `{path}/api/v1/submissions` and
    /// `{path}/fhir/QuestionnaireResponse` (default `/clinics/{id}`).
    pub path: String,
    /// Origins whose pages may post its submissions from the browser.
    pub cors_origins: Vec<String>,
    /// Whether its widget seals submissions.
    pub accept_sealed: bool,
}

/// How the receiver runs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The database: a SQLite file or a PostgreSQL URL.
    pub db: Database,
    /// Connections to PostgreSQL this receiver keeps at most.
    pub db_pool_size: usize,
    /// Clinics served besides the default one.
    pub clinics: Vec<Clinic>,
    /// The built widget (`dist/`), served at `/` when set.
    pub dist: Option<PathBuf>,
    /// A widget configuration served at `/intake.config.json` instead of the
    /// one in `dist/`, so a clinic can change it without rebuilding.
    pub widget_config: Option<PathBuf>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// A prescription older than this many days is accepted with a warning.
    pub prescription_validity_days: i64,
    /// The longest a request body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Origins (`https://clinic.example`) whose pages may post submissions
    /// from the browser; others get no `Access-Control-Allow-*` headers.
    pub cors_origins: Vec<String>,
    /// Origins whose pages may frame the widget (the website embed).
    pub frame_ancestors: Vec<String>,
    /// Submissions accepted per client address per minute (`None`: no limit).
    pub rate_limit_per_minute: Option<u32>,
    /// Proxies whose `X-Forwarded-For` names the client; from any other
    /// address the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The longest a connection may take to send a request's headers, and
    /// the longest an idle kept-alive connection stays open.
    pub header_timeout: std::time::Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Whether the clinic's widget seals submissions: only then are sealed
    /// envelopes (which the receiver cannot check) accepted.
    pub accept_sealed: bool,
    /// The staff inbox at `/staff/`.
    pub staff: staff::StaffSettings,
}

impl Settings {
    /// Defaults: no static files, a 2 MB body limit (room for a prescription photo).
    pub fn new(db: impl Into<Database>) -> Settings {
        Settings {
            db: db.into(),
            db_pool_size: store::postgres::DEFAULT_POOL_SIZE,
            clinics: Vec::new(),
            dist: None,
            widget_config: None,
            max_body_bytes: 2 * 1024 * 1024,
            prescription_validity_days: 365,
            body_timeout: std::time::Duration::from_secs(10),
            cors_origins: Vec::new(),
            frame_ancestors: Vec::new(),
            rate_limit_per_minute: None,
            trusted_proxies: Vec::new(),
            header_timeout: std::time::Duration::from_secs(10),
            max_connections: 512,
            accept_sealed: false,
            staff: staff::StaffSettings::default(),
        }
    }
}

#[derive(Clone)]
struct AppState {
    store: Store,
    /// The clinic whose endpoint this is (`""`: the default).
    clinic: Arc<str>,
    prescription_validity_days: i64,
    max_body_bytes: usize,
    body_timeout: std::time::Duration,
    /// Idempotency keys of requests being handled now.
    in_flight: Arc<Mutex<HashSet<String>>>,
    accept_sealed: bool,
}

/// Marks a key as in flight until dropped.
struct InFlight {
    keys: Arc<Mutex<HashSet<String>>>,
    key: String,
}

impl InFlight {
    /// `None` when a request with this key is already being handled.
    fn begin(keys: &Arc<Mutex<HashSet<String>>>, key: &str) -> Option<InFlight> {
        let mut held = keys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        held.insert(key.to_owned()).then(|| InFlight {
            keys: keys.clone(),
            key: key.to_owned(),
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut held = self
            .keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        held.remove(&self.key);
    }
}

impl AppState {
    /// The rules as of now: the receiver's UTC date plus one day, so a patient
    /// in a time zone ahead of the server is never told today is the future.
    fn rules(&self) -> Rules {
        let days = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| (d.as_secs() / 86_400) as i64)
            .unwrap_or(0);
        Rules {
            today: Date::from_days_since_epoch(days + 1),
            prescription_validity_days: self.prescription_validity_days,
        }
    }
}

/// Where the JSON Schema of a submission is served.
pub const SCHEMA_PATH: &str = "/schema/massage-intake-2.json";
/// Where FHIR clients post a `QuestionnaireResponse`.
pub const FHIR_RESPONSES_PATH: &str = "/fhir/QuestionnaireResponse";
/// Where the intake's FHIR `Questionnaire` is served.
pub const FHIR_QUESTIONNAIRE_PATH: &str = "/fhir/Questionnaire/massage-intake-1";

/// Opens the database and builds the router.
pub async fn app(settings: &Settings) -> Result<Router, StoreError> {
    let store = Store::open_pooled(&settings.db, settings.db_pool_size).await?;
    Ok(router(settings, store))
}

/// The router on an open store.
pub fn router(settings: &Settings, store: Store) -> Router {
    let limiter = settings
        .rate_limit_per_minute
        .map(|per_minute| RateLimiter {
            per_minute,
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
            seen: Arc::default(),
        });
    let in_flight: Arc<Mutex<HashSet<String>>> = Arc::default();
    let endpoints = |prefix: &str, clinic: &str, origins: &[String], accept_sealed: bool| {
        let mut submissions = post(submit);
        let mut fhir_responses = post(submit_fhir);
        if let Some(limiter) = &limiter {
            submissions = submissions
                .route_layer(middleware::from_fn_with_state(limiter.clone(), rate_limit));
            fhir_responses = fhir_responses
                .route_layer(middleware::from_fn_with_state(limiter.clone(), rate_limit));
        }
        Router::new()
            .route(&format!("{prefix}{SUBMISSIONS_PATH}"), submissions)
            .route(&format!("{prefix}{FHIR_RESPONSES_PATH}"), fhir_responses)
            .layer(DefaultBodyLimit::max(settings.max_body_bytes))
            .layer(cors(origins))
            .with_state(AppState {
                store: store.clone(),
                clinic: Arc::from(clinic),
                prescription_validity_days: settings.prescription_validity_days,
                max_body_bytes: settings.max_body_bytes,
                body_timeout: settings.body_timeout,
                in_flight: in_flight.clone(),
                accept_sealed,
            })
    };
    let questionnaire = Arc::new(
        intake_core::fhir_questionnaire::questionnaire()
            .map_err(|problems| {
                tracing::error!(?problems, "the FHIR Questionnaire could not be generated");
            })
            .unwrap_or(Value::Null),
    );
    let mut api = endpoints("", "", &settings.cors_origins, settings.accept_sealed)
        .route(
            FHIR_QUESTIONNAIRE_PATH,
            get(move || {
                let questionnaire = questionnaire.clone();
                async move { fhir_json(StatusCode::OK, &questionnaire) }
            }),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route(
            SCHEMA_PATH,
            get(|| async { Json(intake_core::schema::submission_schema()) }),
        );
    for clinic in &settings.clinics {
        api = api.merge(endpoints(
            &clinic.path,
            &clinic.id,
            &clinic.cors_origins,
            clinic.accept_sealed,
        ));
    }
    let mut router = api.merge(staff::router(
        store,
        settings.staff.clone(),
        settings.dist.clone(),
        settings.trusted_proxies.clone(),
    ));
    // The widget's files are public: a clinic's page may load them (embed.js's
    // inline mode fetches the page, its styles, the first view and the
    // configuration from another origin).
    let public = |service| {
        tower_http::set_header::SetResponseHeader::overriding(
            service,
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        )
    };
    if let Some(file) = &settings.widget_config {
        router = router.route_service(
            "/intake.config.json",
            tower_http::set_header::SetResponseHeader::overriding(
                ServeFile::new(file),
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        );
    }
    if let Some(dist) = &settings.dist {
        router = router.fallback_service(public(
            ServeDir::new(dist)
                .append_index_html_on_directories(true)
                .precompressed_br()
                .precompressed_gzip(),
        ));
    }
    router
        .layer(middleware::from_fn_with_state(
            Served {
                root: settings
                    .dist
                    .as_ref()
                    .and_then(|d| d.canonicalize().ok())
                    .map(Arc::new),
            },
            guard_static,
        ))
        .layer(middleware::from_fn(cache_control))
        // The staff inbox sets its own, stricter policy.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&content_security_policy(&settings.frame_ancestors))
                .unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(middleware::from_fn(log_request))
}

/// Whether a path names a file or folder whose name begins with `.` (also
/// written `%2e`): `.git`, `.env` and the like are never served.
pub fn is_hidden_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        segment.starts_with('.')
            || segment
                .get(..3)
                .is_some_and(|s| s.eq_ignore_ascii_case("%2e"))
    })
}

/// A path made absolute and, as far as it exists, with its links resolved.
fn resolved(path: &std::path::Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // The longest part that exists, resolved; the rest appended as written.
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// The database must not be inside the served folder: it (and its `-wal`
/// file) would be served to anyone. The error names the setting.
pub fn db_outside_dist(db: &std::path::Path, dist: &std::path::Path) -> Result<(), String> {
    let (db, dist) = (resolved(db), resolved(dist));
    if db.starts_with(&dist) {
        return Err(format!(
            "db: {} is inside the served folder {}, which would serve the patients' data to anyone; keep the database elsewhere",
            db.display(),
            dist.display()
        ));
    }
    Ok(())
}

/// What the static files may not show: hidden files, and anything a link
/// inside the served folder points to outside it.
#[derive(Clone)]
struct Served {
    /// The served folder, resolved (`None`: nothing is served).
    root: Option<Arc<PathBuf>>,
}

async fn guard_static(State(served): State<Served>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_hidden_path(path) {
        return error(StatusCode::NOT_FOUND, "not_found");
    }
    if let Some(root) = &served.root {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let relative = decoded.trim_start_matches('/');
        if !relative.is_empty() && !relative.split('/').any(|s| s == "..") {
            let file = root.join(relative);
            let escapes = |p: &std::path::Path| {
                p.canonicalize()
                    .is_ok_and(|real| !real.starts_with(root.as_path()))
            };
            let variants = [
                file.clone(),
                file.join("index.html"),
                PathBuf::from(format!("{}.br", file.display())),
                PathBuf::from(format!("{}.gz", file.display())),
            ];
            if variants.iter().any(|v| escapes(v)) {
                return error(StatusCode::NOT_FOUND, "not_found");
            }
        }
    }
    next.run(request).await
}

/// Whether a file name carries its content hash (trunk's `name-0123456789abcdef`):
/// such a file never changes under its name.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Caching for the widget's files: a content-hashed file is kept for a year,
/// everything else (the page, boot.js, embed.js, the configuration) is
/// checked with the server on each use, and each varies by the encodings the
/// browser accepts. Answers from the API are never kept.
async fn cache_control(request: Request, next: middleware::Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let api = path.starts_with("/api/") || path.starts_with("/fhir/");
    if !api && !response.headers().contains_key(header::VARY) {
        // The same name is sent brotli, gzip or plain by what the browser accepts.
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let value = if api {
        "no-store"
    } else if response.status().is_success() && is_content_hashed(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Serves until `shutdown` completes, then finishes the requests under way.
///
/// Each connection has `header_timeout` to send a request's headers, and an
/// idle kept-alive connection is closed after the same time (hyper's header
/// read timer runs while it waits for the next request too); at most
/// `max_connections` are served at once, the rest wait in the listen queue.
/// Every request carries its peer's address for the rate limit.
pub async fn serve(
    listener: tokio::net::TcpListener,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    if let (Some(dist), Some(db)) = (&settings.dist, settings.db.sqlite_path()) {
        db_outside_dist(db, dist).map_err(std::io::Error::other)?;
    }
    let router = app(&settings).await.map_err(|e| {
        std::io::Error::other(format!("cannot open {}: {e}", settings.db.describe()))
    })?;
    let slots = Arc::new(tokio::sync::Semaphore::new(settings.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was
                    // taken: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service =
            hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                let mut router = router.clone();
                async move { tower_service_call(&mut router, request.map(Body::new)).await }
            });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that hangs up or times out ends its connection; nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    // Requests under way get a while to finish; idle connections close now.
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(std::time::Duration::from_secs(30)) => {
            tracing::warn!("connections still open after 30 s at shutdown");
        }
    }
    Ok(())
}

/// Calls the router for one request (it is always ready).
async fn tower_service_call(
    router: &mut Router,
    request: Request,
) -> Result<Response, std::convert::Infallible> {
    use tower::Service;
    router.call(request).await
}

/// Browsers on the listed origins may post; any other origin gets no
/// `Access-Control-Allow-*` header, so its page cannot read a reply.
fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| config::origin("cors_origins", o).ok())
        .filter_map(|o| HeaderValue::from_str(&o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// Submissions per client address per minute, for receivers open to the
/// internet.
#[derive(Clone)]
struct RateLimiter {
    per_minute: u32,
    trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// Per client: the minute counted and the submissions in it.
    seen: Arc<Mutex<std::collections::HashMap<Client, (u64, u32)>>>,
}

/// Whom a request is counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Client {
    /// The client at this address (connected, or named by a trusted proxy).
    At(std::net::IpAddr),
    /// Requests through this trusted proxy that do not say for whom: one
    /// bucket of their own, shared with no client.
    Unnamed(std::net::IpAddr),
    /// No address known (the router called without a connection).
    Unknown,
}

/// The address a client is counted under: an IPv4 address as itself (also
/// when written as IPv6, `::ffff:203.0.113.5`), an IPv6 address by its /64
/// network, which one subscriber usually holds whole.
pub fn bucket_address(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip.to_canonical() {
        std::net::IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            std::net::IpAddr::V6(segments.into())
        }
        v4 => v4,
    }
}

/// The client a request comes from: the connected address, or, when that is
/// a trusted proxy, the right-most address in `X-Forwarded-For` that is not
/// one of the trusted proxies (the left-most entries are the client's own
/// word, which anyone can forge).
pub fn client_of(
    peer: Option<std::net::IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &[std::net::IpAddr],
) -> Client {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return Client::Unknown;
    };
    let trusted = |ip: &std::net::IpAddr| trusted.iter().any(|t| t.to_canonical() == *ip);
    if !trusted(&peer) {
        return Client::At(bucket_address(peer));
    }
    let named = forwarded_for.and_then(|list| {
        // Each hop an address, or an address with a port.
        let mut hops = list.rsplit(',').map(|hop| {
            let hop = hop.trim();
            hop.parse::<std::net::IpAddr>()
                .or_else(|_| hop.parse::<std::net::SocketAddr>().map(|a| a.ip()))
                .map(|ip| ip.to_canonical())
        });
        loop {
            match hops.next()? {
                Ok(ip) if trusted(&ip) => continue,
                Ok(ip) => return Some(bucket_address(ip)),
                Err(_) => return None,
            }
        }
    });
    named.map_or(Client::Unnamed(peer), Client::At)
}

async fn rate_limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    let ip = client_of(peer, forwarded, &limiter.trusted_proxies);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let minute = now / 60;
    let allowed = {
        let mut seen = limiter
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, (m, _)| *m == minute);
        }
        let entry = seen.entry(ip).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        entry.1 <= limiter.per_minute
    };
    if allowed {
        return next.run(request).await;
    }
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    if let Ok(wait) = HeaderValue::from_str(&(60 - now % 60).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, wait);
    }
    response
}

static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(1);

/// One log line a request: id, method, path (never the query), status, size,
/// latency. Never a header value or a body: they may hold patient data.
async fn log_request(request: Request, next: Next) -> Response {
    let id = format!("r{:06}", REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed));
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let size = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    tracing::info!(
        request_id = %id,
        %method,
        path = %path,
        status = response.status().as_u16(),
        bytes = size,
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

fn error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

fn invalid(errors: &[FieldError]) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "error": "invalid_submission", "errors": errors })),
    )
        .into_response()
}

/// A FHIR resource as `application/fhir+json`.
fn fhir_json(status: StatusCode, resource: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/fhir+json")],
        resource.to_string(),
    )
        .into_response()
}

/// How a body is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyFormat {
    /// `massage-intake/2` JSON (or `/1`, read as `/2`).
    Submission,
    /// A FHIR R4 `QuestionnaireResponse`.
    Fhir,
    /// A sealed envelope, stored as it is (the receiver cannot read it).
    Sealed,
}

/// The media type of the request, without parameters.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// `POST /api/v1/submissions`: the submission as `application/json`, or as a
/// FHIR `QuestionnaireResponse` in `application/fhir+json`.
async fn submit(state: State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let format = match media_type(&headers).as_str() {
        "application/json" => BodyFormat::Submission,
        "application/fhir+json" => BodyFormat::Fhir,
        intake_core::config::SEALED_CONTENT_TYPE => BodyFormat::Sealed,
        _ => return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type_not_json"),
    };
    accept(state, headers, body, format, false).await
}

/// `POST /fhir/QuestionnaireResponse`: a FHIR `QuestionnaireResponse`, with
/// or without an `Idempotency-Key` (its identifier is the key then).
async fn submit_fhir(state: State<AppState>, headers: HeaderMap, body: Body) -> Response {
    if !matches!(
        media_type(&headers).as_str(),
        "application/fhir+json" | "application/json"
    ) {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type_not_json");
    }
    accept(state, headers, body, BodyFormat::Fhir, true).await
}

async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
    format: BodyFormat,
    key_optional: bool,
) -> Response {
    // A body declared too large is refused before a byte of it is read (a
    // client waiting on `Expect: 100-continue` hears at once).
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > state.max_body_bytes as u64) {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    }
    if format == BodyFormat::Sealed && !state.accept_sealed {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "sealed_not_expected");
    }
    // A body that trickles in ties up the server: it gets a deadline.
    let body = match tokio::time::timeout(
        state.body_timeout,
        axum::body::to_bytes(body, state.max_body_bytes),
    )
    .await
    {
        Err(_) => return error(StatusCode::REQUEST_TIMEOUT, "body_timeout"),
        Ok(Err(e)) if is_length_limit(&e) => {
            return error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
        }
        Ok(Err(_)) => return error(StatusCode::BAD_REQUEST, "body_unreadable"),
        Ok(Ok(body)) => body,
    };
    if format == BodyFormat::Sealed {
        return accept_sealed(state, &headers, &body).await;
    }
    let body = match format {
        BodyFormat::Submission | BodyFormat::Sealed => body.to_vec(),
        BodyFormat::Fhir => match read_fhir(&body) {
            Ok(json) => json,
            Err(response) => return response,
        },
    };
    let fallback = if key_optional {
        submission_id_of(&body)
    } else {
        None
    };
    let key = match idempotency_key(&headers, fallback) {
        Ok(key) => key,
        Err(response) => return response,
    };
    // A retry that overtakes the first attempt waits for its answer instead.
    let Some(_in_flight) = InFlight::begin(&state.in_flight, &key) else {
        return error(StatusCode::CONFLICT, "in_flight");
    };
    let mut submission = match parse(&body) {
        Ok(submission) => submission,
        Err(response) => return response,
    };
    if format == BodyFormat::Fhir {
        // A response's safety flags are the receiver's to derive: a standard
        // response has none, and a client's own say is not trusted.
        submission.flags = intake_core::compute_flags(&submission);
        // One made by another system may have no id: the key names it.
        if submission.submission_id.is_empty() {
            submission.submission_id.clone_from(&key);
        }
    }
    if submission.submission_id != key {
        return invalid(&[FieldError::new("submission_id", ErrorCode::IdMismatch)]);
    }
    let report = submission.validate(&state.rules());
    if !report.is_valid() {
        return invalid(&report.errors);
    }
    let canonical = match serde_json::to_string(&submission) {
        Ok(text) => text,
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    store(state, key, canonical).await
}

/// The `Idempotency-Key` (a UUID v4), or `fallback` when there is none (the
/// FHIR endpoint's resource identifier).
#[allow(clippy::result_large_err)]
fn idempotency_key(headers: &HeaderMap, fallback: Option<String>) -> Result<String, Response> {
    match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => match fallback {
            Some(id) if is_uuid_v4(&id) => Ok(id),
            _ => Err(error(StatusCode::BAD_REQUEST, "idempotency_key_missing")),
        },
        Some(Ok(key)) if is_uuid_v4(key) => Ok(key.to_owned()),
        Some(_) => Err(error(StatusCode::BAD_REQUEST, "idempotency_key_invalid")),
    }
}

/// A sealed envelope: checked for shape (its contents cannot be read here),
/// keyed like any submission, and stored as it came.
async fn accept_sealed(state: AppState, headers: &HeaderMap, body: &[u8]) -> Response {
    use intake_core::sealed::Envelope;
    let Ok(envelope) = serde_json::from_slice::<Envelope>(body) else {
        return invalid(&[FieldError::new("", ErrorCode::InvalidValue)]);
    };
    let Some(canonical) = envelope.to_json() else {
        return invalid(&[FieldError::new("", ErrorCode::InvalidValue)]);
    };
    let key = match idempotency_key(headers, None) {
        Ok(key) => key,
        Err(response) => return response,
    };
    if envelope.submission_id != key {
        return invalid(&[FieldError::new("submission_id", ErrorCode::IdMismatch)]);
    }
    let Some(_in_flight) = InFlight::begin(&state.in_flight, &key) else {
        return error(StatusCode::CONFLICT, "in_flight");
    };
    store(state, key, canonical).await
}

/// Stores a checked body under its key and answers with its reference.
async fn store(state: AppState, key: String, canonical: String) -> Response {
    match state.store.insert(&state.clinic, &key, canonical).await {
        Ok(Stored::Created { reference } | Stored::Repeat { reference }) => {
            (StatusCode::CREATED, Json(json!({ "reference": reference }))).into_response()
        }
        Ok(Stored::Conflict) => error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
        Err(e) => {
            tracing::error!(error = %e, "storing a submission failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable")
        }
    }
}

/// The submission's JSON from a FHIR `QuestionnaireResponse` body; a problem
/// is named by its FHIR element or `linkId`, never by a submitted value.
#[allow(clippy::result_large_err)]
fn read_fhir(body: &[u8]) -> Result<Vec<u8>, Response> {
    let resource: Value = serde_json::from_slice(body)
        .map_err(|_| error(StatusCode::BAD_REQUEST, "malformed_json"))?;
    let json = intake_core::fhir::submission_json(&resource).map_err(|e| {
        // A `linkId` the Questionnaire does not have is the client's text:
        // it is not repeated, only said to be unknown.
        let known = is_known_fhir_location(&e.at);
        let (at, code) = if known {
            (e.at.as_str(), ErrorCode::InvalidValue)
        } else {
            ("item", ErrorCode::UnknownField)
        };
        invalid(&[FieldError::new(&format!("fhir:{at}"), code)])
    })?;
    serde_json::to_vec(&json).map_err(|_| error(StatusCode::INTERNAL_SERVER_ERROR, "internal"))
}

/// Whether `at` is a place the intake's FHIR resources have: an element the
/// mapping reads or a `linkId` of the Questionnaire.
fn is_known_fhir_location(at: &str) -> bool {
    static KNOWN: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        fn collect(items: &Value, into: &mut HashSet<String>) {
            for item in items.as_array().into_iter().flatten() {
                if let Some(link) = item["linkId"].as_str() {
                    into.insert(link.to_owned());
                }
                collect(&item["item"], into);
            }
        }
        let mut known: HashSet<String> = [
            "",
            "resourceType",
            "status",
            "questionnaire",
            "identifier",
            "authored",
            "language",
            "extension",
            "extension.valueSignature",
            "item",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        if let Ok(questionnaire) = intake_core::fhir_questionnaire::questionnaire() {
            collect(&questionnaire["item"], &mut known);
        }
        known
    });
    known.contains(at)
}

/// The `submission_id` of a submission's JSON, if it has a readable one.
fn submission_id_of(json: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(json).ok()?;
    value.get("submission_id")?.as_str().map(str::to_owned)
}

/// Whether reading a body failed on its length limit.
fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// Parses the body, naming the path of a structural problem without ever
/// echoing a submitted value (serde's own messages may quote them).
#[allow(clippy::result_large_err)]
fn parse(body: &[u8]) -> Result<Submission, Response> {
    // Through a JSON value, so a `massage-intake/1` submission is read as `/2`
    // first; anything after the object is as malformed as a syntax error.
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|_| error(StatusCode::BAD_REQUEST, "malformed_json"))?;
    intake_core::submission::upgrade_v1(&mut value);
    let submission: Submission = serde_path_to_error::deserialize(value).map_err(|e| {
        // For an unknown field, the path up to it: every segment but the
        // last is a field of the model (it has no maps) or a list index.
        let segments: Vec<&serde_path_to_error::Segment> = e.path().iter().collect();
        let within = |segments: &[&serde_path_to_error::Segment]| {
            let mut path = String::new();
            for segment in segments {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => {
                        path.push_str(&format!("[{index}]"));
                    }
                    serde_path_to_error::Segment::Map { key } => {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                    }
                    _ => {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push('?');
                    }
                }
            }
            path
        };
        let unknown_parent = within(segments.split_last().map_or(&[], |(_, rest)| rest));
        let parent = e.path().to_string();
        let inner = e.into_inner();
        if !inner.is_data() {
            return error(StatusCode::BAD_REQUEST, "malformed_json");
        }
        let text = inner.to_string();
        // An unknown field is named by where it is, never by its own name:
        // that is the client's text, not the model's.
        if text.starts_with("unknown field") {
            return invalid(&[FieldError::new(&unknown_parent, ErrorCode::UnknownField)]);
        }
        let (code, field) = if text.starts_with("missing field") {
            (ErrorCode::MissingField, first_backticked(&text))
        } else if text.starts_with("invalid type: null") {
            // `null` where the model needs a value: not answered.
            (ErrorCode::Required, None)
        } else {
            (ErrorCode::InvalidValue, None)
        };
        let parent = if parent == "." { String::new() } else { parent };
        let path = match (parent.is_empty(), field) {
            (_, None) => parent,
            (true, Some(field)) => field.to_owned(),
            (false, Some(field)) if parent.ends_with(field) => parent,
            (false, Some(field)) => format!("{parent}.{field}"),
        };
        invalid(&[FieldError::new(&path, code)])
    })?;
    Ok(submission)
}

/// The field name serde quotes in `missing field `x`` (one of the model's
/// own). Only the names of fields are taken, never values.
fn first_backticked(text: &str) -> Option<&str> {
    let rest = text.split_once('`')?.1;
    let name = rest.split_once('`')?.0;
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        .then_some(name)
}
