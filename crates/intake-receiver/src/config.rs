//! The receiver's configuration: flags, environment variables, or a TOML
//! file, one set of names for all three. A flag or variable overrides the
//! file; the file overrides the defaults.
//!
//! ```toml
//! addr = "127.0.0.1:8080"
//! database_url = "sqlite:/var/lib/massage-intake/intake.sqlite3"
//! # or: database_url = "postgres://intake@db.internal/intake"
//! dist = "/srv/massage-intake/dist"
//! cors_origins = ["https://harbor-massage.example"]
//! rate_limit_per_minute = 30
//! trusted_proxies = ["10.0.0.2"]
//! header_timeout_seconds = 10
//! max_connections = 512
//! accept_sealed = true
//! staff_idle_minutes = 15
//! staff_max_session_hours = 12
//! https = true
//!
//! # More clinics, each with its own endpoints, sites, sealing and staff.
//! [[clinics]]
//! id = "riverside"
//! path = "/clinics/riverside"
//! cors_origins = ["https://riverside-massage.example"]
//! accept_sealed = true
//! ```
//!
//! A bad value is a start-up error that names its setting.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Deserialize;

use crate::{Clinic, Database, Settings};

/// One more clinic, as the TOML file describes it (`[[clinics]]`).
#[derive(Deserialize, Debug, Default, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClinicConfig {
    /// Lower-case letters, digits and `-`.
    pub id: String,
    /// Where its endpoints are [default: /clinics/{id}].
    pub path: Option<String>,
    #[serde(default)]
    pub cors_origins: Vec<String>,
    pub accept_sealed: Option<bool>,
}

/// Paths the receiver serves itself, which no clinic's path may take.
const RESERVED_PATHS: &[&str] = &["/api", "/fhir", "/staff", "/schema", "/healthz"];

impl ClinicConfig {
    fn clinic(&self) -> Result<Clinic, String> {
        let id = self.id.trim();
        let fine_id = !id.is_empty()
            && id.len() <= 40
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !fine_id {
            return Err(format!(
                "clinics: `{id}` is not a clinic id: use 1 to 40 lower-case letters, digits or `-`"
            ));
        }
        let path = self
            .path
            .as_deref()
            .map(|p| p.trim().trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("/clinics/{id}"));
        let fine_path = path.len() > 1
            && path.starts_with('/')
            && !path.contains("//")
            && path.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'/')
            })
            && !RESERVED_PATHS
                .iter()
                .any(|r| path == *r || path.starts_with(&format!("{r}/")));
        if !fine_path {
            return Err(format!(
                "clinics.{id}.path: `{path}` is not a path like /clinics/{id} (lower case, not under {})",
                RESERVED_PATHS.join(", ")
            ));
        }
        let cors_origins = self
            .cors_origins
            .iter()
            .filter(|o| !o.trim().is_empty())
            .map(|o| origin(&format!("clinics.{id}.cors_origins"), o))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Clinic {
            id: id.to_owned(),
            path,
            cors_origins,
            accept_sealed: self.accept_sealed.unwrap_or(false),
        })
    }
}

/// Every setting, each optional so that sources can be layered.
#[derive(Args, Deserialize, Debug, Default, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReceiverConfig {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "INTAKE_ADDR")]
    pub addr: Option<SocketAddr>,
    /// SQLite file that holds the submissions, created if missing
    /// [default: data/intake.sqlite3]; the same as `--database-url sqlite:PATH`
    /// (a `postgres://` URL is taken here too).
    #[arg(long, env = "INTAKE_DB")]
    pub db: Option<PathBuf>,
    /// Where submissions are kept: `sqlite:PATH`, or
    /// `postgres://user:password@host:port/database` for a database that
    /// several receivers share.
    #[arg(long, env = "INTAKE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Connections to PostgreSQL this receiver keeps at most [default: 16].
    #[arg(long, env = "INTAKE_DATABASE_POOL_SIZE")]
    pub database_pool_size: Option<usize>,
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
    /// Addresses of proxies you run whose `X-Forwarded-For` names the client
    /// (repeat, or comma-separate in the variable); others' is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "INTAKE_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Seconds a connection may take to send a request's headers, and that an
    /// idle connection stays open [default: 10].
    #[arg(long, env = "INTAKE_HEADER_TIMEOUT_SECONDS")]
    pub header_timeout_seconds: Option<u64>,
    /// Connections served at once; more wait to be accepted [default: 512].
    #[arg(long, env = "INTAKE_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Accept sealed submissions (set when the widget has a `public_key`);
    /// refused with `sealed_not_expected` otherwise [default: false].
    #[arg(long, env = "INTAKE_ACCEPT_SEALED")]
    pub accept_sealed: Option<bool>,
    /// The staff inbox signs a staff member out after this many minutes
    /// without use [default: 15].
    #[arg(long, env = "INTAKE_STAFF_IDLE_MINUTES")]
    pub staff_idle_minutes: Option<u64>,
    /// ...and at the latest this many hours after login [default: 12].
    #[arg(long, env = "INTAKE_STAFF_MAX_SESSION_HOURS")]
    pub staff_max_session_hours: Option<u64>,
    /// The receiver is reached over TLS (a proxy in front of it): the staff
    /// session cookie is then `Secure` and `__Host-` [default: false].
    #[arg(long, env = "INTAKE_HTTPS")]
    pub https: Option<bool>,
    /// More clinics (the TOML file's `[[clinics]]` only).
    #[arg(skip)]
    #[serde(default)]
    pub clinics: Vec<ClinicConfig>,
}

