//! Bounded free text: the limit is part of the type, so no field can forget
//! it, and the JSON Schema states it.

use serde::{Deserialize, Serialize};

/// Text of at most `MAX` characters (checked by validation, which reports
/// `too_long` with the limit, so the patient sees which field and by how much).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text<const MAX: usize>(pub String);

impl<const MAX: usize> Text<MAX> {
    /// The limit, in characters.
    pub const MAX: usize = MAX;

    pub fn new(s: impl Into<String>) -> Self {
        Text(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Empty or only white space.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// Longer than the limit.
    pub fn is_too_long(&self) -> bool {
        self.0.chars().count() > MAX
    }

    /// Holds a character no answer should: see [`is_hidden_control`].
    pub fn has_control(&self, multi_line: bool) -> bool {
        self.0.chars().any(|c| is_hidden_control(c, multi_line))
    }
}

/// A character that is not seen but changes what a text is or how it reads:
/// a C0 or C1 control character (tab, line feed and carriage return allowed
/// only in a text of several lines, as are the line and paragraph
/// separators U+2028 and U+2029); a bidirectional embedding, override or
/// isolate (U+202A-U+202E, U+2066-U+2069) or direction mark (U+200E, U+200F,
/// U+061C), which can make a stored name or an exported cell read
/// differently from what it holds; or an invisible space (U+200B, U+2060,
/// U+FEFF), which makes two names that look the same differ. Joiners
/// (U+200C, U+200D) stay: scripts and emoji need them.
pub fn is_hidden_control(c: char, multi_line: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => !multi_line,
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
        | '\u{200B}'
        | '\u{2060}'
        | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

impl<const MAX: usize> From<&str> for Text<MAX> {
    fn from(s: &str) -> Self {
        Text(s.to_owned())
    }
}

#[cfg(feature = "schema")]
impl<const MAX: usize> schemars::JsonSchema for Text<MAX> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Text{MAX}").into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "maxLength": MAX })
    }
}

/// Short names and titles.
pub type Name = Text<100>;
/// A line of an address, a carrier, an employer.
pub type Line = Text<120>;
/// Identifiers: member ids, claim and authorisation numbers.
pub type Ident = Text<40>;
/// A paragraph the patient writes.
pub type Paragraph = Text<1000>;

/// `text` for HTML element content and double-quoted attributes: the five
/// characters that mean something there replaced. The widget's markup and
/// the staff inbox's chart both write through it.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
