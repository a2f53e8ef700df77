//! "Remember my answers on this device": for a patient at home, opt-in, never
//! in kiosk mode. The answers are kept in the browser's `localStorage` for at
//! most 24 hours, and forgotten on sending or with the "Forget them" button.

use intake_core::{DiagnosisDraft, IntakeDraft, MedicationDraft, PainDraft, PhotoDraft};
use serde::Serialize;
use wasm_bindgen::JsValue;

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
    let Some(text) = crate::json_writer::to_string(&Remembered {
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
    let value = crate::json::parse(text)?;
    let saved_at = crate::json::number_at(&value, "saved_at")?;
    if !(0.0..=MAX_AGE_MS).contains(&(now - saved_at)) {
        return None;
    }
    let draft = js_sys::Reflect::get(&value, &"draft".into()).ok()?;
    draft.is_object().then(|| from_js(&draft))
}

/// The draft in a parsed JSON object, field by field; what is missing or of
/// another type stays empty. (Written by hand: serde's derived reader for
/// this struct cost the form module 31 KB gzip.)
pub fn from_js(v: &JsValue) -> IntakeDraft {
    let mut d = IntakeDraft::default();
    macro_rules! read {
        ($reader:ident: $($field:ident),* $(,)?) => {
            $( d.$field = $reader(v, stringify!($field)); )*
        };
    }
    read!(text:
        given_name, family_name, date_of_birth, phone, email, address_line1, address_line2,
        city, region, postal_code, emergency_name, emergency_relationship, emergency_phone,
        pcp_name, pcp_practice, pcp_phone, pcp_fax, reason, goals_other, pressure,
        areas_to_avoid, prior_massage, has_prescription, payer_kind, surgery_date,
        pregnancy_weeks, condition_notes, allergies_other, prescriber_name, npi,
        prescriber_practice, prescriber_phone, prescriber_fax, date_written,
        frequency_per_week, duration_weeks, visits_authorized, session_minutes,
        prior_authorization, restrictions, insurance_carrier, member_id, group_number,
        subscriber_name, subscriber_relationship, auto_carrier, auto_claim_number,
        auto_adjuster_name, auto_adjuster_phone, auto_date, wc_employer, wc_carrier,
        wc_claim_number, wc_adjuster_name, wc_adjuster_phone, wc_date, guardian_name,
        guardian_relationship, guardian_phone, signature_path, signature_name,
        takes_medications, blood_thinners, consent_treatment_at, consent_privacy_at,
        consent_share_at,
    );
    read!(flag: consent_treatment, consent_privacy, consent_share);
    read!(codes: goals, conditions, allergies, modalities);
    d.medications = items(v, "medications", |m| MedicationDraft {
        name: text(m, "name"),
        dose: text(m, "dose"),
    });
    d.diagnoses = items(v, "diagnoses", |x| DiagnosisDraft {
        code: text(x, "code"),
        description: text(x, "description"),
    });
    d.pain = items(v, "pain", |p| PainDraft {
        region: text(p, "region"),
        intensity: crate::json::number_at(p, "intensity").map(|n| n.clamp(0.0, 10.0) as u8),
    });
    d.photo = js_sys::Reflect::get(v, &"photo".into())
        .ok()
        .filter(JsValue::is_object)
        .map(|p| PhotoDraft {
            mime_type: text(&p, "mime_type"),
            data_base64: text(&p, "data_base64"),
        });
    d
}

fn text(v: &JsValue, key: &str) -> String {
    crate::json::string_at(v, key).unwrap_or_default()
}

fn flag(v: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(v, &key.into())
        .ok()
        .and_then(|b| b.as_bool())
        .unwrap_or(false)
}

fn items<T>(v: &JsValue, key: &str, each: impl Fn(&JsValue) -> T) -> Vec<T> {
    crate::json::array_at(v, key)
        .map(|list| {
            list.iter()
                .filter(JsValue::is_object)
                .map(|x| each(&x))
                .collect()
        })
        .unwrap_or_default()
}

fn codes(v: &JsValue, key: &str) -> Vec<String> {
    crate::json::array_at(v, key)
        .map(|list| list.iter().filter_map(|c| c.as_string()).collect())
        .unwrap_or_default()
}