/// An origin as a browser sends it, `https://host[:port]` (or `http://`),
/// without a path; a trailing `/` and spaces around it are dropped.
pub fn origin(setting: &str, text: &str) -> Result<String, String> {
    let origin = text.trim().trim_end_matches('/');
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let fine = host.is_some_and(|h| {
        !h.is_empty()
            && !h.starts_with(':')
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    });
    if fine {
        // As a browser sends it: lower case, and no port when it is the
        // scheme's own (`https://a.example:443` is `https://a.example`).
        let origin = origin.to_ascii_lowercase();
        let origin = origin
            .strip_suffix(":443")
            .filter(|o| o.starts_with("https://"))
            .or_else(|| {
                origin
                    .strip_suffix(":80")
                    .filter(|o| o.starts_with("http://"))
            })
            .map(str::to_owned)
            .unwrap_or(origin);
        Ok(origin)
    } else if origin == "*" {
        Err(format!(
            "{setting}: `*` would let any website read replies about patients; list each site's origin, like https://clinic.example"
        ))
    } else {
        Err(format!(
            "{setting}: `{}` is not an origin like https://clinic.example (scheme and host, an optional port, no path)",
            text.trim()
        ))
    }
}

impl ReceiverConfig {
    /// Reads a TOML file's text, naming the problem when it does not fit.
    pub fn from_toml(text: &str) -> Result<ReceiverConfig, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// `self` with every setting `over` gives replacing it.
    pub fn overlay(self, over: ReceiverConfig) -> ReceiverConfig {
        let over_names_database = over.db.is_some() || over.database_url.is_some();
        ReceiverConfig {
            addr: over.addr.or(self.addr),
            // A database named by the higher layer replaces the lower's,
            // whichever way each names it.
            db: if over_names_database {
                over.db
            } else {
                self.db
            },
            database_url: if over_names_database {
                over.database_url
            } else {
                self.database_url
            },
            database_pool_size: over.database_pool_size.or(self.database_pool_size),
            clinics: if over.clinics.is_empty() {
                self.clinics
            } else {
                over.clinics
            },
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
            trusted_proxies: if over.trusted_proxies.is_empty() {
                self.trusted_proxies
            } else {
                over.trusted_proxies
            },
            header_timeout_seconds: over.header_timeout_seconds.or(self.header_timeout_seconds),
            max_connections: over.max_connections.or(self.max_connections),
            accept_sealed: over.accept_sealed.or(self.accept_sealed),
            staff_idle_minutes: over.staff_idle_minutes.or(self.staff_idle_minutes),
            staff_max_session_hours: over
                .staff_max_session_hours
                .or(self.staff_max_session_hours),
            https: over.https.or(self.https),
        }
    }

    /// The address to listen on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    /// The database: `database_url`, else `db`, else the default file.
    pub fn database(&self) -> Result<Database, String> {
        match (&self.database_url, &self.db) {
            (Some(_), Some(_)) => Err(
                "database_url and db both name a database: keep one (db = PATH is sqlite:PATH)"
                    .to_owned(),
            ),
            (Some(url), None) => Database::parse(url),
            // `db` takes a URL too, as the subcommands' `--db` does.
            (None, Some(path)) => Database::parse(&path.to_string_lossy()),
            (None, None) => Ok(Database::Sqlite(PathBuf::from("data/intake.sqlite3"))),
        }
    }

