//! `intake-receiver export`: the stored submissions for staff, as JSON lines
//! (everything) or CSV (one row a submission, the columns a front desk needs).
//! `intake-receiver open --key FILE` does the same and also opens the sealed
//! ones with the clinic's private key.

use std::io::Write;

use intake_core::sealed::{open, Envelope, KeyPair, SEALED_SCHEMA};
use intake_core::{Date, Rules, Submission};
use serde_json::Value;

use crate::store::{self, Database};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object a line: reference, received_at and the submission.
    Jsonl,
    /// One row a submission, the main answers as columns (UTF-8 with a byte
    /// order mark, CRLF line ends). A cell that begins with = + - @ tab, CR
    /// or ' gets a ' in front so a spreadsheet shows it as text and never
    /// runs it: drop one leading ' to read the value (a phone reads
    /// '+14015550134).
    Csv,
}

/// The CSV columns after the reference and the time received, each a JSON
/// pointer into the submission (the flags come last).
pub const COLUMNS: &[(&str, &str)] = &[
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

/// A cell as written to the CSV export: one that a spreadsheet could take
/// for a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, OWASP's list) gets a `'` in front, which spreadsheets show as
/// text and never run; so does one that already begins with `'`, so that
/// the rule can be undone without doubt: drop one leading `'` from any cell
/// that has one ([`restored`]). A phone (`+14015550134`) reads back as
/// `'+14015550134`: shown as written, not turned into a number.
pub fn neutralised(cell: String) -> String {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'') => format!("'{cell}"),
        _ => cell,
    }
}

/// A cell of the CSV export as it was before [`neutralised`].
pub fn restored(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// What an export did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// Submissions written.
    pub written: usize,
    /// Sealed submissions left out (no key given).
    pub sealed_skipped: usize,
    /// Sealed submissions that could not be opened or read; each is named on
    /// the problem output.
    pub failed: usize,
}

/// Writes every submission received on or after `since` (`YYYY-MM-DD`, UTC)
/// to `out`; returns how many. Sealed submissions are left out.
pub fn export(
    db: impl Into<Database>,
    since: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<usize, String> {
    export_opening(db, None, since, format, None, out, &mut std::io::sink()).map(|e| e.written)
}

/// The submission in a sealed envelope, opened with `keys` and checked.
fn unseal(body: &Value, keys: &KeyPair, received_at: &str) -> Result<Value, String> {
    let envelope: Envelope =
        serde_json::from_value(body.clone()).map_err(|_| "not a readable envelope".to_owned())?;
    let plain = open(&envelope, keys).map_err(|e| match e {
        intake_core::sealed::SealError::OtherKey => format!(
            "sealed to key {}, not to this key ({})",
            envelope.key_id,
            keys.public_key().id()
        ),
        other => other.to_string(),
    })?;
    let submission: Submission = match envelope.content_type.as_str() {
        "application/fhir+json" => serde_json::from_slice::<Value>(&plain)
            .ok()
            .and_then(|qr| intake_core::fhir::from_questionnaire_response(&qr).ok()),
        _ => serde_json::from_slice::<Value>(&plain)
            .ok()
            .and_then(|json| Submission::from_json_value(json).ok()),
    }
    .ok_or_else(|| "opened, but it is not a massage-intake submission".to_owned())?;
    if submission.submission_id != envelope.submission_id {
        return Err("opened, but its id is not the envelope's".to_owned());
    }
    // The rules as of the day it arrived (plus one, as the receiver does).
    let day = Date::parse(received_at.get(..10).unwrap_or(""))
        .map(|d| Date::from_days_since_epoch(d.days_since_epoch() + 1));
    if let Some(today) = day {
        let report = submission.validate(&Rules::on(today));
        if !report.is_valid() {
            let paths: Vec<String> = report
                .errors
                .iter()
                .map(|e| format!("{} ({})", e.path, e.code.as_str()))
                .collect();
            return Err(format!(
                "opened, but it breaks the rules: {}",
                paths.join(", ")
            ));
        }
    }
    serde_json::to_value(&submission).map_err(|e| e.to_string())
}

/// [`export`] of one clinic's submissions (`None`: every clinic's),
/// opening sealed submissions with `keys` when given; a sealed submission
/// that cannot be opened is named on `problems` and the rest go on.
pub fn export_opening(
    db: impl Into<Database>,
    clinic: Option<&str>,
    since: &str,
    format: Format,
    keys: Option<&KeyPair>,
    out: &mut dyn Write,
    problems: &mut dyn Write,
) -> Result<Exported, String> {
    if intake_core::Date::parse(since).is_none() {
        return Err(format!(
            "--since takes a date like 2026-11-01, not `{since}`"
        ));
    }
    let db = db.into();
    if let Some(path) = db.sqlite_path() {
        // Reading never makes a database: a mistyped path is an error.
        if !path.exists() {
            return Err(format!("cannot open {}: no such file", path.display()));
        }
    }
    let (clinic, day) = (clinic.map(str::to_owned), since.to_owned());
    let rows = store::blocking(&db, move |store| async move {
        store.received_since(clinic.as_deref(), &day).await
    })
    .map_err(|e| format!("cannot read {}: {e}", db.describe()))?;
    let mut csv = (format == Format::Csv).then(|| {
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new())
    });
    if let Some(w) = csv.as_mut() {
        let header: Vec<&str> = ["reference", "received_at"]
            .into_iter()
            .chain(COLUMNS.iter().map(|(name, _)| *name))
            .chain(["flags"])
            .collect();
        w.write_record(&header).map_err(|e| e.to_string())?;
    }
    let mut done = Exported::default();
    for row in rows {
        let (reference, received_at, body) = (row.reference, row.received_at, row.body);
        let mut submission: Value = serde_json::from_str(&body)
            .map_err(|e| format!("{reference}: stored body is not JSON ({e})"))?;
        if submission["schema"] == SEALED_SCHEMA {
            let Some(keys) = keys else {
                done.sealed_skipped += 1;
                continue;
            };
            match unseal(&submission, keys, &received_at) {
                Ok(opened) => submission = opened,
                Err(problem) => {
                    done.failed += 1;
                    let _ = writeln!(problems, "{reference}: {problem}");
                    continue;
                }
            }
        }
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
                let record: Vec<String> = record.into_iter().map(neutralised).collect();
                w.write_record(&record).map_err(|e| e.to_string())?;
            }
        }
        done.written += 1;
    }
    if let Some(w) = csv {
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        // A UTF-8 byte order mark first: without it, spreadsheets read the
        // file in the system's legacy encoding ("JosÃ©" for "José").
        out.write_all("\u{feff}".as_bytes())
            .and_then(|()| out.write_all(&bytes))
            .map_err(|e| e.to_string())?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text_and_the_rule_undoes() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+14015550134", "'+14015550134"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("Ana", "Ana"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralised(cell.to_owned()), written, "{cell:?}");
            assert_eq!(restored(written), cell);
        }
    }
}
