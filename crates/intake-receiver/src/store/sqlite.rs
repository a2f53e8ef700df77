//! The SQLite store: one file, the default for one clinic on one machine.
//!
//! Every connection runs in WAL mode with `synchronous=FULL`, and a reply is
//! sent only after the insert committed, so what the receiver acknowledged
//! survives a crash or a power cut. Calls are blocking; [`super::Store`]
//! runs them off the async threads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};

use super::{body_digest, references_for, Row, Stored};

/// The schema, one step a version; `PRAGMA user_version` says how many ran.
/// A step is never changed once released: a change is a new step.
const MIGRATIONS: &[&str] = &[
    // 1: submissions, and the staff inbox's accounts, sessions, reviews and audit.
    "CREATE TABLE IF NOT EXISTS submissions (
        submission_id TEXT PRIMARY KEY,
        reference     TEXT NOT NULL UNIQUE,
        received_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        body_sha256   TEXT NOT NULL,
        body          TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS staff_accounts (
        name          TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ) STRICT;
    CREATE TABLE IF NOT EXISTS staff_sessions (
        token_sha256 TEXT PRIMARY KEY,
        account      TEXT NOT NULL REFERENCES staff_accounts(name) ON DELETE CASCADE,
        csrf         TEXT NOT NULL,
        created_ms   INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS reviews (
        reference TEXT PRIMARY KEY,
        account   TEXT NOT NULL,
        at        TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS audit (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        account   TEXT NOT NULL,
        action    TEXT NOT NULL,
        reference TEXT
    ) STRICT;
    CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
    CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;",
    // 2: several clinics in one receiver; the rows so far are the default clinic's.
    "ALTER TABLE submissions ADD COLUMN clinic TEXT NOT NULL DEFAULT '';
    ALTER TABLE staff_accounts ADD COLUMN clinic TEXT NOT NULL DEFAULT '';
    ALTER TABLE audit ADD COLUMN clinic TEXT NOT NULL DEFAULT '';
    CREATE INDEX IF NOT EXISTS submissions_by_clinic ON submissions (clinic, received_at);",
];

/// Brings the schema up to date, each step in its own transaction. The
/// version is read under the write lock, so two processes opening one file
/// at once never run a step twice.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    loop {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let step = conn
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .map(|done| {
                MIGRATIONS
                    .get(usize::try_from(done).unwrap_or(usize::MAX))
                    .map(|s| (done, s))
            });
        let ran = match step {
            Ok(None) => return conn.execute_batch("COMMIT"),
            Ok(Some((done, step))) => {
                conn.execute_batch(&format!("{step}; PRAGMA user_version = {};", done + 1))
            }
            Err(e) => Err(e),
        };
        match ran {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
    }
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The database file behind a mutex (SQLite has one writer at a time anyway).
#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Sqlite {
    /// Opens (creating if needed) the database at `path` and its parent
    /// folder, and brings its schema up to date.
    pub fn open(path: &Path) -> rusqlite::Result<Sqlite> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Creating the folder may fail (read-only disk); opening will then say so.
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&conn)?;
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores `body` (the canonical JSON of a valid submission) under `id`
    /// for `clinic`, unless that id is already there.
    pub fn insert(&self, clinic: &str, id: &str, body: &str) -> rusqlite::Result<Stored> {
        let digest = body_digest(body);
        self.with(|conn| {
            for reference in references_for(id) {
                let inserted = conn.execute(
                    "INSERT INTO submissions (submission_id, clinic, reference, body_sha256, body)
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                    params![id, clinic, reference, digest, body],
                )?;
                if inserted == 1 {
                    return Ok(Stored::Created { reference });
                }
                let existing: Option<(String, String, String)> = conn
                    .query_row(
                        "SELECT clinic, reference, body_sha256 FROM submissions WHERE submission_id = ?1",
                        params![id],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )
                    .optional()?;
                if existing.is_some() {
                    return Ok(Stored::of_existing(clinic, &digest, existing));
                }
                // Another id has this reference: the next one.
            }
            Err(rusqlite::Error::QueryReturnedNoRows)
        })
    }

    /// Runs `f` on the database connection (one at a time).
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&conn)
    }

    /// `clinic`'s submissions received from `since` up to `until`, newest
    /// first, that `wanted` keeps: at most `limit`, looked for through the
    /// whole range. Each bound is a day (`YYYY-MM-DD`, UTC, inclusive) or an
    /// instant (RFC 3339 UTC; `until` then exclusive); either may be open.
    pub fn find_recent(
        &self,
        clinic: &str,
        since: Option<&str>,
        until: Option<&str>,
        wanted: impl Fn(&Row) -> bool,
        limit: usize,
    ) -> rusqlite::Result<Vec<Row>> {
        self.with(|conn| {
            let mut stmt = conn.prepare(
                "SELECT s.reference, s.received_at, s.body, r.account, r.at
                 FROM submissions s LEFT JOIN reviews r ON r.reference = s.reference
                 WHERE s.clinic = ?3 AND s.received_at >= ?1
                   AND ((length(?2) = 10 AND substr(s.received_at, 1, 10) <= ?2)
                     OR (length(?2) > 10 AND s.received_at < ?2))
                 ORDER BY s.received_at DESC, s.reference",
            )?;
            let rows = stmt.query_map(
                params![since.unwrap_or(""), until.unwrap_or("9999-12-31"), clinic],
                Row::read,
            )?;
            // Rows are read one at a time: the search stops at the limit.
            let mut found = Vec::new();
            for row in rows {
                let row = row?;
                if wanted(&row) {
                    found.push(row);
                    if found.len() >= limit {
                        break;
                    }
                }
            }
            Ok(found)
        })
    }

    /// `clinic`'s submission stored under `reference`.
    pub fn by_reference(&self, clinic: &str, reference: &str) -> rusqlite::Result<Option<Row>> {
        self.with(|conn| {
            conn.query_row(
                "SELECT s.reference, s.received_at, s.body, r.account, r.at
                 FROM submissions s LEFT JOIN reviews r ON r.reference = s.reference
                 WHERE s.reference = ?1 AND s.clinic = ?2",
                params![reference, clinic],
                Row::read,
            )
            .optional()
        })
    }

    /// Submissions received on or after the day `since`, oldest first, of
    /// one clinic or of all.
    pub fn received_since(&self, clinic: Option<&str>, since: &str) -> rusqlite::Result<Vec<Row>> {
        self.with(|conn| {
            let mut stmt = conn.prepare(
                "SELECT reference, received_at, body, NULL, NULL FROM submissions
                 WHERE received_at >= ?1 AND (?2 IS NULL OR clinic = ?2)
                 ORDER BY received_at, reference",
            )?;
            let rows = stmt.query_map(params![since, clinic], Row::read)?;
            rows.collect()
        })
    }

    /// How many submissions are stored.
    pub fn count(&self) -> rusqlite::Result<u64> {
        self.with(|conn| {
            let n: i64 =
                conn.query_row("SELECT count(*) FROM submissions", [], |row| row.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }
}

impl Row {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        let by: Option<String> = row.get(3)?;
        let at: Option<String> = row.get(4)?;
        Ok(Row {
            reference: row.get(0)?,
            received_at: row.get(1)?,
            body: row.get(2)?,
            reviewed: by.zip(at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::reference_for;

    #[test]
    fn stores_once_and_recognises_repeats_and_conflicts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Sqlite::open(&dir.path().join("nested/intake.sqlite3")).expect("open");
        let first = store.insert("", "id-1", r#"{"a":1}"#).expect("insert");
        let Stored::Created { reference } = first else {
            panic!("expected Created, got {first:?}")
        };
        assert_eq!(
            store.insert("", "id-1", r#"{"a":1}"#).ok(),
            Some(Stored::Repeat { reference })
        );
        assert_eq!(
            store.insert("", "id-1", r#"{"a":2}"#).ok(),
            Some(Stored::Conflict)
        );
        assert_eq!(
            store.insert("harbor", "id-1", r#"{"a":1}"#).ok(),
            Some(Stored::Conflict),
            "another clinic's id is not this clinic's repeat"
        );
        assert_eq!(store.count().ok(), Some(1));
        // Another id whose reference is taken (two ids' 40 bits agree) gets
        // the reference with a suffix, never an error.
        store
            .with(|c| {
                c.execute(
                    "UPDATE submissions SET reference = ?1",
                    params![reference_for("id-2")],
                )
            })
            .expect("a collision made by hand");
        assert_eq!(
            store.insert("", "id-2", r#"{"b":1}"#).ok(),
            Some(Stored::Created {
                reference: format!("{}-2", reference_for("id-2"))
            })
        );
    }

    #[test]
    fn the_database_is_durable_by_configuration() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Sqlite::open(&dir.path().join("intake.sqlite3")).expect("open");
        let conn = store.conn.lock().expect("lock");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("pragma");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!((mode.as_str(), sync), ("wal", 2));
    }

    #[test]
    fn a_file_made_before_clinics_is_migrated_in_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("old.sqlite3");
        {
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch(MIGRATIONS[0])
                .expect("version 1 as released");
            conn.execute(
                "INSERT INTO submissions (submission_id, reference, body_sha256, body)
                 VALUES ('id-1', 'MI-AAAA-BBBB', 'x', '{}')",
                [],
            )
            .expect("an old row");
        }
        let store = Sqlite::open(&path).expect("migrated");
        let version: i64 = store.with(|c| {
            c.query_row("PRAGMA user_version", [], |r| r.get(0))
                .expect("version")
        });
        assert_eq!(version as usize, SCHEMA_VERSION);
        let row = store.by_reference("", "MI-AAAA-BBBB").expect("query");
        assert!(row.is_some(), "the old row is the default clinic's");
        assert!(store
            .by_reference("harbor", "MI-AAAA-BBBB")
            .expect("query")
            .is_none());
        drop(store);
        assert!(Sqlite::open(&path).is_ok(), "opening again changes nothing");
    }
}
