//! Reading JSON with the browser's own `JSON.parse`, so the wasm bundle does
//! not carry a JSON parser of its own (serde_json's costs about 13 KB gzip).

use intake_core::{ConfigValue, ErrorCode, FieldError};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// Parses `text`; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

/// The entries of a JSON object as configuration values, or why it is not one.
pub fn config_entries(text: &str) -> Result<Vec<(String, ConfigValue)>, String> {
    let value = parse(text).ok_or_else(|| "it is not valid JSON".to_owned())?;
    if !value.is_object() || Array::is_array(&value) {
        return Err(intake_core::config::NOT_AN_OBJECT.to_owned());
    }
    Ok(entries(&value))
}

/// The key-value pairs of a JSON object.
fn entries(object: &JsValue) -> Vec<(String, ConfigValue)> {
    Object::entries(object.unchecked_ref())
        .iter()
        .filter_map(|entry| {
            let pair: Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, config_value(pair.get(1))))
        })
        .collect()
}

/// A parsed JSON value as a configuration value.
fn config_value(value: JsValue) -> ConfigValue {
    if let Some(text) = value.as_string() {
        ConfigValue::Text(text)
    } else if let Some(b) = value.as_bool() {
        ConfigValue::Bool(b)
    } else if Array::is_array(&value) {
        ConfigValue::List(Array::from(&value).iter().map(config_value).collect())
    } else if value.is_object() {
        ConfigValue::Object(entries(&value))
    } else {
        // Numbers and null stay JSON text, written by the browser (no float
        // formatting in the bundle).
        ConfigValue::Other(
            JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default(),
        )
    }
}

/// The string at `key` of a JSON object.
pub fn string_at(value: &JsValue, key: &str) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(key))
        .ok()?
        .as_string()
}

/// The number at `key` of a JSON object.
pub fn number_at(value: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(value, &JsValue::from_str(key)).ok()?.as_f64()
}

/// The array at `key` of a JSON object.
pub fn array_at(value: &JsValue, key: &str) -> Option<Array> {
    Reflect::get(value, &JsValue::from_str(key))
        .ok()?
        .dyn_into()
        .ok()
}

/// The `errors` list of a reply or of the rules module, as field errors.
pub fn field_errors(value: &JsValue) -> Vec<FieldError> {
    field_errors_at(value, "errors")
}

/// The list `key` of a reply or of the rules module, as field errors.
pub fn field_errors_at(value: &JsValue, key: &str) -> Vec<FieldError> {
    array_at(value, key)
        .map(|list| {
            list.iter()
                .filter_map(|e| {
                    Some(FieldError {
                        path: string_at(&e, "path")?,
                        code: ErrorCode::from_code(&string_at(&e, "code")?),
                        min: number_at(&e, "min").map(|m| m as u32),
                        max: number_at(&e, "max").map(|m| m as u32),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}
