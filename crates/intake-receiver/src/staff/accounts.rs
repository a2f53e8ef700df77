//! Staff accounts, their sessions, review marks and the audit trail: the
//! rules (names, passwords, tokens) and their SQLite queries; the PostgreSQL
//! store keeps the same rows in the same shape. Passwords are kept as Argon2id hashes; a session
//! is known by the SHA-256 of its cookie, so the database alone does not let
//! anyone in. The audit table takes rows and never changes them: triggers
//! refuse updates and deletes, whoever asks.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// An account name: 1 to 64 of `a-z 0-9 . _ - @`, lower case.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-' | b'@')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not an account name: use 1 to 64 lower-case letters, digits, `.`, `_`, `-` or `@`"
        ))
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A password's Argon2id hash (PHC string, with its salt and parameters).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|_| "no randomness from the operating system")?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash no password matches quickly, checked when the name is unknown so
/// that a wrong name takes as long to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a password anyone has").unwrap_or_default())
}

/// Checks a new account's name and password; the password's hash.
pub fn new_account(name: &str, password: &str) -> Result<String, String> {
    check_name(name)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    hash_password(password)
}

/// The error for a name that is taken.
pub fn name_taken(name: &str) -> String {
    format!("an account named `{name}` exists already")
}

/// Adds an account of `clinic`; an existing name is an error.
pub fn add(conn: &Connection, clinic: &str, name: &str, password: &str) -> Result<(), String> {
    let hash = new_account(name, password)?;
    match conn.execute(
        "INSERT INTO staff_accounts (name, clinic, password_hash) VALUES (?1, ?2, ?3)",
        params![name, clinic, hash],
    ) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(name_taken(name))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Removes an account and ends its sessions; whether it existed.
pub fn remove(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.execute(
        "DELETE FROM staff_sessions WHERE account = ?1",
        params![name],
    )?;
    Ok(conn.execute("DELETE FROM staff_accounts WHERE name = ?1", params![name])? == 1)
}

/// One staff account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    /// The clinic whose submissions it reads (`""`: the default clinic).
    pub clinic: String,
    pub created_at: String,
}

/// Every account, by name.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut stmt =
        conn.prepare("SELECT name, clinic, created_at FROM staff_accounts ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Account {
            name: r.get(0)?,
            clinic: r.get(1)?,
            created_at: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The password hash and clinic of `name`, if the account exists.
pub fn password_hash(conn: &Connection, name: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT password_hash, clinic FROM staff_accounts WHERE name = ?1",
        params![name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 32 random bytes as URL-safe base64 without padding.
pub fn random_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|_| "no randomness from the operating system")?;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(43);
    let mut bits = 0u32;
    let mut count = 0;
    for b in bytes {
        bits = (bits << 8) | u32::from(b);
        count += 8;
        while count >= 6 {
            count -= 6;
            out.push(char::from(ALPHABET[((bits >> count) & 63) as usize]));
        }
    }
    if count > 0 {
        out.push(char::from(ALPHABET[((bits << (6 - count)) & 63) as usize]));
    }
    Ok(out)
}

/// A signed-in staff member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub account: String,
    pub csrf: String,
    /// The account's clinic: the only one whose submissions it sees.
    pub clinic: String,
}

/// Whether a session found at `now_ms` is still alive.
pub fn is_alive(
    created_ms: i64,
    last_seen_ms: i64,
    now_ms: i64,
    idle_ms: i64,
    max_ms: i64,
) -> bool {
    now_ms - last_seen_ms <= idle_ms && now_ms - created_ms <= max_ms
}

/// Starts a session for `account`; returns the cookie's token and the session.
pub fn start_session(
    conn: &Connection,
    account: &str,
    now_ms: i64,
) -> Result<(String, Session), String> {
    let token = random_token()?;
    let csrf = random_token()?;
    let clinic: String = conn
        .query_row(
            "INSERT INTO staff_sessions (token_sha256, account, csrf, created_ms, last_seen_ms)
             VALUES (?1, ?2, ?3, ?4, ?4)
             RETURNING (SELECT clinic FROM staff_accounts WHERE name = ?2)",
            params![sha256_hex(&token), account, csrf, now_ms],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    Ok((
        token,
        Session {
            account: account.to_owned(),
            csrf,
            clinic,
        },
    ))
}

/// The session of `token`, touched as used now; `None` when there is none,
/// or it has been idle longer than `idle_ms` or open longer than `max_ms`
/// (then it is ended).
pub fn session(
    conn: &Connection,
    token: &str,
    now_ms: i64,
    idle_ms: i64,
    max_ms: i64,
) -> rusqlite::Result<Option<Session>> {
    let key = sha256_hex(token);
    let found: Option<(String, String, i64, i64, String)> = conn
        .query_row(
            "SELECT s.account, s.csrf, s.created_ms, s.last_seen_ms, a.clinic
             FROM staff_sessions s JOIN staff_accounts a ON a.name = s.account
             WHERE s.token_sha256 = ?1",
            params![key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((account, csrf, created, last_seen, clinic)) = found else {
        return Ok(None);
    };
    if !is_alive(created, last_seen, now_ms, idle_ms, max_ms) {
        conn.execute(
            "DELETE FROM staff_sessions WHERE token_sha256 = ?1",
            params![key],
        )?;
        return Ok(None);
    }
    conn.execute(
        "UPDATE staff_sessions SET last_seen_ms = ?2 WHERE token_sha256 = ?1",
        params![key, now_ms],
    )?;
    Ok(Some(Session {
        account,
        csrf,
        clinic,
    }))
}

/// Ends the session of `token`.
pub fn end_session(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM staff_sessions WHERE token_sha256 = ?1",
        params![sha256_hex(token)],
    )?;
    Ok(())
}

/// Records one event of `clinic`'s audit trail.
pub fn record(
    conn: &Connection,
    clinic: &str,
    account: &str,
    action: &str,
    reference: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (clinic, account, action, reference) VALUES (?1, ?2, ?3, ?4)",
        params![clinic, account, action, reference],
    )?;
    Ok(())
}

/// One event of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: String,
    pub account: String,
    pub action: String,
    pub reference: Option<String>,
}

