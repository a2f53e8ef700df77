//! The first view: the education and the way into the intake (no Leptos).

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The education only, in an element of a clinic's page (embed.js, inline
/// mode), with the widget's files and configuration under `base`, in `lang`.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_inline(target: web_sys::Element, base: String, primary: String, lang: String) {
    massage_intake::shell::mount_inline(target, base, primary, lang);
}

/// The form switched language: texts this module shows later (the kiosk's
/// idle dialog) follow.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn set_language(tag: String) {
    if let Some(locale) = intake_core::Locale::from_tag(&tag) {
        wasm_bindgen_futures::spawn_local(async move {
            massage_intake::locale::use_locale(locale).await;
        });
    }
}

/// The English texts, one a line, for the form module (which does not carry
/// its own copy); those shown only after sending are the form's own.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn english_lines() -> String {
    intake_core::Catalog::english_before_send().to_lines()
}

fn main() {
    // Loaded by embed.js into a clinic's page: it mounts where it is told.
    if !massage_intake::bridge::inline() {
        massage_intake::shell::start();
    }
}