    /// The receiver's settings, defaults filled in, or what is wrong with
    /// one, named as in the file.
    pub fn settings(&self) -> Result<Settings, String> {
        let database = self.database()?;
        let defaults = Settings::new(database.clone());
        let origins = |setting: &str, list: &[String]| -> Result<Vec<String>, String> {
            list.iter()
                .filter(|o| !o.trim().is_empty())
                .map(|o| origin(setting, o))
                .collect()
        };
        let cors_origins = origins("cors_origins", &self.cors_origins)?;
        let frame_ancestors = origins("frame_ancestors", &self.frame_ancestors)?;
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                p.trim().parse().map_err(|_| {
                    format!(
                        "trusted_proxies: `{}` is not an IP address like 10.0.0.2",
                        p.trim()
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let positive = |setting: &str, value: Option<u64>| match value {
            Some(0) => Err(format!("{setting}: must be more than 0")),
            _ => Ok(()),
        };
        positive("max_body_bytes", self.max_body_bytes.map(|v| v as u64))?;
        positive("body_timeout_seconds", self.body_timeout_seconds)?;
        positive("header_timeout_seconds", self.header_timeout_seconds)?;
        positive("max_connections", self.max_connections.map(|v| v as u64))?;
        positive(
            "rate_limit_per_minute",
            self.rate_limit_per_minute.map(u64::from),
        )?;
        positive("staff_idle_minutes", self.staff_idle_minutes)?;
        positive("staff_max_session_hours", self.staff_max_session_hours)?;
        positive(
            "database_pool_size",
            self.database_pool_size.map(|v| v as u64),
        )?;
        let clinics = self
            .clinics
            .iter()
            .map(ClinicConfig::clinic)
            .collect::<Result<Vec<_>, _>>()?;
        for (i, clinic) in clinics.iter().enumerate() {
            if let Some(other) = clinics[..i]
                .iter()
                .find(|c| c.id == clinic.id || c.path == clinic.path)
            {
                return Err(format!(
                    "clinics: `{}` and `{}` have the same id or path",
                    other.id, clinic.id
                ));
            }
        }
        if self.prescription_validity_days.is_some_and(|d| d < 1) {
            return Err("prescription_validity_days: must be 1 or more".to_owned());
        }
        if let (Some(dist), Some(db)) = (&self.dist, database.sqlite_path()) {
            crate::db_outside_dist(db, dist)?;
        }
        Ok(Settings {
            db: database,
            db_pool_size: self.database_pool_size.unwrap_or(defaults.db_pool_size),
            clinics,
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
            cors_origins,
            frame_ancestors,
            rate_limit_per_minute: self.rate_limit_per_minute,
            trusted_proxies,
            header_timeout: self
                .header_timeout_seconds
                .map(Duration::from_secs)
                .unwrap_or(defaults.header_timeout),
            max_connections: self.max_connections.unwrap_or(defaults.max_connections),
            accept_sealed: self.accept_sealed.unwrap_or(false),
            staff: crate::staff::StaffSettings {
                idle: self
                    .staff_idle_minutes
                    .map_or(defaults.staff.idle, |m| Duration::from_secs(m * 60)),
                max: self
                    .staff_max_session_hours
                    .map_or(defaults.staff.max, |h| Duration::from_secs(h * 3600)),
                https: self.https.unwrap_or(false),
                limits: defaults.staff.limits,
            },
        })
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
        let settings = merged.settings().expect("valid settings");
        assert_eq!(
            settings.db,
            Database::Sqlite(PathBuf::from("/var/lib/intake.sqlite3")),
            "the file fills what flags leave out"
        );
        assert_eq!(settings.cors_origins, ["https://clinic.example"]);
        assert_eq!(settings.rate_limit_per_minute, Some(30));
        assert_eq!(
            settings.max_body_bytes,
            2 * 1024 * 1024,
            "defaults fill the rest"
        );
        assert!(settings.trusted_proxies.is_empty());
        assert!(!settings.accept_sealed);
    }

    #[test]
    fn nothing_given_means_the_documented_defaults() {
        let c = ReceiverConfig::default();
        assert_eq!(c.addr().to_string(), "127.0.0.1:8080");
        let s = c.settings().expect("defaults are valid");
        assert_eq!(
            (s.db, s.body_timeout, s.prescription_validity_days),
            (
                Database::Sqlite(PathBuf::from("data/intake.sqlite3")),
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

    #[test]
    fn every_bad_setting_is_named_and_lists_take_spaces() {
        let with = |text: &str| ReceiverConfig::from_toml(text).expect("parses").settings();
        for (file, named) in [
            (r#"cors_origins = ["*"]"#, "cors_origins: `*`"),
            (r#"cors_origins = ["clinic.example"]"#, "cors_origins"),
            (
                r#"cors_origins = ["https://clinic.example/intake"]"#,
                "cors_origins",
            ),
            (
                r#"frame_ancestors = ["javascript:alert(1)"]"#,
                "frame_ancestors",
            ),
            (r#"trusted_proxies = ["10.0.0.300"]"#, "trusted_proxies"),
            ("max_connections = 0", "max_connections"),
            ("header_timeout_seconds = 0", "header_timeout_seconds"),
            ("body_timeout_seconds = 0", "body_timeout_seconds"),
            ("rate_limit_per_minute = 0", "rate_limit_per_minute"),
            (
                "prescription_validity_days = -5",
                "prescription_validity_days",
            ),
        ] {
            let err = with(file).expect_err(file);
            assert!(err.starts_with(named), "{file}: {err}");
        }
        let settings = with(
            r#"cors_origins = [" https://a.example", "https://B.example/ ", ""]
               trusted_proxies = [" 10.0.0.2 ", "::1"]"#,
        )
        .expect("valid");
        assert_eq!(
            settings.cors_origins,
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(
            settings.trusted_proxies,
            [
                "10.0.0.2".parse::<std::net::IpAddr>().expect("ip"),
                "::1".parse().expect("ip")
            ]
        );
    }

    #[test]
    fn a_database_url_names_sqlite_or_postgres_and_a_higher_layer_replaces_it() {
        let file = ReceiverConfig::from_toml(r#"db = "/var/lib/intake.sqlite3""#).expect("valid");
        let flags = ReceiverConfig {
            database_url: Some("postgres://intake@127.0.0.1:5432/intake".to_owned()),
            ..ReceiverConfig::default()
        };
        let settings = file.clone().overlay(flags).settings().expect("valid");
        assert!(
            matches!(settings.db, Database::Postgres(_)),
            "{:?}",
            settings.db
        );
        let both = ReceiverConfig::from_toml(
            r#"db = "a.sqlite3"
               database_url = "sqlite:b.sqlite3""#,
        )
        .expect("parses");
        let err = both.settings().expect_err("two databases");
        assert!(err.starts_with("database_url and db"), "{err}");
        let err = ReceiverConfig::from_toml(r#"database_url = "mysql://x/y""#)
            .expect("parses")
            .settings()
            .expect_err("not a database we keep");
        assert!(err.starts_with("database_url"), "{err}");
    }

    #[test]
    fn clinics_are_read_from_the_file_and_each_bad_one_is_named() {
        let settings = ReceiverConfig::from_toml(
            r#"[[clinics]]
               id = "riverside"
               cors_origins = ["https://riverside.example/"]
               accept_sealed = true
               [[clinics]]
               id = "north-end"
               path = "/north/"
            "#,
        )
        .expect("parses")
        .settings()
        .expect("valid");
        assert_eq!(
            settings.clinics,
            [
                Clinic {
                    id: "riverside".to_owned(),
                    path: "/clinics/riverside".to_owned(),
                    cors_origins: vec!["https://riverside.example".to_owned()],
                    accept_sealed: true,
                },
                Clinic {
                    id: "north-end".to_owned(),
                    path: "/north".to_owned(),
                    cors_origins: Vec::new(),
                    accept_sealed: false,
                },
            ]
        );
        for (file, named) in [
            ("[[clinics]]\nid = \"River Side\"", "clinics: `River Side`"),
            (
                "[[clinics]]\nid = \"a\"\npath = \"/staff/a\"",
                "clinics.a.path",
            ),
            ("[[clinics]]\nid = \"a\"\npath = \"nope\"", "clinics.a.path"),
            (
                "[[clinics]]\nid = \"a\"\ncors_origins = [\"*\"]",
                "clinics.a.cors_origins",
            ),
            (
                "[[clinics]]\nid = \"a\"\n[[clinics]]\nid = \"a\"",
                "clinics: `a`",
            ),
            ("[[clinics]]\nid = \"a\"\ncolour = 1", "unknown field"),
        ] {
            let err = ReceiverConfig::from_toml(file)
                .and_then(|c| c.settings())
                .expect_err(file);
            assert!(err.contains(named), "{file}: {err}");
        }
    }
}
