//! Every user-visible string, by key, in every shipped language.
//!
//! The texts are data (`locales/<lang>.txt`, one `key = text` a line), so a new
//! language is a file, not a rewrite. English is the list of keys: the build
//! turns `locales/en.txt` into the [`Msg`] enum, so code cannot ask for a text
//! that does not exist, and into the built-in English table. [`Catalog::parse`]
//! is strict (an unknown, duplicated, empty or missing key is an error) and a
//! test parses every shipped file with it.
//!
//! ```
//! use intake_core::{Catalog, Msg};
//! let en = Catalog::english();
//! assert_eq!(en.format(Msg::DoneReference, &[("reference", "MI-7K3P")]),
//!            "Your reference number is MI-7K3P.");
//! ```

use std::borrow::Cow;
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// A language the widget ships texts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Es,
    Pt,
}

impl Locale {
    /// Every shipped language.
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::Es, Locale::Pt];

    /// The BCP 47 tag stored in a submission and set as the page's `lang`.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
            Locale::Pt => "pt",
        }
    }

    /// The language's name in itself, for the language switch.
    pub const fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Es => "Español",
            Locale::Pt => "Português",
        }
    }

    /// The shipped language that best matches a BCP 47 tag (`en-US` -> English).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Locale::ALL.iter().copied().find(|l| l.tag() == primary)
    }

    /// The locale file's text, built into the binary.
    pub const fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("../locales/en.txt"),
            Locale::Es => include_str!("../locales/es.txt"),
            Locale::Pt => include_str!("../locales/pt.txt"),
        }
    }
}

/// Why a locale file was rejected, with the line it happened on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogError {
    /// A line that is neither blank, a `#` comment, nor `key = text`.
    Syntax { line: usize },
    /// A key the program does not know (a typo, or a key English lacks).
    UnknownKey { line: usize, key: String },
    /// The same key twice.
    Duplicate { line: usize, key: String },
    /// A key with no text.
    Empty { line: usize, key: String },
    /// Keys the program needs that the file lacks.
    Missing { keys: Vec<&'static str> },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Syntax { line } => write!(f, "line {line}: expected `key = text`"),
            CatalogError::UnknownKey { line, key } => write!(f, "line {line}: unknown key `{key}`"),
            CatalogError::Duplicate { line, key } => write!(f, "line {line}: `{key}` given twice"),
            CatalogError::Empty { line, key } => write!(f, "line {line}: `{key}` has no text"),
            CatalogError::Missing { keys } => write!(f, "missing keys: {}", keys.join(", ")),
        }
    }
}

impl std::error::Error for CatalogError {}

/// The texts of one language, indexed by [`Msg`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    locale: Locale,
    texts: Vec<Cow<'static, str>>,
}

