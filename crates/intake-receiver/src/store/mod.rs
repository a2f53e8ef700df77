//! Where submissions, staff accounts and the audit trail are kept: one
//! SQLite file (the default, for one clinic on one machine) or a PostgreSQL
//! database that several receivers share. Both keep the same rows and the
//! same guarantees:
//!
//! - a submission is stored once per id, by a unique constraint and
//!   `ON CONFLICT DO NOTHING`, never by a read and then a write, so two
//!   receivers given the same submission at once store it once and both
//!   answer with its reference;
//! - a reply is sent only after the insert committed;
//! - the audit trail takes rows and never changes them;
//! - the schema is versioned and brought up to date when the store opens.

pub mod postgres;
pub mod sqlite;

use std::future::Future;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::staff::accounts::{self, Account, Event, Session};

/// Which database, as `--database-url` names it: `sqlite:PATH` (or a plain
/// path) or `postgres://user@host/db` (`postgresql://` too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    /// Reads a database URL, naming what is wrong with it.
    pub fn parse(url: &str) -> std::result::Result<Database, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url.parse::<tokio_postgres::Config>()
                .map_err(|e| format!("database_url: not a PostgreSQL URL ({e})"))?;
            return Ok(Database::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"));
        match path {
            Some("") => Err(
                "database_url: `sqlite:` needs a file, like sqlite:data/intake.sqlite3".to_owned(),
            ),
            Some(path) => Ok(Database::Sqlite(PathBuf::from(path))),
            None if url.contains("://") => Err(format!(
                "database_url: `{}` is neither sqlite:PATH nor postgres://…",
                url.split("://").next().unwrap_or("")
            )),
            None if url.is_empty() => Err("database_url: empty".to_owned()),
            None => Ok(Database::Sqlite(PathBuf::from(url))),
        }
    }

    /// The SQLite file, when it is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Database::Sqlite(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }

    /// How to name it in messages: the file, or the server and database
    /// without the password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => match url.parse::<tokio_postgres::Config>() {
                Ok(config) => {
                    let host = config
                        .get_hosts()
                        .first()
                        .map(|h| match h {
                            tokio_postgres::config::Host::Tcp(name) => name.clone(),
                            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
                        })
                        .unwrap_or_default();
                    format!(
                        "postgres {}@{host}/{}",
                        config.get_user().unwrap_or(""),
                        config.get_dbname().unwrap_or("")
                    )
                }
                Err(_) => "postgres".to_owned(),
            },
        }
    }
}

impl From<PathBuf> for Database {
    fn from(path: PathBuf) -> Database {
        Database::Sqlite(path)
    }
}

impl From<&PathBuf> for Database {
    fn from(path: &PathBuf) -> Database {
        Database::Sqlite(path.clone())
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Database {
        Database::Sqlite(path.to_owned())
    }
}

impl From<&Database> for Database {
    fn from(db: &Database) -> Database {
        db.clone()
    }
}

/// A storage failure, worded without patient data: the database's own
/// message and code, never the row it was about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        // A server error's DETAIL may quote a row; only its code and message.
        match (e.as_db_error(), std::error::Error::source(&e)) {
            (Some(db), _) => StoreError(format!("{} ({})", db.message(), db.code().code())),
            // "error connecting to server" says little without its cause.
            (None, Some(cause)) => StoreError(format!("{e}: {cause}")),
            (None, None) => StoreError(e.to_string()),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> StoreError {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => StoreError(format!("no database connection: {other}")),
        }
    }
}

/// The outcome of storing a submission under its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// First receipt: stored now.
    Created { reference: String },
    /// The same id with the same body came before: nothing new stored.
    Repeat { reference: String },
    /// The same id came before with a different body, or for another clinic.
    Conflict,
}

impl Stored {
    /// What an insert that stored nothing means, from the row already there
    /// (clinic, reference, digest).
    fn of_existing(
        clinic: &str,
        digest: &str,
        existing: Option<(String, String, String)>,
    ) -> Stored {
        match existing {
            Some((owner, reference, stored)) if owner == clinic && stored == digest => {
                Stored::Repeat { reference }
            }
            _ => Stored::Conflict,
        }
    }
}

/// One stored submission as staff read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub reference: String,
    pub received_at: String,
    /// The submission's JSON, or a sealed envelope's.
    pub body: String,
    /// Who marked it reviewed, and when.
    pub reviewed: Option<(String, String)>,
}

