//! The staff inbox at `/staff/`: one page (`dist/staff/`) and the JSON API
//! it calls, behind a login.
//!
//! - Every `/staff/api` call but login needs a session cookie (`HttpOnly`,
//!   `SameSite=Strict`; `Secure` and `__Host-` when served over TLS); without
//!   one the answer is 401 and nothing else, not even a count.
//! - Every call that changes something carries the session's CSRF token in
//!   `X-CSRF-Token`; a request another site's page makes (`Origin` or
//!   `Sec-Fetch-Site` say so) is refused with 403 before anything is read.
//! - Sessions end after `idle` without a call and at the latest after `max`.
//! - Every login, view, list, print, download, key use and review mark goes
//!   to the audit trail with time, account and reference, never patient data.
//! - Sealed submissions are handed to the browser as they were stored; the
//!   clinic's key is chosen in the page and never sent here.

pub mod accounts;
pub mod throttle;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::store::{Row, Store};
use accounts::Session;
use throttle::{Limits, Throttle};

/// The inbox page's Content-Security-Policy: its own script and wasm, no
/// inline script, images only from itself or `data:` (the prescription
/// photo) and `blob:`, never framed.
pub const STAFF_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// How the inbox runs.
#[derive(Clone, Debug)]
pub struct StaffSettings {
    /// A session unused this long ends (default 15 minutes).
    pub idle: Duration,
    /// A session ends this long after login whatever happens (12 hours).
    pub max: Duration,
    /// The receiver is reached over TLS (a proxy in front): the cookie is
    /// then `Secure` and named with the `__Host-` prefix.
    pub https: bool,
    /// Login throttling.
    pub limits: Limits,
}

impl Default for StaffSettings {
    fn default() -> StaffSettings {
        StaffSettings {
            idle: Duration::from_secs(15 * 60),
            max: Duration::from_secs(12 * 60 * 60),
            https: false,
            limits: Limits::default(),
        }
    }
}

impl StaffSettings {
    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.https {
            "__Host-mi_staff"
        } else {
            "mi_staff"
        }
    }
}

#[derive(Clone)]
struct Staff {
    store: Store,
    settings: Arc<StaffSettings>,
    throttle: Arc<Mutex<Throttle>>,
    page: Option<PathBuf>,
    trusted_proxies: Arc<Vec<IpAddr>>,
}

/// The inbox's routes.
pub fn router(
    store: Store,
    settings: StaffSettings,
    dist: Option<PathBuf>,
    trusted_proxies: Vec<IpAddr>,
) -> Router {
    let staff = Staff {
        store,
        throttle: Arc::new(Mutex::new(Throttle::new(settings.limits))),
        settings: Arc::new(settings),
        page: dist.map(|d| d.join("staff").join("index.html")),
        trusted_proxies: Arc::new(trusted_proxies),
    };
    let api = Router::new()
        // Another method on a known path is answered as an unknown path
        // is: 401 without a session, so nothing tells what exists.
        .route("/staff/api/login", post(login).fallback(unknown))
        .route("/staff/api/logout", post(logout).fallback(unknown))
        .route("/staff/api/session", get(session).fallback(unknown))
        .route("/staff/api/submissions", get(list).fallback(unknown))
        .route(
            "/staff/api/submissions/{reference}",
            get(detail).fallback(unknown),
        )
        .route(
            "/staff/api/submissions/{reference}/review",
            post(review).fallback(unknown),
        )
        .route("/staff/api/audit", post(record).fallback(unknown))
        .route("/staff/api/{*rest}", any(unknown))
        .route("/staff/api", any(unknown))
        .route("/staff/api/", any(unknown))
        .layer(middleware::from_fn(same_origin));
    Router::new()
        .route(
            "/staff",
            get(|| async { axum::response::Redirect::permanent("/staff/") }),
        )
        .route("/staff/", get(page))
        // The page only ever under its own headers, never as a plain file.
        .route(
            "/staff/index.html",
            get(|| async { axum::response::Redirect::permanent("/staff/") }),
        )
        .merge(api)
        .layer(middleware::from_fn(staff_headers))
        .with_state(staff)
}

