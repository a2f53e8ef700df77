//! Sealing a submission to the clinic's public key, through the `intake-seal`
//! wasm module (fetched only when a key is configured), and the device outbox
//! that keeps sealed submissions until they are stored.
//!
//! `boot.js` provides `globalThis.massageIntakeSeal()` (a promise of the
//! module) and `globalThis.massageIntakeOutbox` (`put`, `remove`), an
//! IndexedDB store that takes only sealed envelopes and sends what it holds
//! when the page is open and online.

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The media type of a sealed envelope.
pub use intake_core::config::SEALED_CONTENT_TYPE;

/// The sealing module could not be loaded, or could not seal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealUnavailable;

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// The envelope's JSON for `body`, sealed to `public_key`.
pub async fn seal(
    body: &str,
    id: &str,
    content_type: &str,
    public_key: &str,
) -> Result<String, SealUnavailable> {
    let mut seed = [0u8; 32];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut seed).ok())
        .ok_or(SealUnavailable)?;
    let (module, seal) = crate::rules::module_function("massageIntakeSeal", "seal")
        .await
        .ok_or(SealUnavailable)?;
    let args = js_sys::Array::of5(
        &body.into(),
        &id.into(),
        &content_type.into(),
        &public_key.into(),
        &Uint8Array::from(&seed[..]),
    );
    seal.apply(&module, &args)
        .ok()
        .and_then(|v| v.as_string())
        .filter(|envelope| !envelope.is_empty())
        .ok_or(SealUnavailable)
}

fn outbox(method: &str, arg: &JsValue) -> Option<Promise> {
    let outbox = global("massageIntakeOutbox")?;
    let f: Function = Reflect::get(&outbox, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    f.call1(&outbox, arg).ok()?.dyn_into().ok()
}

/// Keeps a sealed envelope on the device until it is stored.
pub async fn keep(id: &str, endpoint: &str, envelope: &str) -> bool {
    let record = Object::new();
    for (key, value) in [
        ("id", id),
        ("endpoint", endpoint),
        ("type", SEALED_CONTENT_TYPE),
        ("body", envelope),
    ] {
        let _ = Reflect::set(&record, &key.into(), &value.into());
    }
    match outbox("put", &record) {
        Some(done) => JsFuture::from(done).await.is_ok(),
        None => false,
    }
}

/// Forgets a stored envelope.
pub async fn forget(id: &str) {
    if let Some(done) = outbox("remove", &JsValue::from_str(id)) {
        let _ = JsFuture::from(done).await;
    }
}