/// The store the receiver runs on.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

type Result<T> = std::result::Result<T, StoreError>;

impl Store {
    /// Opens the database and brings its schema up to date.
    pub async fn open(db: &Database) -> Result<Store> {
        Store::open_pooled(db, postgres::DEFAULT_POOL_SIZE).await
    }

    /// [`Store::open`], keeping at most `pool_size` connections to PostgreSQL.
    pub async fn open_pooled(db: &Database, pool_size: usize) -> Result<Store> {
        match db {
            Database::Sqlite(path) => {
                let path = path.clone();
                let opened = tokio::task::spawn_blocking(move || sqlite::Sqlite::open(&path))
                    .await
                    .map_err(|_| StoreError("opening the database stopped".to_owned()))?;
                Ok(Store::Sqlite(opened?))
            }
            Database::Postgres(url) => Ok(Store::Postgres(
                postgres::Postgres::open(url, pool_size).await?,
            )),
        }
    }

    /// Runs a blocking SQLite call off the async threads.
    async fn sqlite_call<T: Send + 'static>(
        store: &sqlite::Sqlite,
        f: impl FnOnce(&sqlite::Sqlite) -> std::result::Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T> {
        let store = store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|_| StoreError("the database call stopped".to_owned()))?
            .map_err(StoreError::from)
    }

    /// Stores `body` (the canonical JSON of a valid submission) under `id`
    /// for `clinic`, unless that id is already there.
    pub async fn insert(&self, clinic: &str, id: &str, body: String) -> Result<Stored> {
        match self {
            Store::Sqlite(s) => {
                let (clinic, id) = (clinic.to_owned(), id.to_owned());
                Store::sqlite_call(s, move |s| s.insert(&clinic, &id, &body)).await
            }
            Store::Postgres(p) => p.insert(clinic, id, &body).await,
        }
    }

    /// How many submissions are stored, of every clinic.
    pub async fn count(&self) -> Result<u64> {
        match self {
            Store::Sqlite(s) => Store::sqlite_call(s, |s| s.count()).await,
            Store::Postgres(p) => p.count().await,
        }
    }

    /// `clinic`'s submissions received from `since` up to `until`, newest
    /// first, that `wanted` keeps: at most `limit`, looked for through the
    /// whole range. Each bound is a day (`YYYY-MM-DD`, UTC, inclusive) or an
    /// instant (RFC 3339 UTC; `until` then exclusive); either may be open.
    pub async fn find_recent(
        &self,
        clinic: &str,
        since: Option<String>,
        until: Option<String>,
        wanted: impl Fn(&Row) -> bool + Send + 'static,
        limit: usize,
    ) -> Result<Vec<Row>> {
        match self {
            Store::Sqlite(s) => {
                let clinic = clinic.to_owned();
                Store::sqlite_call(s, move |s| {
                    s.find_recent(&clinic, since.as_deref(), until.as_deref(), wanted, limit)
                })
                .await
            }
            Store::Postgres(p) => {
                p.find_recent(clinic, since.as_deref(), until.as_deref(), wanted, limit)
                    .await
            }
        }
    }

    /// `clinic`'s submission stored under `reference`.
    pub async fn by_reference(&self, clinic: &str, reference: &str) -> Result<Option<Row>> {
        match self {
            Store::Sqlite(s) => {
                let (clinic, reference) = (clinic.to_owned(), reference.to_owned());
                Store::sqlite_call(s, move |s| s.by_reference(&clinic, &reference)).await
            }
            Store::Postgres(p) => p.by_reference(clinic, reference).await,
        }
    }

    /// Submissions received on or after the day `since`, oldest first, of
    /// one clinic or of all (the export).
    pub async fn received_since(&self, clinic: Option<&str>, since: &str) -> Result<Vec<Row>> {
        match self {
            Store::Sqlite(s) => {
                let (clinic, since) = (clinic.map(str::to_owned), since.to_owned());
                Store::sqlite_call(s, move |s| s.received_since(clinic.as_deref(), &since)).await
            }
            Store::Postgres(p) => p.received_since(clinic, since).await,
        }
    }

    /// Adds a staff account of `clinic`; a taken name or a weak password is
    /// an error worded for the person adding it.
    pub async fn add_account(
        &self,
        clinic: &str,
        name: &str,
        password: &str,
    ) -> std::result::Result<(), String> {
        match self {
            Store::Sqlite(s) => {
                let (clinic, name, password) =
                    (clinic.to_owned(), name.to_owned(), password.to_owned());
                let s = s.clone();
                tokio::task::spawn_blocking(move || {
                    s.with(|conn| accounts::add(conn, &clinic, &name, &password))
                })
                .await
                .map_err(|e| e.to_string())?
            }
            Store::Postgres(p) => {
                let (name_owned, password) = (name.to_owned(), password.to_owned());
                let hash = tokio::task::spawn_blocking(move || {
                    accounts::new_account(&name_owned, &password)
                })
                .await
                .map_err(|e| e.to_string())??;
                p.add_account(clinic, name, &hash).await
            }
        }
    }

    /// Removes an account and ends its sessions; whether it existed.
    pub async fn remove_account(&self, name: &str) -> Result<bool> {
        match self {
            Store::Sqlite(s) => {
                let name = name.to_owned();
                Store::sqlite_call(s, move |s| s.with(|conn| accounts::remove(conn, &name))).await
            }
            Store::Postgres(p) => p.remove_account(name).await,
        }
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        match self {
            Store::Sqlite(s) => Store::sqlite_call(s, |s| s.with(accounts::list)).await,
            Store::Postgres(p) => p.accounts().await,
        }
    }

    /// The password hash and clinic of `name`, if the account exists.
    pub async fn password_hash(&self, name: &str) -> Result<Option<(String, String)>> {
        match self {
            Store::Sqlite(s) => {
                let name = name.to_owned();
                Store::sqlite_call(s, move |s| {
                    s.with(|conn| accounts::password_hash(conn, &name))
                })
                .await
            }
            Store::Postgres(p) => p.password_hash(name).await,
        }
    }

    /// Starts a session for `account`: the cookie's token and the session.
    pub async fn start_session(&self, account: &str, now_ms: i64) -> Result<(String, Session)> {
        match self {
            Store::Sqlite(s) => {
                let (s, account) = (s.clone(), account.to_owned());
                tokio::task::spawn_blocking(move || {
                    s.with(|conn| accounts::start_session(conn, &account, now_ms))
                })
                .await
                .map_err(|_| StoreError("the database call stopped".to_owned()))?
                .map_err(StoreError)
            }
            Store::Postgres(p) => p.start_session(account, now_ms).await,
        }
    }

    /// The session of `token`, touched as used now; `None` when there is
    /// none or it has expired (then it is ended).
    pub async fn session(
        &self,
        token: &str,
        now_ms: i64,
        idle_ms: i64,
        max_ms: i64,
    ) -> Result<Option<Session>> {
        match self {
            Store::Sqlite(s) => {
                let token = token.to_owned();
                Store::sqlite_call(s, move |s| {
                    s.with(|conn| accounts::session(conn, &token, now_ms, idle_ms, max_ms))
                })
                .await
            }
            Store::Postgres(p) => p.session(token, now_ms, idle_ms, max_ms).await,
        }
    }

    /// Ends the session of `token`.
    pub async fn end_session(&self, token: &str) -> Result<()> {
        match self {
            Store::Sqlite(s) => {
                let token = token.to_owned();
                Store::sqlite_call(s, move |s| {
                    s.with(|conn| accounts::end_session(conn, &token))
                })
                .await
            }
            Store::Postgres(p) => p.end_session(token).await,
        }
    }

    /// Records one event of `clinic`'s audit trail.
    pub async fn record(
        &self,
        clinic: &str,
        account: &str,
        action: &str,
        reference: Option<&str>,
    ) -> Result<()> {
        match self {
            Store::Sqlite(s) => {
                let (clinic, account, action, reference) = (
                    clinic.to_owned(),
                    account.to_owned(),
                    action.to_owned(),
                    reference.map(str::to_owned),
                );
                Store::sqlite_call(s, move |s| {
                    s.with(|conn| {
                        accounts::record(conn, &clinic, &account, &action, reference.as_deref())
                    })
                })
                .await
            }
            Store::Postgres(p) => p.record(clinic, account, action, reference).await,
        }
    }

    /// The audit trail from `since` (`YYYY-MM-DD`, UTC) on, oldest first,
    /// of one clinic or of all.
    pub async fn events(&self, clinic: Option<&str>, since: &str) -> Result<Vec<Event>> {
        match self {
            Store::Sqlite(s) => {
                let (clinic, since) = (clinic.map(str::to_owned), since.to_owned());
                Store::sqlite_call(s, move |s| {
                    s.with(|conn| accounts::events(conn, clinic.as_deref(), &since))
                })
                .await
            }
            Store::Postgres(p) => p.events(clinic, since).await,
        }
    }

    /// Marks `reference` reviewed by `account` now; returns (by, at). A
    /// second mark keeps the first reviewer.
    pub async fn mark_reviewed(&self, reference: &str, account: &str) -> Result<(String, String)> {
        match self {
            Store::Sqlite(s) => {
                let (reference, account) = (reference.to_owned(), account.to_owned());
                Store::sqlite_call(s, move |s| {
                    s.with(|conn| accounts::mark_reviewed(conn, &reference, &account))
                })
                .await
            }
            Store::Postgres(p) => p.mark_reviewed(reference, account).await,
        }
    }
}

