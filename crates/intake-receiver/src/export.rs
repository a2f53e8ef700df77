//! `intake-receiver export`: the stored submissions for staff, as JSON lines
//! (everything) or CSV (one row a submission, the columns a front desk needs).

use std::io::Write;
use std::path::Path;

use rusqlite::{params, Connection, OpenFlags};
use serde_json::Value;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object a line: reference, received_at and the submission.
    Jsonl,
    /// One row a submission, the main answers as columns.
    Csv,
}

/// The CSV columns, each a JSON pointer into the submission.
const COLUMNS: &[(&str, &str)] = &[
    ("submission_id", "/submission_id"),
    ("submitted_at", "/submitted_at"),
    ("given_name", "/patient/given_name"),
    ("family_name", "/patient/family_name"),
    ("date_of_birth", "/patient/date_of_birth"),
    ("phone", "/patient/phone"),
    ("email", "/patient/email"),
    ("reason", "/visit/reason"),
    ("has_prescription", "/prescription/has_prescription"),
    ("payer", "/payer/kind"),
    ("locale", "/locale"),
    ("mode", "/mode"),
];

/// Writes every submission received on or after `since` (`YYYY-MM-DD`, UTC)
/// to `out`; returns how many.
pub fn export(
    db: &Path,
    since: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<usize, String> {
    if intake_core::Date::parse(since).is_none() {
        return Err(format!(
            "--since takes a date like 2026-11-01, not `{since}`"
        ));
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    let mut stmt = conn
        .prepare("SELECT reference, received_at, body FROM submissions WHERE received_at >= ?1 ORDER BY received_at, reference")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map(params![since], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    let mut csv = (format == Format::Csv).then(|| csv::Writer::from_writer(Vec::new()));
    if let Some(w) = csv.as_mut() {
        let header: Vec<&str> = ["reference", "received_at"]
            .into_iter()
            .chain(COLUMNS.iter().map(|(name, _)| *name))
            .chain(["flags"])
            .collect();
        w.write_record(&header).map_err(|e| e.to_string())?;
    }
    let mut count = 0;
    for row in rows {
        let (reference, received_at, body) = row.map_err(|e| e.to_string())?;
        let submission: Value = serde_json::from_str(&body)
            .map_err(|e| format!("{reference}: stored body is not JSON ({e})"))?;
        match csv.as_mut() {
            None => {
                let line = serde_json::json!({ "reference": reference, "received_at": received_at, "submission": submission });
                writeln!(out, "{line}").map_err(|e| e.to_string())?;
            }
            Some(w) => {
                let text = |pointer: &str| match submission.pointer(pointer) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                let flags: Vec<&str> = submission["flags"]
                    .as_array()
                    .map(|f| f.iter().filter_map(|f| f["code"].as_str()).collect())
                    .unwrap_or_default();
                let mut record = vec![reference, received_at];
                record.extend(COLUMNS.iter().map(|(_, pointer)| text(pointer)));
                record.push(flags.join(";"));
                w.write_record(&record).map_err(|e| e.to_string())?;
            }
        }
        count += 1;
    }
    if let Some(w) = csv {
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(count)
}
