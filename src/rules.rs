//! The form's rules, from the `intake-rules` wasm module that `boot.js` loads
//! beside the first view: the submission model, its validation and its JSON
//! live there, so the widget's own bundle carries only its interface.
//!
//! `boot.js` provides `globalThis.massageIntakeRules()`, a function returning a
//! promise of the module (it loads once, and tries again after a failure).

use intake_core::{Date, FieldError, Format, IntakeDraft, SubmitContext};
use js_sys::{Function, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The name of the loader `boot.js` puts on `globalThis`.
pub const LOADER: &str = "massageIntakeRules";

#[derive(Serialize)]
struct CheckInput<'a> {
    draft: &'a IntakeDraft,
    context: &'a SubmitContext,
    today: String,
    format: Format,
}

/// What the rules said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub errors: Vec<FieldError>,
    /// Problems that do not block (an old prescription).
    pub warnings: Vec<FieldError>,
    /// The submission's JSON, when there are no errors.
    pub body: Option<String>,
}

/// The rules module could not be loaded or answered nonsense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RulesUnavailable;

/// The function `name` of the wasm module that `globalThis[loader]()` (from
/// boot.js) loads, with the module to call it on; `None` when either is
/// missing or the module cannot be loaded.
pub async fn module_function(loader: &str, name: &str) -> Option<(JsValue, Function)> {
    let global = js_sys::global();
    let loader: Function = Reflect::get(&global, &loader.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = loader.call0(&global).ok()?.dyn_into().ok()?;
    let module = JsFuture::from(promise).await.ok()?;
    let function: Function = Reflect::get(&module, &name.into()).ok()?.dyn_into().ok()?;
    Some((module, function))
}

/// Checks the answers as of `today`; the body is the submission to send,
/// written in `format`.
pub async fn check(
    draft: &IntakeDraft,
    context: &SubmitContext,
    today: Date,
    format: Format,
) -> Result<Checked, RulesUnavailable> {
    let input = serde_json::to_string(&CheckInput {
        draft,
        context,
        today: today.to_string(),
        format,
    })
    .map_err(|_| RulesUnavailable)?;
    let (module, check) = module_function(LOADER, "check")
        .await
        .ok_or(RulesUnavailable)?;
    let output = check
        .call1(&module, &JsValue::from_str(&input))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or(RulesUnavailable)?;
    let value = crate::json::parse(&output).ok_or(RulesUnavailable)?;
    Ok(Checked {
        errors: crate::json::field_errors(&value),
        warnings: crate::json::field_errors_at(&value, "warnings"),
        body: crate::json::string_at(&value, "body"),
    })
}
