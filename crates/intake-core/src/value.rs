//! The configuration file as a small JSON tree, shared by the options
//! (`config`) and the content overrides (`learn`), which know nothing of each
//! other's types.

/// A value in the configuration file, as a small JSON tree (the browser parses
/// with its own `JSON.parse`, so the bundle needs no JSON parser).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigValue {
    Text(String),
    Bool(bool),
    List(Vec<ConfigValue>),
    Object(Vec<(String, ConfigValue)>),
    /// A number or `null`, as JSON text.
    Other(String),
}

impl ConfigValue {
    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            ConfigValue::Text(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn shown(&self) -> String {
        match self {
            ConfigValue::Text(t) | ConfigValue::Other(t) => t.clone(),
            ConfigValue::Bool(b) => b.to_string(),
            ConfigValue::List(_) => "[…]".to_owned(),
            ConfigValue::Object(_) => "{…}".to_owned(),
        }
    }

    /// The tree of a parsed JSON value (native callers).
    pub fn from_json(value: serde_json::Value) -> ConfigValue {
        use serde_json::Value;
        match value {
            Value::String(s) => ConfigValue::Text(s),
            Value::Bool(b) => ConfigValue::Bool(b),
            Value::Array(items) => {
                ConfigValue::List(items.into_iter().map(ConfigValue::from_json).collect())
            }
            Value::Object(map) => ConfigValue::Object(
                map.into_iter()
                    .map(|(k, v)| (k, ConfigValue::from_json(v)))
                    .collect(),
            ),
            other => ConfigValue::Other(other.to_string()),
        }
    }
}
