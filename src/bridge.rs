//! The one bridge between JavaScript and the widget's modules: every function
//! of `boot.js` that Rust calls is declared here, and nowhere else does the
//! widget look a function up by name.
//!
//! `boot.js` puts them on one object, `globalThis.massageIntake`. Each call
//! is made with `catch`: a function that is missing or renamed is an `Err`
//! here (a test fails on it, see the tests below and `browser_tests`), never
//! a silent `None`. Three plain values cross too, each read in one place
//! below: the language switched to on this page, the files fetched once for
//! the page, and the inline embed's mark (set by `embed.js`, where `boot.js`
//! does not run).

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The FHIR writer's exports (`crates/intake-fhir`).
    pub type FhirModule;
    #[wasm_bindgen(method, catch, js_name = fhir)]
    fn write(this: &FhirModule, submission: &str) -> Result<JsValue, JsValue>;

    /// The sealing module's exports (`crates/intake-seal`).
    pub type SealModule;
    #[wasm_bindgen(method, catch, js_name = seal)]
    fn seal_with(
        this: &SealModule,
        body: &str,
        id: &str,
        content_type: &str,
        public_key: &str,
        seed: &[u8],
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = prefetch)]
    fn js_prefetch(seal: bool, fhir: bool) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = start)]
    fn js_start(focus: bool) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = stopForm)]
    fn js_stop_form() -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = loadFhir)]
    fn js_load_fhir() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = loadSeal)]
    fn js_load_seal() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = event)]
    fn js_event(kind: &str, detail: &Object) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = guard)]
    fn js_guard(reason: &str, on: bool) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = leavingAsks)]
    fn js_leaving_asks() -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = setLang)]
    fn js_set_lang(tag: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = massageIntake, js_name = english)]
    fn js_english() -> Result<JsValue, JsValue>;
}

/// A call across the bridge failed: the function is missing, threw, or a
/// module could not be loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable;

fn ok<T>(result: Result<T, JsValue>) -> Result<T, Unavailable> {
    result.map_err(|_| Unavailable)
}

async fn settled(promise: Result<JsValue, JsValue>) -> Result<JsValue, Unavailable> {
    let promise: Promise = ok(promise)?.dyn_into().map_err(|_| Unavailable)?;
    JsFuture::from(promise).await.map_err(|_| Unavailable)
}

/// Fetches and compiles the form in the background (and the sealing module
/// and the FHIR writer, when the clinic configured them).
pub fn prefetch(seal: bool, fhir: bool) -> Result<(), Unavailable> {
    ok(js_prefetch(seal, fhir))
}

/// Loads the form module and puts the form in place of the first view;
/// settles once it is there.
pub async fn start(focus: bool) -> Result<(), Unavailable> {
    settled(js_start(focus)).await.map(|_| ())
}

/// Takes the form down (a kiosk reset), if it was ever started.
pub fn stop_form() -> Result<(), Unavailable> {
    ok(js_stop_form())
}

/// The FHIR writer, loaded once (and again after a failure).
pub async fn fhir_module() -> Result<FhirModule, Unavailable> {
    Ok(settled(js_load_fhir()).await?.unchecked_into())
}

/// The submission's JSON as a FHIR R4 `QuestionnaireResponse`.
pub async fn fhir(submission: &str) -> Result<String, Unavailable> {
    fhir_module()
        .await?
        .write(submission)
        .ok()
        .and_then(|v| v.as_string())
        .filter(|text| !text.is_empty())
        .ok_or(Unavailable)
}

/// The sealing module, loaded once (and again after a failure).
pub async fn seal_module() -> Result<SealModule, Unavailable> {
    Ok(settled(js_load_seal()).await?.unchecked_into())
}

/// The envelope's JSON for `body`, sealed to `public_key` with `seed`.
pub async fn seal(
    body: &str,
    id: &str,
    content_type: &str,
    public_key: &str,
    seed: &[u8],
) -> Result<String, Unavailable> {
    seal_module()
        .await?
        .seal_with(body, id, content_type, public_key, seed)
        .ok()
        .and_then(|v| v.as_string())
        .filter(|envelope| !envelope.is_empty())
        .ok_or(Unavailable)
}

