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

/// Loads (and compiles) the sealing module; false while it cannot be had.
pub async fn load() -> bool {
    crate::rules::module_function("massageIntakeSeal", "seal")
        .await
        .is_some()
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

/// How long keeping an envelope may take: a device storage that never
/// answers must not hold the send up (it then goes on from memory).
const KEEP_TIMEOUT_MS: i32 = 5_000;

/// Keeps a sealed envelope on the device until it is stored; false when the
/// device's storage refused or did not answer in time.
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
    let Some(done) = outbox("put", &record) else {
        return false;
    };
    let late = Promise::new(&mut |_, fail| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&fail, KEEP_TIMEOUT_MS);
        }
    });
    JsFuture::from(Promise::race(&js_sys::Array::of2(&done, &late)))
        .await
        .is_ok()
}

/// Forgets a stored envelope.
pub async fn forget(id: &str) {
    if let Some(done) = outbox("remove", &JsValue::from_str(id)) {
        let _ = JsFuture::from(done).await;
    }
}