impl Catalog {
    /// Parses a locale file strictly: every key known, present once, non-empty.
    pub fn parse(locale: Locale, source: &str) -> Result<Catalog, CatalogError> {
        let mut texts: Vec<Option<String>> = vec![None; Msg::ALL.len()];
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let (key, text) = trimmed
                .split_once('=')
                .ok_or(CatalogError::Syntax { line })?;
            let (key, text) = (key.trim(), text.trim());
            let msg = Msg::from_key(key).ok_or_else(|| CatalogError::UnknownKey {
                line,
                key: key.to_owned(),
            })?;
            if text.is_empty() {
                return Err(CatalogError::Empty {
                    line,
                    key: key.to_owned(),
                });
            }
            let slot = &mut texts[msg as usize];
            if slot.is_some() {
                return Err(CatalogError::Duplicate {
                    line,
                    key: key.to_owned(),
                });
            }
            *slot = Some(text.replace("\\n", "\n"));
        }
        let missing: Vec<&'static str> = Msg::ALL
            .iter()
            .zip(&texts)
            .filter(|(_, text)| text.is_none())
            .map(|(msg, _)| msg.key())
            .collect();
        if !missing.is_empty() {
            return Err(CatalogError::Missing { keys: missing });
        }
        Ok(Catalog {
            locale,
            texts: texts
                .into_iter()
                .map(|t| Cow::Owned(t.unwrap_or_default()))
                .collect(),
        })
    }

    /// The catalog of `locale` from the files built into the program:
    /// English is a table made at build time; the others are parsed (the
    /// widget fetches those files instead, so they cost a page nothing until
    /// a patient asks for them). A file that does not parse gives English.
    pub fn builtin(locale: Locale) -> Catalog {
        match locale {
            Locale::En => Catalog::english(),
            other => Catalog::parse(other, other.source()).unwrap_or_else(|_| Catalog::english()),
        }
    }

    /// The texts one a line, in the order of [`Msg::ALL`], paragraph breaks
    /// as U+2029: what the build ships for a language the page fetches, so
    /// the widget reads it without a parser.
    pub fn to_lines(&self) -> String {
        let mut out = String::new();
        for text in &self.texts {
            out.push_str(&text.replace('\n', "\u{2029}"));
            out.push('\n');
        }
        out
    }

    /// Reads [`Catalog::to_lines`]; `None` unless every text is there and none is empty.
    pub fn from_lines(locale: Locale, lines: &str) -> Option<Catalog> {
        let texts: Vec<Cow<'static, str>> = lines
            .strip_suffix('\n')
            .unwrap_or(lines)
            .split('\n')
            .map(|t| Cow::Owned(t.replace('\u{2029}', "\n")))
            .collect();
        (texts.len() == Msg::ALL.len() && texts.iter().all(|t| !t.is_empty()))
            .then_some(Catalog { locale, texts })
    }

    /// A catalog of empty texts, for when no texts can be had at all.
    pub fn blank(locale: Locale) -> Catalog {
        Catalog {
            locale,
            texts: vec![Cow::Borrowed(""); Msg::ALL.len()],
        }
    }

    /// The built-in English catalog, every text.
    pub fn english() -> Catalog {
        let mut english = Catalog::english_before_send();
        english.add_after_send();
        english
    }

    /// The built-in English catalog without the texts shown only after
    /// sending when built with the feature `after-send-apart` (what the first
    /// view carries); [`Catalog::add_after_send`] adds them.
    pub fn english_before_send() -> Catalog {
        Catalog {
            locale: Locale::En,
            texts: EN.iter().map(|t| Cow::Borrowed(*t)).collect(),
        }
    }

    /// Fills the English texts shown only after sending where they are empty.
    pub fn add_after_send(&mut self) {
        if self.locale != Locale::En {
            return;
        }
        for (msg, text) in EN_AFTER_SEND.iter() {
            if let Some(slot) = self.texts.get_mut(*msg as usize).filter(|t| t.is_empty()) {
                *slot = Cow::Borrowed(*text);
            }
        }
    }

    /// [`Catalog::from_lines`] for English lines that may leave out the texts
    /// shown only after sending (the first view's, see
    /// [`Catalog::english_before_send`]): they are added from the built-in ones.
    pub fn from_english_lines(lines: &str) -> Option<Catalog> {
        let mut texts: Vec<Cow<'static, str>> = lines
            .strip_suffix('\n')
            .unwrap_or(lines)
            .split('\n')
            .map(|t| Cow::Owned(t.replace('\u{2029}', "\n")))
            .collect();
        if texts.len() != Msg::ALL.len() {
            return None;
        }
        let mut english = Catalog {
            locale: Locale::En,
            texts: std::mem::take(&mut texts),
        };
        english.add_after_send();
        english
            .texts
            .iter()
            .all(|t| !t.is_empty())
            .then_some(english)
    }

    /// The language of these texts.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The text of `msg`.
    pub fn text(&self, msg: Msg) -> &str {
        self.texts
            .get(msg as usize)
            .map(|t| t.as_ref())
            .unwrap_or("")
    }

    /// The text of `msg` with each `{name}` replaced by its value; a
    /// placeholder without a value stays as written.
    pub fn format(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        fill(self.text(msg), args)
    }
}

/// `text` with each `{name}` replaced by its value; a placeholder without a
/// value stays as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for part in parts(text) {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Placeholder(name) => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

