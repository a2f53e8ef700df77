//! The JSON Schema of `massage-intake/2`, generated from the types so the two
//! cannot drift apart. Native tools only (feature `schema`).

use crate::submission::Submission;

/// The schema's identifier.
pub const SCHEMA_ID: &str = "https://massage-intake.example/schema/massage-intake-2.json";

/// The JSON Schema (draft 2020-12) of a submission.
pub fn submission_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Submission)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), SCHEMA_ID.into());
        object.insert("title".into(), "massage-intake/2 submission".into());
    }
    schema
}
