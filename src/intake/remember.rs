//! "Remember my answers on this device": for a patient at home, opt-in, never
//! in kiosk mode. The answers are kept in the browser's `localStorage` for at
//! most 24 hours, and forgotten on sending or with the "Forget them" button.

use intake_core::{DiagnosisDraft, IntakeDraft, MedicationDraft, PainDraft, PhotoDraft};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

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

/// Puts the answers remembered in the last 24 hours into `draft` (an empty
/// one) and says whether there were any; older or unreadable ones are
/// removed. Filled in place: a draft returned by value was taken apart and
/// put together again field by field, several kilobytes of wasm.
pub fn load_into(draft: &mut IntakeDraft) -> bool {
    let Some(text) = storage().and_then(|s| s.get_item(KEY).ok().flatten()) else {
        return false;
    };
    let read = read_into(draft, &text, js_sys::Date::now());
    if !read {
        forget();
    }
    read
}

fn read_into(d: &mut IntakeDraft, text: &str, now: f64) -> bool {
    let Some(value) = crate::json::parse(text) else {
        return false;
    };
    let Some(saved_at) = crate::json::number_at(&value, "saved_at") else {
        return false;
    };
    if !(0.0..=MAX_AGE_MS).contains(&(now - saved_at)) {
        return false;
    }
    match js_sys::Reflect::get(&value, &"draft".into()) {
        Ok(draft) if draft.is_object() => {
            fill(d, &draft);
            true
        }
        _ => false,
    }
}

/// Fills `d`, an empty draft, from a parsed JSON object, field by field;
/// what is missing or of another type stays empty. (Written by hand, one
/// pass over the object's entries: serde's derived reader for this struct
/// cost the form module 31 KB gzip, and a read per field inlined about 10 KB
/// of wasm.)
fn fill(d: &mut IntakeDraft, v: &JsValue) {
    for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let (Some(key), value) = (pair.get(0).as_string(), pair.get(1)) else {
            continue;
        };
        if let Some(field) = d.text_field(&key) {
            *field = value.as_string().unwrap_or_default();
        } else if let Some(field) = d.flag_field(&key) {
            *field = value.as_bool().unwrap_or(false);
        } else if let Some(field) = d.codes_field(&key) {
            *field = codes(&value);
        } else {
            match key.as_str() {
                "medications" => {
                    d.medications = items(&value, |m| MedicationDraft {
                        name: text(m, "name"),
                        dose: text(m, "dose"),
                    })
                }
                "diagnoses" => {
                    d.diagnoses = items(&value, |x| DiagnosisDraft {
                        code: text(x, "code"),
                        description: text(x, "description"),
                    })
                }
                "pain" => {
                    d.pain = items(&value, |p| PainDraft {
                        region: text(p, "region"),
                        intensity: crate::json::number_at(p, "intensity")
                            .map(|n| n.clamp(0.0, 10.0) as u8),
                    })
                }
                "photo" => {
                    d.photo = value.is_object().then(|| PhotoDraft {
                        mime_type: text(&value, "mime_type"),
                        data_base64: text(&value, "data_base64"),
                    })
                }
                _ => {}
            }
        }
    }
}

fn text(v: &JsValue, key: &str) -> String {
    crate::json::string_at(v, key).unwrap_or_default()
}

/// The objects of a JSON array, each read by `each`; nothing for another type.
fn items<T>(list: &JsValue, each: impl Fn(&JsValue) -> T) -> Vec<T> {
    if !js_sys::Array::is_array(list) {
        return Vec::new();
    }
    js_sys::Array::from(list)
        .iter()
        .filter(JsValue::is_object)
        .map(|x| each(&x))
        .collect()
}

/// The strings of a JSON array; nothing for another type.
fn codes(list: &JsValue) -> Vec<String> {
    if !js_sys::Array::is_array(list) {
        return Vec::new();
    }
    js_sys::Array::from(list)
        .iter()
        .filter_map(|c| c.as_string())
        .collect()
}