/// A piece of a text: words, or a `{placeholder}` the program fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits a text into words and `{placeholders}`, so a link or emphasis can
/// stand where each language puts it. A `{` without a closing `}` is text.
pub fn parts(text: &str) -> impl Iterator<Item = Part<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        if bytes[0] == b'{' {
            if let Some(end) = bytes.iter().position(|&b| b == b'}') {
                let name = &rest[1..end];
                rest = &rest[end + 1..];
                return Some(Part::Placeholder(name));
            }
            let all = rest;
            rest = "";
            return Some(Part::Text(all));
        }
        let end = bytes.iter().position(|&b| b == b'{').unwrap_or(bytes.len());
        let (text, tail) = rest.split_at(end);
        rest = tail;
        Some(Part::Text(text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_has_every_key_and_no_other() {
        for locale in Locale::ALL {
            let parsed = Catalog::parse(*locale, locale.source());
            assert!(parsed.is_ok(), "{}: {}", locale.tag(), parsed.unwrap_err());
        }
    }

    #[test]
    fn the_built_in_tables_equal_the_parsed_files() {
        for locale in Locale::ALL {
            assert_eq!(
                Catalog::parse(*locale, locale.source()).ok(),
                Some(Catalog::builtin(*locale)),
                "{}",
                locale.tag()
            );
        }
    }

    #[test]
    fn a_missing_key_is_reported_by_name() {
        let without_title: String = Locale::En
            .source()
            .lines()
            .filter(|l| !l.trim_start().starts_with("app.title"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            Catalog::parse(Locale::En, &without_title),
            Err(CatalogError::Missing {
                keys: vec!["app.title"]
            })
        );
    }

    #[test]
    fn an_unknown_key_is_rejected_with_its_line() {
        let source = format!("{}\napp.titel = Typo", Locale::En.source());
        let line = source.lines().count();
        assert_eq!(
            Catalog::parse(Locale::En, &source),
            Err(CatalogError::UnknownKey {
                line,
                key: "app.titel".into()
            })
        );
    }

    #[test]
    fn duplicate_empty_and_malformed_lines_are_rejected() {
        let dup = format!("{}\napp.title = Again", Locale::En.source());
        assert!(matches!(
            Catalog::parse(Locale::En, &dup),
            Err(CatalogError::Duplicate { .. })
        ));
        assert_eq!(
            Catalog::parse(Locale::En, "app.title =   "),
            Err(CatalogError::Empty {
                line: 1,
                key: "app.title".into()
            })
        );
        assert_eq!(
            Catalog::parse(Locale::En, "# fine\n\njust words"),
            Err(CatalogError::Syntax { line: 3 })
        );
    }

    #[test]
    fn format_fills_every_placeholder() {
        let en = Catalog::english();
        let text = en.format(
            Msg::ClinicCall,
            &[("clinic", "Harbor Clinic"), ("phone", "401-555-0100")],
        );
        assert!(
            text.contains("Harbor Clinic") && text.contains("401-555-0100"),
            "{text}"
        );
        assert!(!text.contains('{'), "{text}");
    }

    #[test]
    fn parts_split_words_from_placeholders() {
        let got: Vec<Part> = parts("Call {clinic} at {phone}.").collect();
        assert_eq!(
            got,
            vec![
                Part::Text("Call "),
                Part::Placeholder("clinic"),
                Part::Text(" at "),
                Part::Placeholder("phone"),
                Part::Text("."),
            ]
        );
        assert_eq!(
            parts("{x}").collect::<Vec<_>>(),
            vec![Part::Placeholder("x")]
        );
        assert_eq!(
            parts("a { b").collect::<Vec<_>>(),
            vec![Part::Text("a "), Part::Text("{ b")]
        );
        assert_eq!(parts("").count(), 0);
    }

    #[test]
    fn format_keeps_unfilled_placeholders_visible() {
        let en = Catalog::english();
        assert_eq!(
            en.format(Msg::DoneReference, &[]),
            "Your reference number is {reference}."
        );
        assert_eq!(
            en.format(Msg::DoneReference, &[("reference", "{x}")]),
            "Your reference number is {x}."
        );
    }

    #[test]
    fn locale_tags_match_by_primary_language() {
        assert_eq!(Locale::from_tag("en-US"), Some(Locale::En));
        assert_eq!(Locale::from_tag("EN"), Some(Locale::En));
        assert_eq!(Locale::from_tag("xx"), None);
        assert_eq!(Locale::from_tag(""), None);
    }
}
