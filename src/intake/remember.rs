//! "Remember my answers on this device": for a patient at home, opt-in, never
//! in kiosk mode. The answers are kept in the browser's `localStorage` for at
//! most 24 hours, and forgotten on sending or with the "Forget them" button.

use intake_core::IntakeDraft;
use serde::Serialize;

/// The `localStorage` key.
pub const KEY: &str = "massage-intake.remembered";
/// How long remembered answers are kept.
pub const MAX_AGE_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

#[derive(Serialize)]
struct Remembered<'a> {
    /// Milliseconds since 1970, whole (a float would bring float printing).
    saved_at: u64,
    draft: &'a IntakeDraft,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Keeps `draft` on this device, with the time.
pub fn save(draft: &IntakeDraft) {
    let Ok(text) = serde_json::to_string(&Remembered {
        saved_at: js_sys::Date::now() as u64,
        draft,
    }) else {
        return;
    };
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, &text);
    }
}

/// Removes the remembered answers from this device.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

/// The answers remembered in the last 24 hours; older or unreadable ones
/// are removed.
pub fn load() -> Option<IntakeDraft> {
    let text = storage()?.get_item(KEY).ok()??;
    let draft = read(&text, js_sys::Date::now());
    if draft.is_none() {
        forget();
    }
    draft
}

fn read(text: &str, now: f64) -> Option<IntakeDraft> {
    use crate::json::{parse, string_at};
    let value = parse(text)?;
    let saved_at = crate::json::number_at(&value, "saved_at")?;
    if !(0.0..=MAX_AGE_MS).contains(&(now - saved_at)) {
        return None;
    }
    let draft = js_sys::Reflect::get(&value, &"draft".into()).ok()?;
    let text = |k: &str| string_at(&draft, k).unwrap_or_default();
    let flag = |k: &str| {
        js_sys::Reflect::get(&draft, &k.into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    };
    Some(IntakeDraft {
        given_name: text("given_name"),
        family_name: text("family_name"),
        date_of_birth: text("date_of_birth"),
        phone: text("phone"),
        reason: text("reason"),
        consent_treatment: flag("consent_treatment"),
        consent_privacy: flag("consent_privacy"),
        signature_name: text("signature_name"),
        guardian_name: text("guardian_name"),
        guardian_relationship: text("guardian_relationship"),
        guardian_phone: text("guardian_phone"),
    })
}
