//! The PostgreSQL store: one database that several receivers share, each
//! with a pool of connections.
//!
//! Times are `timestamptz` and are read back in the SQLite store's text form
//! (`2026-11-30T14:05:09.123Z`), so everything above the store sees one
//! shape. Sessions run in UTC. A lost connection (the server restarted) is
//! dropped from the pool and the request that met it answered 503, which
//! the widget retries.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use super::{body_digest, references_for, Result, Row, StoreError, Stored};
use crate::staff::accounts::{self, Account, Event, Session};

/// Connections each receiver keeps to the server at most.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// The schema, one step a version, each applied once in its own
/// transaction under an advisory lock, so receivers starting together do
/// not race. A step is never changed once released: a change is a new step.
const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store has at its version 2.
    "CREATE TABLE submissions (
        submission_id TEXT PRIMARY KEY,
        clinic        TEXT NOT NULL DEFAULT '',
        reference     TEXT NOT NULL UNIQUE,
        received_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
        body_sha256   TEXT NOT NULL,
        body          TEXT NOT NULL
    );
    CREATE INDEX submissions_by_clinic ON submissions (clinic, received_at);
    CREATE TABLE staff_accounts (
        name          TEXT PRIMARY KEY,
        clinic        TEXT NOT NULL DEFAULT '',
        password_hash TEXT NOT NULL,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TABLE staff_sessions (
        token_sha256 TEXT PRIMARY KEY,
        account      TEXT NOT NULL REFERENCES staff_accounts(name) ON DELETE CASCADE,
        csrf         TEXT NOT NULL,
        created_ms   BIGINT NOT NULL,
        last_seen_ms BIGINT NOT NULL
    );
    CREATE TABLE reviews (
        reference TEXT PRIMARY KEY,
        account   TEXT NOT NULL,
        at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TABLE audit (
        seq       BIGSERIAL PRIMARY KEY,
        at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
        clinic    TEXT NOT NULL DEFAULT '',
        account   TEXT NOT NULL,
        action    TEXT NOT NULL,
        reference TEXT
    );
    CREATE FUNCTION audit_unchangeable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit trail cannot be changed'; END $$;
    CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_unchangeable();
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION audit_unchangeable();",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// An arbitrary number the receivers agree on for their migration lock.
const MIGRATION_LOCK: i64 = 0x6d69_5f73_6368_656d;

/// A time column as the SQLite store writes it, with milliseconds.
const MS: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'"#;
/// ...and to the second.
const S: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS"Z"'"#;

/// A pool of connections to one database.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
}

impl Postgres {
    /// Connects (checking that the server answers) and brings the schema up
    /// to date.
    pub async fn open(url: &str, pool_size: usize) -> Result<Postgres> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError(format!("not a PostgreSQL URL ({e})")))?;
        config.options("-c TimeZone=UTC");
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                // A connection the server closed is seen as closed and replaced.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let timeout = Some(std::time::Duration::from_secs(5));
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(timeout)
            .create_timeout(timeout)
            .recycle_timeout(timeout)
            .build()
            .map_err(|e| StoreError(e.to_string()))?;
        let store = Postgres { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.pool.get().await?;
        // Under the lock too: receivers starting together each check that
        // the table is missing, and all but one then fail to create it
        // ("already exists", as a relation or as its row type) whatever
        // IF NOT EXISTS says.
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )",
        )
        .await?;
        tx.commit().await?;
        for (index, step) in MIGRATIONS.iter().enumerate() {
            let version = i32::try_from(index + 1).unwrap_or(i32::MAX);
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            let done = tx
                .query_opt(
                    "SELECT 1 FROM schema_migrations WHERE version = $1",
                    &[&version],
                )
                .await?
                .is_some();
            if !done {
                tx.batch_execute(step).await?;
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&version],
                )
                .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    pub(super) async fn insert(&self, clinic: &str, id: &str, body: &str) -> Result<Stored> {
        let digest = body_digest(body);
        let client = self.pool.get().await?;
        for reference in references_for(id) {
            // Under READ COMMITTED a second insert of the same id waits for
            // the first to commit, then does nothing (any unique index: the
            // reference's too); the select then sees the first one's row.
            let inserted = client
                .execute(
                    "INSERT INTO submissions (submission_id, clinic, reference, body_sha256, body)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    &[&id, &clinic, &reference, &digest, &body],
                )
                .await?;
            if inserted == 1 {
                return Ok(Stored::Created { reference });
            }
            let existing = client
                .query_opt(
                    "SELECT clinic, reference, body_sha256 FROM submissions WHERE submission_id = $1",
                    &[&id],
                )
                .await?
                .map(|r| (r.get(0), r.get(1), r.get(2)));
            if existing.is_some() {
                return Ok(Stored::of_existing(clinic, &digest, existing));
            }
            // Another id has this reference: the next one.
        }
        Err(StoreError("no free reference".to_owned()))
    }

    pub(super) async fn count(&self) -> Result<u64> {
        let client = self.pool.get().await?;
        let n: i64 = client
            .query_one("SELECT count(*) FROM submissions", &[])
            .await?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(super) async fn find_recent(
        &self,
        clinic: &str,
        since: Option<&str>,
        until: Option<&str>,
        wanted: impl Fn(&Row) -> bool,
        limit: usize,
    ) -> Result<Vec<Row>> {
        let mut client = self.pool.get().await?;
        let since = since.unwrap_or("0001-01-01");
        let until = until.unwrap_or("9999-12-30");
        let statement = format!(
            "SELECT s.reference, to_char(s.received_at, {MS}), s.body, r.account, to_char(r.at, {S})
             FROM submissions s LEFT JOIN reviews r ON r.reference = s.reference
             WHERE s.clinic = $1 AND s.received_at >= $2::text::timestamptz
               AND s.received_at < CASE WHEN length($3::text) = 10
                   THEN ($3::text::date + 1)::timestamptz ELSE $3::text::timestamptz END
             ORDER BY s.received_at DESC, s.reference"
        );
        // Read through a portal a batch at a time: the search stops at the limit.
        let tx = client.transaction().await?;
        let prepared = tx.prepare(&statement).await?;
        let portal = tx.bind(&prepared, &[&clinic, &since, &until]).await?;
        let mut found = Vec::new();
        'batches: loop {
            let batch = tx.query_portal(&portal, 256).await?;
            if batch.is_empty() {
                break;
            }
            for row in &batch {
                let row = read_row(row);
                if wanted(&row) {
                    found.push(row);
                    if found.len() >= limit {
                        break 'batches;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(found)
    }

    pub(super) async fn by_reference(&self, clinic: &str, reference: &str) -> Result<Option<Row>> {
        let client = self.pool.get().await?;
        let statement = format!(
            "SELECT s.reference, to_char(s.received_at, {MS}), s.body, r.account, to_char(r.at, {S})
             FROM submissions s LEFT JOIN reviews r ON r.reference = s.reference
             WHERE s.reference = $1 AND s.clinic = $2"
        );
        Ok(client
            .query_opt(&statement, &[&reference, &clinic])
            .await?
            .as_ref()
            .map(read_row))
    }

    pub(super) async fn received_since(
        &self,
        clinic: Option<&str>,
        since: &str,
    ) -> Result<Vec<Row>> {
        let client = self.pool.get().await?;
        let statement = format!(
            "SELECT reference, to_char(received_at, {MS}), body, NULL::text, NULL::text
             FROM submissions
             WHERE received_at >= $1::text::timestamptz AND ($2::text IS NULL OR clinic = $2)
             ORDER BY received_at, reference"
        );
        Ok(client
            .query(&statement, &[&since, &clinic])
            .await?
            .iter()
            .map(read_row)
            .collect())
    }

    pub(super) async fn add_account(
        &self,
        clinic: &str,
        name: &str,
        hash: &str,
    ) -> std::result::Result<(), String> {
        let client = self.pool.get().await.map_err(|e| StoreError::from(e).0)?;
        match client
            .execute(
                "INSERT INTO staff_accounts (name, clinic, password_hash) VALUES ($1, $2, $3)",
                &[&name, &clinic, &hash],
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
                Err(accounts::name_taken(name))
            }
            Err(e) => Err(StoreError::from(e).0),
        }
    }

    pub(super) async fn remove_account(&self, name: &str) -> Result<bool> {
        let client = self.pool.get().await?;
        // Sessions go with the account (ON DELETE CASCADE).
        Ok(client
            .execute("DELETE FROM staff_accounts WHERE name = $1", &[&name])
            .await?
            == 1)
    }

    pub(super) async fn accounts(&self) -> Result<Vec<Account>> {
        let client = self.pool.get().await?;
        let statement = format!(
            "SELECT name, clinic, to_char(created_at, {S}) FROM staff_accounts ORDER BY name"
        );
        Ok(client
            .query(&statement, &[])
            .await?
            .iter()
            .map(|r| Account {
                name: r.get(0),
                clinic: r.get(1),
                created_at: r.get(2),
            })
            .collect())
    }

    pub(super) async fn password_hash(&self, name: &str) -> Result<Option<(String, String)>> {
        let client = self.pool.get().await?;
        Ok(client
            .query_opt(
                "SELECT password_hash, clinic FROM staff_accounts WHERE name = $1",
                &[&name],
            )
            .await?
            .map(|r| (r.get(0), r.get(1))))
    }

    pub(super) async fn start_session(
        &self,
        account: &str,
        now_ms: i64,
    ) -> Result<(String, Session)> {
        let token = accounts::random_token().map_err(StoreError)?;
        let csrf = accounts::random_token().map_err(StoreError)?;
        let client = self.pool.get().await?;
        let row = client
            .query_one(
                "INSERT INTO staff_sessions (token_sha256, account, csrf, created_ms, last_seen_ms)
                 VALUES ($1, $2, $3, $4, $4)
                 RETURNING (SELECT clinic FROM staff_accounts WHERE name = $2)",
                &[&accounts::sha256_hex(&token), &account, &csrf, &now_ms],
            )
            .await?;
        Ok((
            token,
            Session {
                account: account.to_owned(),
                csrf,
                clinic: row.get(0),
            },
        ))
    }

    pub(super) async fn session(
        &self,
        token: &str,
        now_ms: i64,
        idle_ms: i64,
        max_ms: i64,
    ) -> Result<Option<Session>> {
        let key = accounts::sha256_hex(token);
        let client = self.pool.get().await?;
        let Some(found) = client
            .query_opt(
                "SELECT s.account, s.csrf, s.created_ms, s.last_seen_ms, a.clinic
                 FROM staff_sessions s JOIN staff_accounts a ON a.name = s.account
                 WHERE s.token_sha256 = $1",
                &[&key],
            )
            .await?
        else {
            return Ok(None);
        };
        if !accounts::is_alive(found.get(2), found.get(3), now_ms, idle_ms, max_ms) {
            client
                .execute(
                    "DELETE FROM staff_sessions WHERE token_sha256 = $1",
                    &[&key],
                )
                .await?;
            return Ok(None);
        }
        client
            .execute(
                "UPDATE staff_sessions SET last_seen_ms = GREATEST(last_seen_ms, $2)
                 WHERE token_sha256 = $1",
                &[&key, &now_ms],
            )
            .await?;
        Ok(Some(Session {
            account: found.get(0),
            csrf: found.get(1),
            clinic: found.get(4),
        }))
    }

    pub(super) async fn end_session(&self, token: &str) -> Result<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM staff_sessions WHERE token_sha256 = $1",
                &[&accounts::sha256_hex(token)],
            )
            .await?;
        Ok(())
    }

    pub(super) async fn record(
        &self,
        clinic: &str,
        account: &str,
        action: &str,
        reference: Option<&str>,
    ) -> Result<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "INSERT INTO audit (clinic, account, action, reference) VALUES ($1, $2, $3, $4)",
                &[&clinic, &account, &action, &reference],
            )
            .await?;
        Ok(())
    }

    pub(super) async fn events(&self, clinic: Option<&str>, since: &str) -> Result<Vec<Event>> {
        let client = self.pool.get().await?;
        let statement = format!(
            "SELECT to_char(at, {MS}), account, action, reference FROM audit
             WHERE at >= $1::text::timestamptz AND ($2::text IS NULL OR clinic = $2)
             ORDER BY seq"
        );
        Ok(client
            .query(&statement, &[&since, &clinic])
            .await?
            .iter()
            .map(|r| Event {
                at: r.get(0),
                account: r.get(1),
                action: r.get(2),
                reference: r.get(3),
            })
            .collect())
    }

    pub(super) async fn mark_reviewed(
        &self,
        reference: &str,
        account: &str,
    ) -> Result<(String, String)> {
        let client = self.pool.get().await?;
        client
            .execute(
                "INSERT INTO reviews (reference, account) VALUES ($1, $2)
                 ON CONFLICT (reference) DO NOTHING",
                &[&reference, &account],
            )
            .await?;
        let statement =
            format!("SELECT account, to_char(at, {S}) FROM reviews WHERE reference = $1");
        let row = client.query_one(&statement, &[&reference]).await?;
        Ok((row.get(0), row.get(1)))
    }
}

fn read_row(row: &tokio_postgres::Row) -> Row {
    let by: Option<String> = row.get(3);
    let at: Option<String> = row.get(4);
    Row {
        reference: row.get(0),
        received_at: row.get(1),
        body: row.get(2),
        reviewed: by.zip(at),
    }
}
