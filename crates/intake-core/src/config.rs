//! The widget's configuration and where it comes from.
//!
//! Sources, later wins: built-in defaults < `intake.config.json` on the widget's
//! own origin < a few presentation-only URL parameters (`mode`, `lang`, `view`).
//! The endpoint is never taken from the URL: a crafted link must not be able to
//! send a patient's answers anywhere else. Every problem is reported, none is
//! silently ignored.
//!
//! ```
//! use intake_core::config::{resolve, Mode};
//! let r = resolve(Ok(r#"{"endpoint": "/api/v1/submissions"}"#), "mode=kiosk&endpoint=https://evil.example");
//! assert_eq!(r.config.endpoint.as_ref().map(|e| e.as_str()), Some("/api/v1/submissions"));
//! assert_eq!(r.config.mode, Mode::Kiosk);
//! ```

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};
use crate::learn::{parse_overrides, ContentProblem, LearnOverrides};
use crate::phone::PhoneNumber;
pub use crate::value::ConfigValue;

/// Where the widget runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Mode {
    /// The intake page on its own, for a patient at home.
    #[default]
    Standalone,
    /// A shared tablet in the waiting room.
    Kiosk,
    /// Inside a frame on the clinic's website.
    Embedded,
}

impl Mode {
    fn parse(s: &str) -> Option<Mode> {
        match s {
            "standalone" => Some(Mode::Standalone),
            "kiosk" => Some(Mode::Kiosk),
            "embedded" => Some(Mode::Embedded),
            _ => None,
        }
    }
}

/// What the patient sees first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StartView {
    /// The education, with a way into the intake at the end of every section.
    #[default]
    Learn,
    /// Straight into the intake form.
    Intake,
    /// A welcome with the intake one tap away, the education below it.
    Welcome,
    /// Only the education, with the clinic's number to book: for the inline
    /// embed on a page of the clinic's website. Needs no endpoint.
    LearnOnly,
}

impl StartView {
    fn parse(s: &str) -> Option<StartView> {
        match s {
            "learn" => Some(StartView::Learn),
            "intake" => Some(StartView::Intake),
            "welcome" => Some(StartView::Welcome),
            "learn_only" => Some(StartView::LearnOnly),
            _ => None,
        }
    }
}

/// The media type of a sealed envelope (see `crate::sealed`, feature `seal`).
pub const SEALED_CONTENT_TYPE: &str = "application/vnd.massage-intake.sealed+json";

/// How the widget writes a submission.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `massage-intake/2` JSON (`application/json`).
    #[default]
    Json,
    /// A FHIR R4 `QuestionnaireResponse` (`application/fhir+json`).
    Fhir,
}

impl Format {
    fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "fhir" => Some(Format::Fhir),
            _ => None,
        }
    }

    /// The media type of a body in this format.
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Fhir => "application/fhir+json",
        }
    }
}