/// Tells a host page that frames the widget what happened: the event and
/// these plain details, never an answer (`boot.js` decides what is posted).
pub fn event(kind: &str, detail: &[(&str, &str)]) {
    let object = Object::new();
    for (key, value) in detail {
        let _ = Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    let _ = js_event(kind, &object);
}

/// Why leaving the page must ask first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// A submission is on its way.
    Unsent,
    /// Answers are on the screen that are not remembered on the device.
    Answers,
}

/// Makes leaving the page ask first while any reason holds.
pub fn guard(reason: Guard, on: bool) {
    let reason = match reason {
        Guard::Unsent => "unsent",
        Guard::Answers => "answers",
    };
    let _ = js_guard(reason, on);
}

/// Whether leaving the page would ask first (see [`guard`]); true when
/// that cannot be told, so nothing is left on a guess.
pub fn leaving_asks() -> bool {
    js_leaving_asks().unwrap_or(true)
}

/// Tells the first view's module the language the form switched to.
pub fn set_lang(tag: &str) {
    let _ = js_set_lang(tag);
}

/// The English texts, one a line, from the first view's module.
pub fn english() -> Option<String> {
    js_english().ok()?.as_string()
}

/// The plain values on `globalThis`.
fn value(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn set_value(name: &str, to: &JsValue) {
    let _ = Reflect::set(&js_sys::global(), &JsValue::from_str(name), to);
}

/// The language switched to on this page, shared by both modules.
pub fn chosen_language() -> Option<String> {
    value("massageIntakeLang")?.as_string()
}

/// Keeps (or, with `None`, forgets) the language switched to.
pub fn set_chosen_language(tag: Option<&str>) {
    set_value(
        "massageIntakeLang",
        &tag.map_or(JsValue::UNDEFINED, JsValue::from_str),
    );
}

/// The files fetched once for the page (its configuration, a language),
/// shared by both modules: an object from URL to text.
pub fn fetched_files() -> JsValue {
    value("massageIntakeFiles").unwrap_or_else(|| {
        let kept: JsValue = Object::new().into();
        set_value("massageIntakeFiles", &kept);
        kept
    })
}

/// Whether `embed.js` loaded this module into a clinic's page (the inline
/// education), where it mounts only where it is told.
pub fn inline() -> bool {
    value("massageIntakeInline").is_some_and(|v| v.is_truthy())
}

#[cfg(test)]
mod tests {
    /// The names `boot.js` gives its functions on `globalThis.massageIntake`.
    fn boot_names() -> Vec<String> {
        let boot = include_str!("../boot.js");
        let start = boot
            .find("globalThis.massageIntake = {")
            .expect("boot.js defines globalThis.massageIntake");
        let body = &boot[start..];
        let body = &body[..body.find("\n};").expect("the object ends")];
        body.lines()
            .filter_map(|line| {
                let name: String = line
                    .strip_prefix("  ")?
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let after = line.trim_start().get(name.len()..)?;
                (!name.is_empty() && (after.starts_with(':') || after.starts_with('(')))
                    .then_some(name)
            })
            .collect()
    }

    /// The names this file calls on `globalThis.massageIntake`.
    fn bridge_names() -> Vec<String> {
        include_str!("bridge.rs")
            .lines()
            .filter(|l| l.contains("js_namespace = massageIntake,"))
            .filter_map(|l| {
                let name = l.split("js_name = ").nth(1)?;
                Some(name.trim_end_matches(")]").to_owned())
            })
            .collect()
    }

    #[test]
    fn every_function_the_modules_call_is_one_boot_js_defines() {
        let boot = boot_names();
        let bridge = bridge_names();
        assert!(bridge.len() >= 9, "{bridge:?}");
        for name in &bridge {
            assert!(
                boot.contains(name),
                "src/bridge.rs calls massageIntake.{name}, which boot.js does not define ({boot:?})"
            );
        }
    }

    #[test]
    fn the_name_readers_see_what_they_should() {
        assert!(boot_names().contains(&"start".to_owned()));
        assert!(bridge_names().contains(&"loadSeal".to_owned()));
        assert!(!boot_names().contains(&"nonexistent".to_owned()));
    }
}
