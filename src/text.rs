//! The texts in force, shared through context.
//!
//! A catalog is immutable and there is at most one per shipped language, so it
//! lives for the whole page (`&'static`): components get a `Copy` handle and
//! render plain `&'static str`, the cheapest thing the renderer knows. A
//! language switch re-renders the widget with another catalog; the answers
//! live in signals above the views and are kept.

use intake_core::{Catalog, FieldError, Msg};
use leptos::prelude::*;

thread_local! {
    /// The catalogs kept so far.
    static KEPT: std::cell::RefCell<Vec<&'static Catalog>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A handle on one language's texts.
#[derive(Clone, Copy)]
pub struct Texts(&'static Catalog);

impl Texts {
    /// Keeps `catalog` for the rest of the page's life, once: the form is
    /// mounted again after every kiosk reset, and an equal catalog is reused.
    pub fn new(catalog: Catalog) -> Texts {
        KEPT.with(|kept| {
            let mut kept = kept.borrow_mut();
            if let Some(same) = kept.iter().find(|c| ***c == catalog) {
                return Texts(same);
            }
            let leaked: &'static Catalog = Box::leak(Box::new(catalog));
            kept.push(leaked);
            Texts(leaked)
        })
    }

    /// A handle on a catalog kept for the page's life (see [`crate::locale`]).
    pub fn from_static(catalog: &'static Catalog) -> Texts {
        Texts(catalog)
    }

    /// The catalog itself, for content that resolves its own texts.
    pub fn catalog(self) -> &'static Catalog {
        self.0
    }

    /// The text of `msg`.
    pub fn t(self, msg: Msg) -> &'static str {
        self.0.text(msg)
    }

    /// The text of `msg` with its `{placeholders}` filled.
    pub fn f(self, msg: Msg, args: &[(&str, &str)]) -> String {
        self.0.format(msg, args)
    }

    /// The language tag of the texts, for the `lang` attribute and the submission.
    pub fn lang(self) -> &'static str {
        self.0.locale().tag()
    }

    /// [`Texts::error`], with `required` for words that fit the question better
    /// than "Please fill this in".
    pub fn error_or(self, error: &FieldError, required: Msg) -> String {
        if error.code == intake_core::ErrorCode::Required {
            self.t(required).to_owned()
        } else {
            self.error(error)
        }
    }

    /// The words a patient reads for a validation error.
    pub fn error(self, error: &FieldError) -> String {
        let min = error.min.map(|m| m.to_string()).unwrap_or_default();
        let max = error.max.map(|m| m.to_string()).unwrap_or_default();
        self.f(error.code.msg(), &[("min", &min), ("max", &max)])
    }
}

/// The texts provided by the form's top component (`app::App`).
pub fn use_texts() -> Texts {
    expect_context::<Texts>()
}