/// A checked submission address: `https://…`, `http://…`, or a path on the
/// widget's own origin (`/api/v1/submissions`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    /// Accepts an absolute http(s) URL with a host, or a same-origin path.
    pub fn parse(s: &str) -> Option<Endpoint> {
        let s = s.trim();
        if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        let ok = if let Some(rest) = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
        {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !host.contains('@')
        } else {
            s.starts_with('/') && !s.starts_with("//")
        };
        ok.then(|| Endpoint(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The configuration the widget runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Where submissions go; `None` means the intake cannot be sent.
    pub endpoint: Option<Endpoint>,
    /// The clinic's name, when configured (sentences then say "the clinic").
    pub clinic_name: Option<String>,
    /// The clinic's number, for the `tel:` link.
    pub clinic_phone: Option<PhoneNumber>,
    pub locale: Locale,
    pub mode: Mode,
    pub view: StartView,
    /// How long one attempt to send may take before it is tried again.
    pub send_timeout_seconds: u32,
    /// The clinic's changes to the education content.
    pub learn: LearnOverrides,
    /// The clinic's changes to "what to expect".
    pub expect: crate::expect::ExpectOverrides,
    /// How submissions are written.
    pub format: Format,
    /// The clinic's public key (base64 of 32 bytes, X25519): submissions are
    /// sealed to it in the browser ([`crate::sealed`]) and the unsent ones
    /// kept in an outbox on the device.
    pub public_key: Option<String>,
    /// Kiosk mode: how long without a touch or key before the "Are you still
    /// there?" warning.
    pub kiosk_idle_seconds: u32,
    /// Kiosk mode: how long the warning counts down before the reset.
    pub kiosk_warning_seconds: u32,
    /// Kiosk mode: how long the thank-you screen stays before the reset.
    pub kiosk_done_seconds: u32,
    /// Kiosk mode: the staff PIN (4 to 8 digits) that leaves kiosk mode; no
    /// way out on the tablet without one. The configuration file is public:
    /// this keeps patients in the form, it does not protect data.
    pub kiosk_exit_pin: Option<String>,
    /// The clinic's colour for buttons and links (`#rrggbb`), accepted only
    /// when white text on it and it on the page's background both reach
    /// WCAG AA contrast (4.5:1).
    pub primary_color: Option<String>,
    /// The clinic's full privacy notice (an `https://` address), linked from
    /// the privacy consent; without one the widget shows its own summary.
    pub privacy_notice_url: Option<String>,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        WidgetConfig {
            endpoint: None,
            clinic_name: None,
            clinic_phone: None,
            locale: Locale::En,
            mode: Mode::Standalone,
            view: StartView::Learn,
            send_timeout_seconds: 15,
            learn: LearnOverrides::default(),
            expect: crate::expect::ExpectOverrides::default(),
            format: Format::Json,
            public_key: None,
            kiosk_idle_seconds: 90,
            kiosk_warning_seconds: 30,
            kiosk_done_seconds: 20,
            kiosk_exit_pin: None,
            primary_color: None,
            privacy_notice_url: None,
        }
    }
}

/// A problem with the configuration, shown to whoever looks at the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigProblem {
    /// `intake.config.json` could not be fetched or is not a JSON object.
    Unreadable(String),
    /// No endpoint is configured.
    NoEndpoint,
    /// The endpoint is not an http(s) address or a same-origin path.
    BadEndpoint(String),
    /// An option this version does not know (probably a typo).
    UnknownOption(String),
    /// A known option with a value that cannot be used; its default stays.
    BadValue(String),
    /// Part of the `learn` option (`field`, like `learn.session.title`) does
    /// not fit the content; that section keeps its built-in text.
    BadContent {
        field: String,
        problem: ContentProblem,
    },
}

impl ConfigProblem {
    /// Whether this problem keeps the form from being sent (the others only
    /// drop a setting, whose default is used).
    pub fn blocks_sending(&self) -> bool {
        matches!(
            self,
            ConfigProblem::Unreadable(_)
                | ConfigProblem::NoEndpoint
                | ConfigProblem::BadEndpoint(_)
        )
    }

    /// The message and its arguments, for the notice in the widget.
    pub fn message(&self) -> (Msg, Vec<(&'static str, String)>) {
        match self {
            ConfigProblem::Unreadable(detail) => {
                (Msg::ConfigUnreadable, vec![("detail", detail.clone())])
            }
            ConfigProblem::NoEndpoint => (Msg::ConfigNoEndpoint, vec![]),
            ConfigProblem::BadEndpoint(value) => {
                (Msg::ConfigBadEndpoint, vec![("value", value.clone())])
            }
            ConfigProblem::UnknownOption(name) => {
                (Msg::ConfigUnknownOption, vec![("option", name.clone())])
            }
            ConfigProblem::BadValue(name) => (Msg::ConfigBadValue, vec![("option", name.clone())]),
            ConfigProblem::BadContent { field, problem } => problem.message(field),
        }
    }
}

/// The configuration in force and every problem found on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedConfig {
    pub config: WidgetConfig,
    pub problems: Vec<ConfigProblem>,
}

/// Why a configuration file is not a JSON object.
pub const NOT_AN_OBJECT: &str =
    "it must be a JSON object, like {\"endpoint\": \"/api/v1/submissions\"}";