/// Runs `work` on a store opened from `db`, to completion, from code that is
/// not async (the command line, tests): on a thread of its own with its own
/// runtime, so it may be called from inside another runtime too.
pub fn blocking<T, F, W>(db: &Database, work: W) -> Result<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send,
    W: FnOnce(Store) -> F + Send + 'static,
{
    let db = db.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError(e.to_string()))?;
        runtime.block_on(async move { work(Store::open(&db).await?).await })
    })
    .join()
    .map_err(|_| StoreError("the database call stopped".to_owned()))?
}

/// The SHA-256 of a stored body, in hex: how a repeat is told from a reuse
/// of its id.
pub fn body_digest(body: &str) -> String {
    accounts::sha256_hex(body)
}

/// A short reference the patient can read out at the front desk
/// (`MI-7K3P-9QX2`), derived from the submission id: the same id always gets
/// the same reference, and it reveals nothing about the patient.
pub fn reference_for(id: &str) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let digest = Sha256::digest(id.as_bytes());
    let bits = digest
        .iter()
        .take(5)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let chars: String = (0..8)
        .rev()
        .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect();
    format!("MI-{}-{}", &chars[..4], &chars[4..])
}

/// The references a submission may be stored under, in order: its own, and
/// when another id already has that one (two ids whose first 40 bits of
/// hash agree: likely somewhere past a million submissions) the same with
/// `-2`, `-3`.
pub fn references_for(id: &str) -> impl Iterator<Item = String> {
    let base = reference_for(id);
    (1..=3).map(move |n| {
        if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_stable_readable_and_distinct() {
        let a = reference_for("0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(a, reference_for("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert_ne!(a, reference_for("1f8fad5b-d9cb-469f-a165-70867728950e"));
        assert_eq!(a.len(), 12);
        assert!(
            a.starts_with("MI-")
                && a[3..]
                    .chars()
                    .all(|c| c == '-' || c.is_ascii_alphanumeric())
        );
        assert!(
            !a[3..].contains(['I', 'L', 'O', 'U']),
            "no look-alike letters: {a}"
        );
    }

    #[test]
    fn database_urls_name_sqlite_or_postgres_and_say_what_is_wrong() {
        assert_eq!(
            Database::parse("sqlite:data/intake.sqlite3"),
            Ok(Database::Sqlite("data/intake.sqlite3".into()))
        );
        assert_eq!(
            Database::parse("sqlite:///var/lib/intake.sqlite3"),
            Ok(Database::Sqlite("/var/lib/intake.sqlite3".into()))
        );
        assert_eq!(
            Database::parse("data/intake.sqlite3"),
            Ok(Database::Sqlite("data/intake.sqlite3".into()))
        );
        let pg = Database::parse("postgres://intake:s3cret@db.internal:5432/intake")
            .expect("a PostgreSQL URL");
        assert!(matches!(pg, Database::Postgres(_)));
        let shown = pg.describe();
        assert_eq!(shown, "postgres intake@db.internal/intake");
        assert!(!shown.contains("s3cret"), "never the password: {shown}");
        for bad in ["mysql://x/y", "sqlite:", "", "postgres://x:notaport/db"] {
            let err = Database::parse(bad).expect_err(bad);
            assert!(err.starts_with("database_url"), "{bad}: {err}");
        }
    }
}
