//! The texts in force, shared through context so every component reads the
//! same catalog (and a language switch re-renders everything).

use std::sync::Arc;

use intake_core::{Catalog, FieldError, Msg};
use leptos::prelude::*;

/// A handle on the current catalog; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Texts(RwSignal<Arc<Catalog>>);

impl Texts {
    pub fn new(catalog: Catalog) -> Texts {
        Texts(RwSignal::new(Arc::new(catalog)))
    }

    /// The text of `msg` (reactive: re-read when the language changes).
    pub fn t(self, msg: Msg) -> String {
        self.0.with(|c| c.text(msg).to_owned())
    }

    /// The text of `msg` with its `{placeholders}` filled.
    pub fn f(self, msg: Msg, args: &[(&str, &str)]) -> String {
        self.0.with(|c| c.format(msg, args))
    }

    /// The language tag of the texts, for the `lang` attribute and the submission.
    pub fn lang(self) -> &'static str {
        self.0.with(|c| c.locale().tag())
    }

    /// The words a patient reads for a validation error.
    pub fn error(self, error: &FieldError) -> String {
        let max = error.max.map(|m| m.to_string()).unwrap_or_default();
        self.f(error.code.msg(), &[("max", &max)])
    }
}

/// The texts provided by [`crate::app::App`].
pub fn use_texts() -> Texts {
    expect_context::<Texts>()
}