/// The options of a configuration file's text (native callers; the browser
/// parses with its own `JSON.parse` and calls [`resolve_entries`]).
pub fn parse_file(text: &str) -> Result<Vec<(String, ConfigValue)>, String> {
    use serde_json::Value;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map
            .into_iter()
            .map(|(k, v)| (k, ConfigValue::from_json(v)))
            .collect()),
        Ok(_) => Err(NOT_AN_OBJECT.to_owned()),
        Err(e) => Err(format!(
            "it is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )),
    }
}

/// Combines the defaults, the configuration file's text (or why it could not
/// be fetched) and the page's query string (`mode=kiosk&lang=en`).
pub fn resolve(file: Result<&str, String>, query: &str) -> ResolvedConfig {
    resolve_entries(file.and_then(parse_file), query)
}

/// [`resolve`] for a file already parsed into its options.
pub fn resolve_entries(
    file: Result<Vec<(String, ConfigValue)>, String>,
    query: &str,
) -> ResolvedConfig {
    let mut config = WidgetConfig::default();
    let mut problems = Vec::new();
    match file {
        Ok(entries) => {
            apply_file(&mut config, &mut problems, &entries);
            apply_query(&mut config, &mut problems, query);
            // The education-only view sends nothing, so it needs no endpoint.
            if config.endpoint.is_none()
                && config.view != StartView::LearnOnly
                && !problems
                    .iter()
                    .any(|p| matches!(p, ConfigProblem::BadEndpoint(_)))
            {
                problems.push(ConfigProblem::NoEndpoint);
            }
        }
        Err(detail) => {
            problems.push(ConfigProblem::Unreadable(detail));
            apply_query(&mut config, &mut problems, query);
        }
    }
    ResolvedConfig { config, problems }
}

fn apply_file(
    config: &mut WidgetConfig,
    problems: &mut Vec<ConfigProblem>,
    entries: &[(String, ConfigValue)],
) {
    for (name, value) in entries {
        let text = value.as_text();
        let applied = match name.as_str() {
            "endpoint" => {
                match text.and_then(Endpoint::parse) {
                    Some(endpoint) => config.endpoint = Some(endpoint),
                    None => problems.push(ConfigProblem::BadEndpoint(value.shown())),
                }
                true
            }
            "format" => set(&mut config.format, text.and_then(Format::parse)),
            "public_key" => match text.map(str::trim) {
                Some(key) if crate::base64::decode(key).is_some_and(|bytes| bytes.len() == 32) => {
                    config.public_key = Some(key.to_owned());
                    true
                }
                _ => false,
            },
            "clinic_name" => match text
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.chars().count() <= 80)
            {
                Some(t) => {
                    config.clinic_name = Some(t.to_owned());
                    true
                }
                None => false,
            },
            "clinic_phone" => match text.map(PhoneNumber::parse) {
                Some(Ok(phone)) => {
                    config.clinic_phone = Some(phone);
                    true
                }
                _ => false,
            },
            "locale" => set(&mut config.locale, text.and_then(Locale::from_tag)),
            "mode" => set(&mut config.mode, text.and_then(Mode::parse)),
            "view" => set(&mut config.view, text.and_then(StartView::parse)),
            "learn" => {
                let (overrides, bad) = parse_overrides(value);
                problems.extend(
                    bad.into_iter()
                        .map(|(field, problem)| ConfigProblem::BadContent { field, problem }),
                );
                config.learn = overrides;
                true
            }
            // Read by the form, which shows what to expect (and says what is wrong).
            #[cfg(feature = "after-send-apart")]
            "expect" => true,
            #[cfg(not(feature = "after-send-apart"))]
            "expect" => {
                let (overrides, bad) = crate::expect::parse_overrides(value);
                problems.extend(
                    bad.into_iter()
                        .map(|(field, problem)| ConfigProblem::BadContent { field, problem }),
                );
                config.expect = overrides;
                true
            }
            "send_timeout_seconds" => {
                set(&mut config.send_timeout_seconds, seconds(value, 1..=120))
            }
            "kiosk_idle_seconds" => set(&mut config.kiosk_idle_seconds, seconds(value, 1..=3600)),
            "kiosk_warning_seconds" => {
                set(&mut config.kiosk_warning_seconds, seconds(value, 1..=300))
            }
            "kiosk_done_seconds" => set(&mut config.kiosk_done_seconds, seconds(value, 1..=600)),
            "primary_color" => match text.and_then(readable_primary) {
                Some(color) => {
                    config.primary_color = Some(color);
                    true
                }
                None => false,
            },
            "privacy_notice_url" => match text.map(str::trim) {
                Some(url) if is_https_address(url) => {
                    config.privacy_notice_url = Some(url.to_owned());
                    true
                }
                _ => false,
            },
            "kiosk_exit_pin" => match text {
                Some(pin)
                    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    config.kiosk_exit_pin = Some(pin.to_owned());
                    true
                }
                _ => false,
            },
            _ => {
                problems.push(ConfigProblem::UnknownOption(name.clone()));
                true
            }
        };
        if !applied {
            problems.push(ConfigProblem::BadValue(name.clone()));
        }
    }
}