/// The inbox's own headers on everything under `/staff`.
async fn staff_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(STAFF_CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Refuses what another site's page sends: `Sec-Fetch-Site` other than
/// `same-origin` (or `none`, typed by the user), or an `Origin` that is not
/// this host's.
async fn same_origin(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = site.is_some_and(|s| s != "same-origin" && s != "none");
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let foreign_origin = headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().ok())
        .is_some_and(|origin| {
            let origin_host = origin
                .and_then(|o| o.split_once("://"))
                .map(|(_, rest)| rest);
            origin_host.is_none() || origin_host != host
        });
    if cross_site || foreign_origin {
        return refuse(StatusCode::FORBIDDEN, "cross_origin");
    }
    next.run(request).await
}

fn refuse(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The value of cookie `name`.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares without stopping at the first difference.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A storage failure as the inbox answers it.
fn unavailable(e: &crate::StoreError) -> Response {
    tracing::error!(error = %e, "the staff inbox's database call failed");
    refuse(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable")
}

impl Staff {
    /// The caller's session; with `change`, its CSRF token must come too.
    async fn signed_in(&self, headers: &HeaderMap, change: bool) -> Result<Session, Response> {
        let Some(token) = cookie(headers, self.settings.cookie_name()).map(str::to_owned) else {
            return Err(refuse(StatusCode::UNAUTHORIZED, "unauthorized"));
        };
        let (idle, max) = (
            i64::try_from(self.settings.idle.as_millis()).unwrap_or(i64::MAX),
            i64::try_from(self.settings.max.as_millis()).unwrap_or(i64::MAX),
        );
        let now = now_ms();
        let found = self
            .store
            .session(&token, now, idle, max)
            .await
            .map_err(|e| unavailable(&e))?;
        let Some(session) = found else {
            return Err(refuse(StatusCode::UNAUTHORIZED, "unauthorized"));
        };
        if change {
            let sent = headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_secret(sent, &session.csrf) {
                return Err(refuse(StatusCode::FORBIDDEN, "csrf"));
            }
        }
        Ok(session)
    }

    async fn audit(
        &self,
        session: &Session,
        action: &'static str,
        reference: Option<&str>,
    ) -> Result<(), Response> {
        self.store
            .record(&session.clinic, &session.account, action, reference)
            .await
            .map_err(|e| unavailable(&e))
    }

    fn session_cookie(&self, token: &str) -> String {
        let mut cookie = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
            self.settings.cookie_name(),
            self.settings.max.as_secs()
        );
        if self.settings.https {
            cookie.push_str("; Secure");
        }
        cookie
    }

    fn session_json(&self, session: &Session) -> Value {
        json!({
            "account": session.account,
            "csrf": session.csrf,
            "idle_seconds": self.settings.idle.as_secs(),
        })
    }
}

async fn page(State(staff): State<Staff>) -> Response {
    let Some(file) = staff.page.clone() else {
        return (
            StatusCode::NOT_FOUND,
            "The staff inbox is served with the built widget: start the receiver with --dist.",
        )
            .into_response();
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response(),
        Err(_) => (
            StatusCode::NOT_FOUND,
            "The staff inbox is not in the built widget: run `cargo xtask dist`.",
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct Login {
    name: String,
    password: String,
}

async fn login(State(staff): State<Staff>, request: Request) -> Response {
    let connected = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let headers = request.headers().clone();
    let Ok(body) = axum::body::to_bytes(request.into_body(), 4096).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    };
    let Ok(Login { name, password }) = serde_json::from_slice::<Login>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "name_and_password_needed");
    };
    let name = name.trim().to_lowercase();
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let address =
        match crate::client_of(connected.map(|c| c.ip()), forwarded, &staff.trusted_proxies) {
            crate::Client::At(ip) | crate::Client::Unnamed(ip) => Some(ip),
            crate::Client::Unknown => None,
        };
    let wait = {
        let mut throttle = staff
            .throttle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        throttle.check(&name, address, Instant::now())
    };
    if let Err(wait) = wait {
        // Recorded under the name when it is an account's, never a typed stranger's.
        let known = staff
            .store
            .password_hash(&name)
            .await
            .ok()
            .flatten()
            .is_some();
        let account = if known { name.as_str() } else { "(unknown)" };
        let _ = staff.store.record("", account, "login_locked", None).await;
        let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
        if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let found = match staff.store.password_hash(&name).await {
        Ok(found) => found,
        Err(e) => return unavailable(&e),
    };
    let known = found.is_some();
    // A failed attempt on an account is in its clinic's trail.
    let (hash, clinic) =
        found.unwrap_or_else(|| (accounts::decoy_hash().to_owned(), String::new()));
    // Argon2 takes a while on purpose: off the async threads.
    let matches = tokio::task::spawn_blocking(move || accounts::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
        && known;
    let outcome = if matches {
        match staff.store.start_session(&name, now_ms()).await {
            Ok(started) => Some(started),
            Err(e) => return unavailable(&e),
        }
    } else {
        None
    };
    let (account, action) = match &outcome {
        Some(_) => (name.as_str(), "login"),
        None if known => (name.as_str(), "login_failed"),
        None => ("(unknown)", "login_failed"),
    };
    if let Err(e) = staff.store.record(&clinic, account, action, None).await {
        return unavailable(&e);
    }
    let mut throttle = staff
        .throttle
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match outcome {
        Some((token, session)) => {
            throttle.succeeded(&name);
            drop(throttle);
            let mut response = Json(staff.session_json(&session)).into_response();
            if let Ok(value) = HeaderValue::from_str(&staff.session_cookie(&token)) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        None => {
            throttle.failed(&name, address, Instant::now());
            refuse(StatusCode::UNAUTHORIZED, "login_failed")
        }
    }
}

async fn logout(State(staff): State<Staff>, headers: HeaderMap) -> Response {
    let session = match staff.signed_in(&headers, true).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let token = cookie(&headers, staff.settings.cookie_name())
        .unwrap_or_default()
        .to_owned();
    if let Err(e) = staff.store.end_session(&token).await {
        return unavailable(&e);
    }
    if let Err(response) = staff.audit(&session, "logout", None).await {
        return response;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let mut gone = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        staff.settings.cookie_name()
    );
    if staff.settings.https {
        gone.push_str("; Secure");
    }
    if let Ok(value) = HeaderValue::from_str(&gone) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

async fn session(State(staff): State<Staff>, headers: HeaderMap) -> Response {
    match staff.signed_in(&headers, false).await {
        Ok(session) => Json(staff.session_json(&session)).into_response(),
        Err(response) => response,
    }
}

async fn unknown(State(staff): State<Staff>, headers: HeaderMap) -> Response {
    match staff.signed_in(&headers, false).await {
        Ok(_) => refuse(StatusCode::NOT_FOUND, "not_found"),
        Err(response) => response,
    }
}

#[derive(Deserialize)]
struct Range {
    since: Option<String>,
    until: Option<String>,
    /// A name (either order, accents ignored) or a reference, looked for
    /// through the whole range, not only its newest rows.
    q: Option<String>,
}

/// Lower case, accents dropped, spaces collapsed: "Renée  MÜLLER" reads
/// "renee muller". Latin letters as Spanish, Portuguese and English names
/// use them.
pub fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            '\u{300}'..='\u{36f}' => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if base == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(base);
    }
    out.trim_end().to_owned()
}

/// Whether a stored row is what `query` looks for: its reference, or a
/// plain submission's patient by name ("ana silva", "silva, ana").
fn is_found(row: &Row, query: &str) -> bool {
    let query = folded(query);
    if query.is_empty() || folded(&row.reference).contains(&query) {
        return true;
    }
    let Ok(body) = serde_json::from_str::<Value>(&row.body) else {
        return false;
    };
    let name = |key: &str| {
        body.pointer(&format!("/patient/{key}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let (given, family) = (name("given_name"), name("family_name"));
    folded(&format!("{given} {family}\n{family}, {given}")).contains(&query)
}

/// A day (`YYYY-MM-DD`) or a UTC instant (`2026-12-01T05:00:00.000Z`).
fn is_bound(text: &str) -> bool {
    intake_core::Date::parse(text).is_some() || intake_core::date::is_utc_timestamp(text)
}

/// Whether a stored body is a sealed envelope.
fn is_sealed(body: &str) -> bool {
    serde_json::from_str::<Value>(body).is_ok_and(|b| {
        b.get("schema").and_then(Value::as_str) == Some(intake_core::sealed::SEALED_SCHEMA)
    })
}

/// Who marked a row reviewed, and when, as the API says it.
fn reviewed_json(row: &Row) -> Value {
    row.reviewed
        .as_ref()
        .map_or(Value::Null, |(by, at)| json!({ "by": by, "at": at }))
}

/// What the list shows of a stored row: for a plain submission its patient,
/// mode, language and flags; a sealed one as it came (the page opens it).
fn list_item(row: &Row) -> Value {
    let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
    let sealed =
        body.get("schema").and_then(Value::as_str) == Some(intake_core::sealed::SEALED_SCHEMA);
    let reviewed = reviewed_json(row);
    if sealed {
        // A large envelope (a photo) is not sent with the list: it is
        // fetched when its chart is opened.
        let small = row.body.len() <= LIST_ENVELOPE_BYTES;
        return json!({
            "reference": row.reference,
            "received_at": row.received_at,
            "sealed": true,
            "key_id": body.get("key_id"),
            "envelope": if small { Value::from(row.body.as_str()) } else { Value::Null },
            "reviewed": reviewed,
        });
    }
    let text = |pointer: &str| body.pointer(pointer).cloned().unwrap_or(Value::Null);
    let flags: Vec<Value> = intake_core::Submission::from_json_value(body.clone())
        .map(|s| {
            let mut flags = s.flags;
            flags.sort_by_key(|f| f.severity != intake_core::Severity::Stop);
            flags.iter().map(|f| Value::from(f.code.code())).collect()
        })
        .unwrap_or_default();
    json!({
        "reference": row.reference,
        "received_at": row.received_at,
        "sealed": false,
        "given_name": text("/patient/given_name"),
        "family_name": text("/patient/family_name"),
        "date_of_birth": text("/patient/date_of_birth"),
        "mode": text("/mode"),
        "locale": text("/locale"),
        "flags": flags,
        "reviewed": reviewed,
    })
}

/// The newest this many submissions in the range are listed.
pub const LIST_LIMIT: u32 = 200;

/// A sealed envelope larger than this (one with a photo) is left out of the
/// list and fetched with its chart.
pub const LIST_ENVELOPE_BYTES: usize = 64 * 1024;

async fn list(
    State(staff): State<Staff>,
    headers: HeaderMap,
    Query(range): Query<Range>,
) -> Response {
    let session = match staff.signed_in(&headers, false).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    if [&range.since, &range.until]
        .into_iter()
        .flatten()
        .any(|d| !is_bound(d))
    {
        return refuse(StatusCode::BAD_REQUEST, "dates_are_yyyy_mm_dd");
    }
    let query = range.q.clone().filter(|q| !q.trim().is_empty());
    let rows = match staff
        .store
        .find_recent(
            &session.clinic,
            range.since.clone(),
            range.until.clone(),
            move |row| query.as_ref().is_none_or(|q| is_found(row, q)),
            LIST_LIMIT as usize + 1,
        )
        .await
    {
        Ok(rows) => rows,
        Err(e) => return unavailable(&e),
    };
    if let Err(response) = staff.audit(&session, "list", None).await {
        return response;
    }
    let more = rows.len() > LIST_LIMIT as usize;
    let items: Vec<Value> = rows
        .iter()
        .take(LIST_LIMIT as usize)
        .map(list_item)
        .collect();
    Json(json!({ "items": items, "limit": LIST_LIMIT, "more": more })).into_response()
}

/// The session's clinic's submission under `reference`; another clinic's
/// is not found, as if it did not exist.
async fn find(staff: &Staff, session: &Session, reference: &str) -> Result<Row, Response> {
    match staff.store.by_reference(&session.clinic, reference).await {
        Ok(Some(row)) => Ok(row),
        Ok(None) => Err(refuse(StatusCode::NOT_FOUND, "not_found")),
        Err(e) => Err(unavailable(&e)),
    }
}

async fn detail(
    State(staff): State<Staff>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Response {
    let session = match staff.signed_in(&headers, false).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let row = match find(&staff, &session, &reference).await {
        Ok(row) => row,
        Err(response) => return response,
    };
    if let Err(response) = staff.audit(&session, "view", Some(&row.reference)).await {
        return response;
    }
    Json(json!({
        "reference": row.reference,
        "received_at": row.received_at,
        "sealed": is_sealed(&row.body),
        "reviewed": reviewed_json(&row),
        "body": row.body,
    }))
    .into_response()
}

async fn review(
    State(staff): State<Staff>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Response {
    let session = match staff.signed_in(&headers, true).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let row = match find(&staff, &session, &reference).await {
        Ok(row) => row,
        Err(response) => return response,
    };
    let (by, at) = match staff
        .store
        .mark_reviewed(&row.reference, &session.account)
        .await
    {
        Ok(marked) => marked,
        Err(e) => return unavailable(&e),
    };
    match staff.audit(&session, "review", Some(&row.reference)).await {
        Ok(()) => Json(json!({ "by": by, "at": at })).into_response(),
        Err(response) => response,
    }
}

#[derive(Deserialize)]
struct Reported {
    action: String,
    reference: String,
}

/// What the page reports of what it did without the server: printing,
/// downloading, opening a sealed submission with the key.
pub const REPORTED_ACTIONS: &[&str] = &["print", "download_fhir", "download_json", "key_use"];

async fn record(
    State(staff): State<Staff>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let session = match staff.signed_in(&headers, true).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Ok(reported) = serde_json::from_slice::<Reported>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "action_and_reference_needed");
    };
    let Some(action) = REPORTED_ACTIONS
        .iter()
        .copied()
        .find(|a| *a == reported.action)
    else {
        return refuse(StatusCode::BAD_REQUEST, "unknown_action");
    };
    let row = match find(&staff, &session, &reported.reference).await {
        Ok(row) => row,
        Err(response) => return response,
    };
    if action == "key_use" && !is_sealed(&row.body) {
        return refuse(StatusCode::BAD_REQUEST, "not_sealed");
    }
    match staff.audit(&session, action, Some(&row.reference)).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("xmi_staff=1; mi_staff=abc; other=2"),
        );
        assert_eq!(cookie(&headers, "mi_staff"), Some("abc"));
        assert_eq!(cookie(&headers, "mi"), None);
    }

    #[test]
    fn names_are_folded_for_search() {
        assert_eq!(folded("  Renée   MÜLLER "), "renee muller");
        assert_eq!(folded("João Gonçalves"), "joao goncalves");
        assert_eq!(folded("Nun\u{303}ez"), "nunez", "a combining tilde too");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn the_cookie_is_host_prefixed_and_secure_over_tls_only() {
        let plain = StaffSettings::default();
        assert_eq!(plain.cookie_name(), "mi_staff");
        let tls = StaffSettings {
            https: true,
            ..StaffSettings::default()
        };
        assert_eq!(tls.cookie_name(), "__Host-mi_staff");
    }
}
