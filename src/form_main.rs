//! The intake form (the Leptos app), loaded by `boot.js` when it is needed;
//! `boot.js` calls its exported `mount_form`.

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Puts the form in place of the first view (see `massage_intake::mount_form`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn mount_form(focus: bool) {
    massage_intake::shell::quiet_panics();
    massage_intake::mount_form(focus).await;
}

/// Starts the form on a page that opens on it, without the first view (see
/// `massage_intake::start_alone`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn start_alone() -> Result<(), wasm_bindgen::JsValue> {
    massage_intake::shell::quiet_panics();
    massage_intake::start_alone()
        .await
        .map_err(|()| "the form's texts could not be fetched".into())
}

/// Takes the form down for a kiosk reset (see `massage_intake::unmount_form`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn unmount_form() {
    massage_intake::unmount_form();
}

/// Sends the sealed envelopes kept on this device (see
/// `massage_intake::outbox`); boot.js calls it on a device that has some.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn deliver_kept() {
    massage_intake::outbox::deliver_kept();
}

fn main() {}