fn apply_query(config: &mut WidgetConfig, problems: &mut Vec<ConfigProblem>, query: &str) {
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let applied = match name {
            "mode" => set(&mut config.mode, Mode::parse(value)),
            "lang" => set(&mut config.locale, Locale::from_tag(value)),
            "view" => set(&mut config.view, StartView::parse(value)),
            "primary" => match readable_primary(&format!("#{}", value.trim_start_matches("%23"))) {
                Some(color) => {
                    config.primary_color = Some(color);
                    true
                }
                None => false,
            },
            // Everything else, the endpoint above all, is not the URL's to set.
            _ => true,
        };
        if !applied {
            problems.push(ConfigProblem::BadValue(name.to_owned()));
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/srgb.rs"));

/// The relative luminance of a `#rrggbb` colour (WCAG 2.2).
fn luminance(color: &str) -> Option<f64> {
    let hex = color.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let v = u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?;
        Some(f64::from(SRGB_TO_LINEAR[usize::from(v)]) / 65535.0)
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// The contrast ratio of two `#rrggbb` colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// `color`, lower-cased, when white text on it and it as text on the page's
/// background (`#f6f7f4`) are both at least 4.5:1.
pub fn readable_primary(color: &str) -> Option<String> {
    let color = color.trim().to_ascii_lowercase();
    let on_white = contrast(&color, "#ffffff")?;
    let on_page = contrast(&color, "#f6f7f4")?;
    (on_white >= 4.5 && on_page >= 4.5).then_some(color)
}

/// A whole number of seconds within `range`.
fn seconds(value: &ConfigValue, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    match value {
        ConfigValue::Other(json) => json.parse::<u32>().ok().filter(|s| range.contains(s)),
        _ => None,
    }
}

fn set<T>(slot: &mut T, value: Option<T>) -> bool {
    match value {
        Some(v) => {
            *slot = v;
            true
        }
        None => false,
    }
}

/// An `https://` address with a host, short and without spaces, quotes or
/// angle brackets (it goes into an `href`).
pub fn is_https_address(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && url.len() <= 300
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_is_applied_without_problems() {
        let r = resolve(
            Ok(
                r#"{"endpoint":"https://intake.example.org/api/v1/submissions","clinic_name":"Harbor Clinic",
                 "clinic_phone":"401-423-4433","mode":"kiosk","view":"intake","locale":"en","format":"json"}"#,
            ),
            "",
        );
        assert_eq!(r.problems, vec![]);
        assert_eq!(
            r.config.endpoint.map(|e| e.0),
            Some("https://intake.example.org/api/v1/submissions".into())
        );
        assert_eq!(r.config.clinic_name.as_deref(), Some("Harbor Clinic"));
        assert_eq!(
            r.config.clinic_phone.map(|p| p.e164()),
            Some("+14014234433".into())
        );
        assert_eq!(
            (r.config.mode, r.config.view),
            (Mode::Kiosk, StartView::Intake)
        );
    }

    #[test]
    fn no_endpoint_is_reported() {
        let r = resolve(Ok("{}"), "");
        assert_eq!(r.problems, vec![ConfigProblem::NoEndpoint]);
        assert_eq!(r.config.endpoint, None);
    }

    #[test]
    fn an_endpoint_that_is_not_http_is_reported_with_its_value() {
        for bad in [
            "ftp://files.example/x",
            "javascript:alert(1)",
            "//evil.example/x",
            "https://",
            "api/v1",
            "https://a b",
        ] {
            let file = serde_json::json!({ "endpoint": bad }).to_string();
            let r = resolve(Ok(&file), "");
            assert_eq!(
                r.problems,
                vec![ConfigProblem::BadEndpoint(bad.into())],
                "{bad}"
            );
            assert_eq!(r.config.endpoint, None, "{bad}");
        }
        let r = resolve(Ok(r#"{"endpoint": 42}"#), "");
        assert_eq!(r.problems, vec![ConfigProblem::BadEndpoint("42".into())]);
    }

    #[test]
    fn the_url_cannot_set_the_endpoint() {
        let r = resolve(
            Ok(r#"{"endpoint":"/api/v1/submissions"}"#),
            "?endpoint=https://evil.example/steal&mode=kiosk",
        );
        assert_eq!(
            r.config.endpoint.map(|e| e.0),
            Some("/api/v1/submissions".into())
        );
        assert_eq!(r.config.mode, Mode::Kiosk);
        let r = resolve(Ok("{}"), "endpoint=https://evil.example/steal");
        assert_eq!(r.config.endpoint, None);
    }

    fn by_name(mut problems: Vec<ConfigProblem>) -> Vec<ConfigProblem> {
        problems.sort_by_key(|p| format!("{p:?}"));
        problems
    }

    #[test]
    fn unknown_options_and_bad_values_are_named_and_defaults_kept() {
        let r = resolve(
            Ok(r#"{"endpoint":"/api","endpiont":"/x","mode":"party","clinic_phone":"12"}"#),
            "view=sideways",
        );
        // In the order of the options' names (or of the file, where JSON
        // maps keep it): compared as sets.
        assert_eq!(
            by_name(r.problems),
            by_name(vec![
                ConfigProblem::BadValue("clinic_phone".into()),
                ConfigProblem::UnknownOption("endpiont".into()),
                ConfigProblem::BadValue("mode".into()),
                ConfigProblem::BadValue("view".into()),
            ])
        );
        assert_eq!(
            (r.config.mode, r.config.view, r.config.clinic_phone),
            (Mode::Standalone, StartView::Learn, None)
        );
    }

    #[test]
    fn the_privacy_notice_is_an_https_address_or_nothing() {
        let url = |value: &str| {
            let file = format!(
                r#"{{"endpoint":"/a","privacy_notice_url":{}}}"#,
                serde_json::json!(value)
            );
            let r = resolve(Ok(&file), "");
            (r.config.privacy_notice_url, r.problems)
        };
        assert_eq!(
            url("https://harbor-massage.example/privacy"),
            (
                Some("https://harbor-massage.example/privacy".into()),
                vec![]
            )
        );
        for bad in [
            "javascript:alert(1)",
            "http://harbor-massage.example/privacy",
            "https://",
            "https:///privacy",
            "https://x.example/\"><script>",
            "https://x.example/a b",
        ] {
            assert_eq!(
                url(bad),
                (
                    None,
                    vec![ConfigProblem::BadValue("privacy_notice_url".into())]
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_send_timeout_is_a_number_of_seconds_within_reason() {
        assert_eq!(
            resolve(Ok(r#"{"endpoint":"/a","send_timeout_seconds":30}"#), "")
                .config
                .send_timeout_seconds,
            30
        );
        assert_eq!(
            resolve(Ok(r#"{"endpoint":"/a"}"#), "")
                .config
                .send_timeout_seconds,
            15
        );
        for bad in ["0", "121", "\"30\"", "2.5", "-1"] {
            let r = resolve(
                Ok(&format!(
                    r#"{{"endpoint":"/a","send_timeout_seconds":{bad}}}"#
                )),
                "",
            );
            assert_eq!(
                r.problems,
                vec![ConfigProblem::BadValue("send_timeout_seconds".into())],
                "{bad}"
            );
            assert_eq!(r.config.send_timeout_seconds, 15);
        }
    }

    #[test]
    fn a_public_key_is_32_bytes_of_base64() {
        let key = crate::base64::encode(&[7u8; 32]);
        let r = resolve(
            Ok(&format!(r#"{{"endpoint":"/a","public_key":"{key}"}}"#)),
            "",
        );
        assert_eq!((r.config.public_key, r.problems), (Some(key), vec![]));
        for bad in ["\"abc\"", "42", "\"AAAA\""] {
            let r = resolve(
                Ok(&format!(r#"{{"endpoint":"/a","public_key":{bad}}}"#)),
                "",
            );
            assert_eq!(
                r.problems,
                vec![ConfigProblem::BadValue("public_key".into())],
                "{bad}"
            );
            assert_eq!(r.config.public_key, None);
        }
    }

    #[test]
    fn the_kiosk_timings_have_defaults_and_limits() {
        let r = resolve(Ok(r#"{"endpoint":"/a"}"#), "");
        assert_eq!(
            (
                r.config.kiosk_idle_seconds,
                r.config.kiosk_warning_seconds,
                r.config.kiosk_done_seconds
            ),
            (90, 30, 20)
        );
        let r = resolve(
            Ok(
                r#"{"endpoint":"/a","kiosk_idle_seconds":3,"kiosk_warning_seconds":2,"kiosk_done_seconds":5}"#,
            ),
            "",
        );
        assert_eq!(r.problems, vec![]);
        assert_eq!(
            (
                r.config.kiosk_idle_seconds,
                r.config.kiosk_warning_seconds,
                r.config.kiosk_done_seconds
            ),
            (3, 2, 5)
        );
        let r = resolve(
            Ok(r#"{"endpoint":"/a","kiosk_idle_seconds":0,"kiosk_done_seconds":"20"}"#),
            "",
        );
        assert_eq!(
            by_name(r.problems),
            by_name(vec![
                ConfigProblem::BadValue("kiosk_done_seconds".into()),
                ConfigProblem::BadValue("kiosk_idle_seconds".into())
            ])
        );
    }

    #[test]
    fn a_kiosk_exit_pin_is_4_to_8_digits() {
        let r = resolve(Ok(r#"{"endpoint":"/a","kiosk_exit_pin":"2468"}"#), "");
        assert_eq!(
            (r.config.kiosk_exit_pin.as_deref(), r.problems),
            (Some("2468"), vec![])
        );
        for bad in ["\"123\"", "\"123456789\"", "\"12a4\"", "2468"] {
            let r = resolve(
                Ok(&format!(r#"{{"endpoint":"/a","kiosk_exit_pin":{bad}}}"#)),
                "",
            );
            assert_eq!(
                r.problems,
                vec![ConfigProblem::BadValue("kiosk_exit_pin".into())],
                "{bad}"
            );
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        let ratio = |a, b| contrast(a, b).map(|r| (r * 100.0).round() / 100.0);
        assert_eq!(ratio("#000000", "#ffffff"), Some(21.0));
        assert_eq!(ratio("#ffffff", "#ffffff"), Some(1.0));
        assert_eq!(ratio("#767676", "#ffffff"), Some(4.54));
        assert_eq!(ratio("#1f5f4a", "#ffffff"), Some(7.52));
        assert_eq!(contrast("#12345", "#ffffff"), None);
        assert_eq!(contrast("#gggggg", "#ffffff"), None);
    }

    #[test]
    fn a_theme_colour_is_taken_only_when_it_stays_readable() {
        let r = resolve(Ok(r##"{"endpoint":"/a","primary_color":"#8A1C1C"}"##), "");
        assert_eq!(
            (r.config.primary_color.as_deref(), r.problems),
            (Some("#8a1c1c"), vec![])
        );
        // Yellow: white text on it is unreadable.
        let r = resolve(Ok(r##"{"endpoint":"/a","primary_color":"#ffd700"}"##), "");
        assert_eq!(
            r.problems,
            vec![ConfigProblem::BadValue("primary_color".into())]
        );
        assert_eq!(r.config.primary_color, None);
        // From the page address too (an embed's data-primary), same rule.
        let r = resolve(Ok(r#"{"endpoint":"/a"}"#), "primary=%231f3a93");
        assert_eq!(r.config.primary_color.as_deref(), Some("#1f3a93"));
        let r = resolve(Ok(r#"{"endpoint":"/a"}"#), "primary=ffff00");
        assert_eq!(r.problems, vec![ConfigProblem::BadValue("primary".into())]);
    }

    #[test]
    fn the_format_is_json_or_fhir() {
        assert_eq!(
            resolve(Ok(r#"{"endpoint":"/a"}"#), "").config.format,
            Format::Json
        );
        let r = resolve(Ok(r#"{"endpoint":"/a","format":"fhir"}"#), "");
        assert_eq!((r.config.format, r.problems), (Format::Fhir, vec![]));
        assert_eq!(Format::Fhir.content_type(), "application/fhir+json");
        let r = resolve(Ok(r#"{"endpoint":"/a","format":"xml"}"#), "format=fhir");
        assert_eq!(r.problems, vec![ConfigProblem::BadValue("format".into())]);
        assert_eq!(r.config.format, Format::Json, "not from the URL");
    }

    #[test]
    fn the_start_view_is_chosen_by_file_or_url() {
        for (file, query, view) in [
            (r#"{"endpoint":"/a"}"#, "", StartView::Learn),
            (
                r#"{"endpoint":"/a","view":"intake"}"#,
                "",
                StartView::Intake,
            ),
            (
                r#"{"endpoint":"/a","view":"welcome"}"#,
                "",
                StartView::Welcome,
            ),
            (
                r#"{"endpoint":"/a","view":"intake"}"#,
                "view=learn_only",
                StartView::LearnOnly,
            ),
        ] {
            let r = resolve(Ok(file), query);
            assert_eq!(
                (r.config.view, r.problems),
                (view, vec![]),
                "{file} {query}"
            );
        }
    }

    #[test]
    fn the_education_only_view_needs_no_endpoint() {
        let r = resolve(
            Ok(r#"{"view":"learn_only","clinic_phone":"401-423-4433"}"#),
            "",
        );
        assert_eq!(r.problems, vec![]);
        assert_eq!(r.config.view, StartView::LearnOnly);
        // Set from the URL, too.
        assert_eq!(resolve(Ok("{}"), "view=learn_only").problems, vec![]);
        // Any other view still needs one.
        assert_eq!(
            resolve(Ok(r#"{"view":"welcome"}"#), "").problems,
            vec![ConfigProblem::NoEndpoint]
        );
    }

    #[test]
    fn content_overrides_come_from_the_learn_option() {
        let r = resolve(
            Ok(r#"{"endpoint":"/a","learn":{"choosing":{"hidden":true},"what":{"titel":"x"}}}"#),
            "",
        );
        assert_eq!(r.config.learn.get("choosing").map(|o| o.hidden), Some(true));
        assert_eq!(r.config.learn.get("what"), None);
        assert!(matches!(
            &r.problems[..],
            [ConfigProblem::BadContent { field, .. }] if field == "learn.what.titel"
        ));
    }

    #[test]
    fn an_unreadable_file_says_why() {
        let r = resolve(Err("the server answered 404".into()), "");
        assert_eq!(
            r.problems,
            vec![ConfigProblem::Unreadable("the server answered 404".into())]
        );
        let r = resolve(Ok("{not json"), "");
        assert!(
            matches!(&r.problems[..], [ConfigProblem::Unreadable(d)] if d.contains("not valid JSON"))
        );
        let r = resolve(Ok("[1,2]"), "");
        assert!(
            matches!(&r.problems[..], [ConfigProblem::Unreadable(d)] if d.contains("JSON object"))
        );
    }

    #[test]
    fn every_problem_has_a_message_with_its_details_filled() {
        let en = crate::i18n::Catalog::english();
        for p in [
            ConfigProblem::Unreadable("boom".into()),
            ConfigProblem::NoEndpoint,
            ConfigProblem::BadEndpoint("ftp://x".into()),
            ConfigProblem::UnknownOption("endpiont".into()),
            ConfigProblem::BadValue("mode".into()),
        ] {
            let (msg, args) = p.message();
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let text = en.format(msg, &args);
            assert!(!text.contains('{'), "{text}");
            for (_, v) in args {
                assert!(text.contains(v), "{text}");
            }
        }
    }
}