/// The audit trail from `since` (`YYYY-MM-DD`, UTC) on, oldest first, of
/// one clinic or of all.
pub fn events(
    conn: &Connection,
    clinic: Option<&str>,
    since: &str,
) -> rusqlite::Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT at, account, action, reference FROM audit
         WHERE at >= ?1 AND (?2 IS NULL OR clinic = ?2) ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![since, clinic], |r| {
        Ok(Event {
            at: r.get(0)?,
            account: r.get(1)?,
            action: r.get(2)?,
            reference: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Marks `reference` reviewed by `account` now; returns (by, at). A second
/// mark keeps the first reviewer.
pub fn mark_reviewed(
    conn: &Connection,
    reference: &str,
    account: &str,
) -> rusqlite::Result<(String, String)> {
    conn.execute(
        "INSERT INTO reviews (reference, account, at)
         VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT(reference) DO NOTHING",
        params![reference, account],
    )?;
    conn.query_row(
        "SELECT account, at FROM reviews WHERE reference = ?1",
        params![reference],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().expect("memory db");
        conn.pragma_update(None, "foreign_keys", "ON").expect("fk");
        crate::store::sqlite::migrate(&conn).expect("migrate");
        conn
    }

    #[test]
    fn passwords_are_argon2id_salted_and_verified() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterY", &a));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn accounts_are_named_simply_and_need_a_long_password() {
        let conn = db();
        assert!(add(&conn, "", "Front Desk", "a long enough password").is_err());
        assert!(add(&conn, "", "frontdesk", "short").is_err());
        add(&conn, "", "frontdesk", "a long enough password").expect("added");
        let again = add(&conn, "", "frontdesk", "a long enough password").expect_err("twice");
        assert!(again.contains("exists"), "{again}");
        assert_eq!(list(&conn).expect("list").len(), 1);
        assert!(remove(&conn, "frontdesk").expect("remove"));
        assert!(!remove(&conn, "frontdesk").expect("remove"));
    }

    #[test]
    fn sessions_end_when_idle_too_long_or_open_too_long_or_logged_out() {
        let conn = db();
        add(&conn, "", "ana", "a long enough password").expect("added");
        let (token, started) = start_session(&conn, "ana", 0).expect("session");
        assert_eq!(
            session(&conn, &token, 500, 1_000, 10_000).expect("query"),
            Some(started.clone())
        );
        // Used at 500: still alive at 1,400, not after 2,500 idle.
        assert!(session(&conn, &token, 1_400, 1_000, 10_000)
            .expect("query")
            .is_some());
        assert!(session(&conn, &token, 2_500, 1_000, 10_000)
            .expect("query")
            .is_none());
        assert!(
            session(&conn, &token, 2_600, 1_000_000, 10_000_000)
                .expect("query")
                .is_none(),
            "an expired session stays ended"
        );
        let (token, _) = start_session(&conn, "ana", 0).expect("session");
        let mut now = 0;
        while now < 10_000 {
            now += 900;
            let alive = session(&conn, &token, now, 1_000, 10_000).expect("query");
            assert_eq!(alive.is_some(), now <= 10_000, "at {now}");
        }
        assert!(session(&conn, &token, 10_800, 1_000, 10_000)
            .expect("query")
            .is_none());
        let (token, _) = start_session(&conn, "ana", 0).expect("session");
        end_session(&conn, &token).expect("logout");
        assert!(session(&conn, &token, 1, 1_000, 10_000)
            .expect("query")
            .is_none());
        let (token, _) = start_session(&conn, "ana", 0).expect("session");
        remove(&conn, "ana").expect("remove");
        assert!(
            session(&conn, &token, 1, 1_000, 10_000)
                .expect("query")
                .is_none(),
            "a removed account's sessions end"
        );
    }

    #[test]
    fn the_audit_trail_takes_rows_and_never_changes_them() {
        let conn = db();
        record(&conn, "", "ana", "login", None).expect("record");
        record(&conn, "", "ana", "view", Some("MI-AAAA-BBBB")).expect("record");
        assert!(conn.execute("UPDATE audit SET account = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM audit", []).is_err());
        let events = events(&conn, None, "2000-01-01").expect("events");
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["login", "view"]);
        assert_eq!(events[1].reference.as_deref(), Some("MI-AAAA-BBBB"));
    }

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn the_first_review_mark_stays() {
        let conn = db();
        let first = mark_reviewed(&conn, "MI-AAAA-BBBB", "ana").expect("mark");
        let second = mark_reviewed(&conn, "MI-AAAA-BBBB", "ben").expect("mark");
        assert_eq!(first, second);
        assert_eq!(first.0, "ana");
    }
}
