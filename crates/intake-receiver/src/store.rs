//! Durable storage of submissions in one SQLite file.
//!
//! Every connection runs in WAL mode with `synchronous=FULL`, and a reply is
//! sent only after the insert committed, so what the receiver acknowledged
//! survives a crash or a power cut.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The outcome of storing a submission under its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// First receipt: stored now.
    Created { reference: String },
    /// The same id with the same body came before: nothing new stored.
    Repeat { reference: String },
    /// The same id came before with a different body.
    Conflict,
}

/// The submissions table, behind a mutex (SQLite has one writer at a time anyway).
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and its parent folder.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Creating the folder may fail (read-only disk); opening will then say so.
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS submissions (
                submission_id TEXT PRIMARY KEY,
                reference     TEXT NOT NULL UNIQUE,
                received_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                body_sha256   TEXT NOT NULL,
                body          TEXT NOT NULL
            ) STRICT;",
        )?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        crate::staff::accounts::migrate(&conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores `body` (the canonical JSON of a valid submission) under `id`,
    /// unless that id is already there.
    pub fn insert(&self, id: &str, body: &str) -> rusqlite::Result<Stored> {
        let digest = hex(&Sha256::digest(body.as_bytes()));
        let reference = reference_for(id);
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let inserted = conn.execute(
            "INSERT INTO submissions (submission_id, reference, body_sha256, body)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT(submission_id) DO NOTHING",
            params![id, reference, digest, body],
        )?;
        if inserted == 1 {
            return Ok(Stored::Created { reference });
        }
        let existing: Option<(String, String)> = conn
            .query_row(
                "SELECT reference, body_sha256 FROM submissions WHERE submission_id = ?1",
                params![id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(match existing {
            Some((reference, stored)) if stored == digest => Stored::Repeat { reference },
            _ => Stored::Conflict,
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

    /// Stored submissions received from `since` up to `until`, newest first,
    /// at most `limit`. Each bound is a day (`YYYY-MM-DD`, UTC, inclusive) or
    /// an instant (RFC 3339 UTC; `until` then exclusive), so a page can ask
    /// for its own local days; either may be open.
    pub fn recent(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        limit: u32,
    ) -> rusqlite::Result<Vec<Row>> {
        // Rows are read one at a time: the search stops at the limit.
        self.find_recent(since, until, |_| true, limit as usize)
    }

    /// Like [`Store::recent`], but only the rows `wanted` keeps, looked for
    /// through the whole range: the newest `limit` of them.
    pub fn find_recent(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        wanted: impl Fn(&Row) -> bool,
        limit: usize,
    ) -> rusqlite::Result<Vec<Row>> {
        self.with(|conn| {
            let mut stmt = conn.prepare(
                "SELECT s.reference, s.received_at, s.body, r.account, r.at
                 FROM submissions s LEFT JOIN reviews r ON r.reference = s.reference
                 WHERE s.received_at >= ?1
                   AND ((length(?2) = 10 AND substr(s.received_at, 1, 10) <= ?2)
                     OR (length(?2) > 10 AND s.received_at < ?2))
                 ORDER BY s.received_at DESC, s.reference",
            )?;
            let rows = stmt.query_map(
                params![since.unwrap_or(""), until.unwrap_or("9999-12-31")],
                Row::read,
            )?;
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

    /// The submission stored under `reference`.
    pub fn by_reference(&self, reference: &str) -> rusqlite::Result<Option<Row>> {
        self.with(|conn| {
            conn.query_row(
                "SELECT s.reference, s.received_at, s.body, r.account, r.at
                 FROM submissions s LEFT JOIN reviews r ON r.reference = s.reference
                 WHERE s.reference = ?1",
                params![reference],
                Row::read,
            )
            .optional()
        })
    }

    /// How many submissions are stored.
    pub fn count(&self) -> rusqlite::Result<u64> {
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let n: i64 = conn.query_row("SELECT count(*) FROM submissions", [], |row| row.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_once_and_recognises_repeats_and_conflicts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("nested/intake.sqlite3")).expect("open");
        let first = store.insert("id-1", r#"{"a":1}"#).expect("insert");
        let Stored::Created { reference } = first else {
            panic!("expected Created, got {first:?}")
        };
        assert_eq!(
            store.insert("id-1", r#"{"a":1}"#).ok(),
            Some(Stored::Repeat { reference })
        );
        assert_eq!(
            store.insert("id-1", r#"{"a":2}"#).ok(),
            Some(Stored::Conflict)
        );
        assert_eq!(store.count().ok(), Some(1));
    }

    #[test]
    fn the_database_is_durable_by_configuration() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("intake.sqlite3")).expect("open");
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
}
