//! Writing HTML by hand, safely: every text goes through [`escape`].

pub use intake_core::text::escape_html as escape;

/// A `<time>` element: `datetime` the instant as sent, the text `shown`;
/// the page writes it again in the reader's own time zone.
pub fn time(datetime: &str, shown: &str) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        escape(datetime),
        escape(shown)
    )
}

/// A page being written.
#[derive(Default)]
pub struct Html(String);

impl Html {
    /// Markup written as it is: only ever a literal of this crate.
    pub fn raw(&mut self, markup: &str) -> &mut Html {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        self.0.push_str(&escape(text));
        self
    }

    /// `<tag class="class">text</tag>`, the text escaped.
    pub fn el(&mut self, tag: &str, class: &str, text: &str) -> &mut Html {
        if class.is_empty() {
            self.raw(&format!("<{tag}>"));
        } else {
            self.raw(&format!("<{tag} class=\"{class}\">"));
        }
        self.text(text).raw(&format!("</{tag}>"))
    }

    /// A definition list of the pairs whose value is given.
    pub fn pairs(&mut self, pairs: &[(&str, Option<String>)]) -> &mut Html {
        let escaped: Vec<(&str, Option<String>)> = pairs
            .iter()
            .map(|(label, value)| (*label, value.as_deref().map(escape)))
            .collect();
        self.pairs_markup(&escaped)
    }

    /// A definition list of label and markup pairs whose markup is given;
    /// the markup must come from [`escape`] or [`time`].
    pub fn pairs_markup(&mut self, pairs: &[(&str, Option<String>)]) -> &mut Html {
        if pairs.iter().all(|(_, v)| v.is_none()) {
            return self;
        }
        self.raw("<dl class=\"pairs\">");
        for (label, markup) in pairs {
            if let Some(markup) = markup {
                self.el("dt", "", label)
                    .raw("<dd>")
                    .raw(markup)
                    .raw("</dd>");
            }
        }
        self.raw("</dl>")
    }

    /// The markup written.
    pub fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_others_kept() {
        assert_eq!(
            escape(r#"<img src=x onerror="a('b')"> & é"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; é"
        );
    }

    #[test]
    fn pairs_leave_out_what_is_not_given() {
        let mut html = Html::default();
        html.pairs(&[("A", Some("1".into())), ("B", None)]);
        assert_eq!(
            html.finish(),
            "<dl class=\"pairs\"><dt>A</dt><dd>1</dd></dl>"
        );
        let mut none = Html::default();
        none.pairs(&[("B", None)]);
        assert_eq!(none.finish(), "");
    }
}
