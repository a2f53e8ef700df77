//! The receiver's configuration: flags, environment variables, or a TOML
//! file, one set of names for all three. A flag or variable overrides the
//! file; the file overrides the defaults.
//!
//! ```toml
//! addr = "127.0.0.1:8080"
//! db = "/var/lib/massage-intake/intake.sqlite3"
//! dist = "/srv/massage-intake/dist"
//! cors_origins = ["https://harbor-massage.example"]
//! rate_limit_per_minute = 30
//! trust_forwarded_for = true
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Deserialize;

use crate::Settings;

/// Every setting, each optional so that sources can be layered.
#[derive(Args, Deserialize, Debug, Default, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReceiverConfig {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "INTAKE_ADDR")]
    pub addr: Option<SocketAddr>,
    /// SQLite file that holds the submissions, created if missing [default: data/intake.sqlite3].
    #[arg(long, env = "INTAKE_DB")]
    pub db: Option<PathBuf>,
    /// Folder of the built widget to serve at `/` (e.g. `dist`).
    #[arg(long, env = "INTAKE_DIST")]
    pub dist: Option<PathBuf>,
    /// Widget configuration file to serve at `/intake.config.json`.
    #[arg(long, env = "INTAKE_WIDGET_CONFIG")]
    pub widget_config: Option<PathBuf>,
    /// Largest accepted request body, in bytes [default: 2097152].
    #[arg(long, env = "INTAKE_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Seconds a request body may take to arrive [default: 10].
    #[arg(long, env = "INTAKE_BODY_TIMEOUT_SECONDS")]
    pub body_timeout_seconds: Option<u64>,
    /// Days a prescription stays current; older ones are accepted with a warning [default: 365].
    #[arg(long, env = "INTAKE_PRESCRIPTION_VALIDITY_DAYS")]
    pub prescription_validity_days: Option<i64>,
    /// Origins whose pages may post from the browser (repeat, or comma-separate in the variable).
    #[arg(
        long = "cors-origin",
        env = "INTAKE_CORS_ORIGINS",
        value_delimiter = ','
    )]
    #[serde(default)]
    pub cors_origins: Vec<String>,
    /// Origins whose pages may show the widget in a frame (repeat, or
    /// comma-separate in the variable); none but the receiver's own otherwise.
    #[arg(
        long = "frame-ancestor",
        env = "INTAKE_FRAME_ANCESTORS",
        value_delimiter = ','
    )]
    #[serde(default)]
    pub frame_ancestors: Vec<String>,
    /// Submissions accepted per client address per minute; off unless set.
    #[arg(long, env = "INTAKE_RATE_LIMIT_PER_MINUTE")]
    pub rate_limit_per_minute: Option<u32>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    #[arg(long, env = "INTAKE_TRUST_FORWARDED_FOR")]
    #[serde(default)]
    pub trust_forwarded_for: Option<bool>,
}

impl ReceiverConfig {
    /// Reads a TOML file's text, naming the problem when it does not fit.
    pub fn from_toml(text: &str) -> Result<ReceiverConfig, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// `self` with every setting `over` gives replacing it.
    pub fn overlay(self, over: ReceiverConfig) -> ReceiverConfig {
        ReceiverConfig {
            addr: over.addr.or(self.addr),
            db: over.db.or(self.db),
            dist: over.dist.or(self.dist),
            widget_config: over.widget_config.or(self.widget_config),
            max_body_bytes: over.max_body_bytes.or(self.max_body_bytes),
            body_timeout_seconds: over.body_timeout_seconds.or(self.body_timeout_seconds),
            prescription_validity_days: over
                .prescription_validity_days
                .or(self.prescription_validity_days),
            cors_origins: if over.cors_origins.is_empty() {
                self.cors_origins
            } else {
                over.cors_origins
            },
            frame_ancestors: if over.frame_ancestors.is_empty() {
                self.frame_ancestors
            } else {
                over.frame_ancestors
            },
            rate_limit_per_minute: over.rate_limit_per_minute.or(self.rate_limit_per_minute),
            trust_forwarded_for: over.trust_forwarded_for.or(self.trust_forwarded_for),
        }
    }

    /// The address to listen on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    /// The database file.
    pub fn db(&self) -> PathBuf {
        self.db
            .clone()
            .unwrap_or_else(|| PathBuf::from("data/intake.sqlite3"))
    }

    /// The receiver's settings, defaults filled in.
    pub fn settings(&self) -> Settings {
        let defaults = Settings::new(self.db());
        Settings {
            db: self.db(),
            dist: self.dist.clone(),
            widget_config: self.widget_config.clone(),
            max_body_bytes: self.max_body_bytes.unwrap_or(defaults.max_body_bytes),
            body_timeout: self
                .body_timeout_seconds
                .map(Duration::from_secs)
                .unwrap_or(defaults.body_timeout),
            prescription_validity_days: self
                .prescription_validity_days
                .unwrap_or(defaults.prescription_validity_days),
            cors_origins: self.cors_origins.clone(),
            frame_ancestors: self.frame_ancestors.clone(),
            rate_limit_per_minute: self.rate_limit_per_minute,
            trust_forwarded_for: self.trust_forwarded_for.unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_and_flags_win_over_it() {
        let file = ReceiverConfig::from_toml(
            r#"addr = "0.0.0.0:9000"
               db = "/var/lib/intake.sqlite3"
               cors_origins = ["https://clinic.example"]
               rate_limit_per_minute = 30"#,
        )
        .expect("valid file");
        let flags = ReceiverConfig {
            addr: Some("127.0.0.1:7000".parse().expect("addr")),
            ..ReceiverConfig::default()
        };
        let merged = file.overlay(flags);
        assert_eq!(merged.addr().to_string(), "127.0.0.1:7000", "the flag wins");
        let settings = merged.settings();
        assert_eq!(
            settings.db,
            PathBuf::from("/var/lib/intake.sqlite3"),
            "the file fills what flags leave out"
        );
        assert_eq!(settings.cors_origins, ["https://clinic.example"]);
        assert_eq!(settings.rate_limit_per_minute, Some(30));
        assert_eq!(
            settings.max_body_bytes,
            2 * 1024 * 1024,
            "defaults fill the rest"
        );
        assert!(!settings.trust_forwarded_for);
    }

    #[test]
    fn nothing_given_means_the_documented_defaults() {
        let c = ReceiverConfig::default();
        assert_eq!(c.addr().to_string(), "127.0.0.1:8080");
        let s = c.settings();
        assert_eq!(
            (s.db, s.body_timeout, s.prescription_validity_days),
            (
                PathBuf::from("data/intake.sqlite3"),
                Duration::from_secs(10),
                365
            )
        );
        assert_eq!(
            s.rate_limit_per_minute, None,
            "rate limiting is off by default"
        );
    }

    #[test]
    fn a_misspelt_or_mistyped_setting_is_named() {
        let err = ReceiverConfig::from_toml("adr = \"127.0.0.1:1\"").expect_err("unknown key");
        assert!(err.contains("adr"), "{err}");
        let err = ReceiverConfig::from_toml("max_body_bytes = \"lots\"").expect_err("wrong type");
        assert!(err.contains("max_body_bytes"), "{err}");
    }
}
