//! The staff inbox's module for the browser. It opens sealed submissions
//! with the clinic's private key, which the staff member chooses in the inbox
//! and which never leaves the browser's memory, and it draws the chart
//! summary of any submission (`chart`), the same for sealed and plain ones.
//! The receiver never sees a sealed submission's content.

pub mod chart;
pub mod html;

use intake_core::sealed::{open, Envelope, KeyPair};
use intake_core::{compute_flags, FlagCode, Submission};

/// A stored submission's JSON read as a submission (`/1` read as `/2`).
pub fn submission_from_json(json: &str) -> Result<Submission, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|_| "This intake is not readable JSON.".to_owned())?;
    Submission::from_json_value(value)
        .map_err(|e| format!("This intake does not have the expected form: {e}"))
}

/// Opens a sealed envelope with `keys`. The flags are worked out again from
/// the answers, as the receiver does for a plain submission.
pub fn open_envelope(keys: &KeyPair, envelope_json: &str) -> Result<Submission, String> {
    let envelope: Envelope = serde_json::from_str(envelope_json)
        .map_err(|_| "This is not a sealed intake.".to_owned())?;
    let id = keys.public_key().id().to_owned();
    if envelope.key_id != id {
        return Err(format!(
            "This intake was sealed to the key {}, and the key loaded is {id}: load the clinic's key file with that id.",
            envelope.key_id
        ));
    }
    let plain = open(&envelope, keys).map_err(|_| {
        "This intake could not be opened with the key loaded: it was changed, or sealed to another key."
            .to_owned()
    })?;
    let text = String::from_utf8(plain).map_err(|_| "The opened intake is not text.".to_owned())?;
    let mut submission = if envelope.content_type.starts_with("application/fhir+json") {
        let qr: serde_json::Value = serde_json::from_str(&text)
            .map_err(|_| "The opened intake is not readable JSON.".to_owned())?;
        intake_core::fhir::from_questionnaire_response(&qr)
            .map_err(|e| format!("The opened FHIR response could not be read: {e:?}"))?
    } else {
        submission_from_json(&text)?
    };
    if submission.submission_id != envelope.submission_id {
        return Err("The opened intake does not match its envelope.".to_owned());
    }
    submission.flags = compute_flags(&submission);
    Ok(submission)
}

/// The short name of a flag for the inbox's badges.
pub fn badge(code: FlagCode) -> &'static str {
    match code {
        FlagCode::PhysicianClearance => "Physician clearance",
        FlagCode::CancerClearance => "Oncology clearance",
        FlagCode::SurgeryClearance => "Surgery clearance",
        FlagCode::Reschedule => "Reschedule",
        FlagCode::PrenatalPositioning => "Pregnancy",
        FlagCode::LightPressure => "Light pressure",
        FlagCode::NutFreeLubricant => "Nut-free",
        FlagCode::LatexFreeGloves => "Latex-free",
        FlagCode::HypoallergenicLubricant => "Hypoallergenic",
        FlagCode::AvoidArea => "Avoid area",
        FlagCode::HealthUnknown => "Health not answered",
    }
}

/// What the inbox's list shows of a submission, as JSON.
pub fn row_json(s: &Submission) -> String {
    serde_json::json!({
        "given_name": s.patient.given_name.as_str(),
        "family_name": s.patient.family_name.as_str(),
        "date_of_birth": s.patient.date_of_birth,
        "mode": s.mode,
        "locale": s.locale,
        "flags": chart::ordered_flags(&s.flags).iter().map(|f| f.code.code()).collect::<Vec<_>>(),
    })
    .to_string()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;

    use super::*;

    /// The clinic's private key, held in this module's memory until `free`.
    #[wasm_bindgen]
    pub struct Key {
        keys: KeyPair,
    }

    #[wasm_bindgen]
    impl Key {
        /// The key from the text of the file `intake-receiver keygen` wrote.
        #[wasm_bindgen(constructor)]
        pub fn new(text: &str) -> Result<Key, JsError> {
            KeyPair::parse(text).map(|keys| Key { keys }).ok_or_else(|| {
                JsError::new(
                    "This file is not a clinic key: choose the private key file made by `intake-receiver keygen`.",
                )
            })
        }

        /// The key's id, as envelopes name it.
        pub fn id(&self) -> String {
            self.keys.public_key().id().to_owned()
        }

        /// A sealed envelope's submission, as JSON.
        pub fn open(&self, envelope_json: &str) -> Result<String, JsError> {
            let submission =
                open_envelope(&self.keys, envelope_json).map_err(|e| JsError::new(&e))?;
            serde_json::to_string(&submission).map_err(|e| JsError::new(&e.to_string()))
        }
    }

    /// The chart summary's HTML (every value escaped).
    #[wasm_bindgen]
    pub fn chart(
        submission_json: &str,
        reference: &str,
        received_at: &str,
        sealed: bool,
    ) -> Result<String, JsError> {
        let s = submission_from_json(submission_json).map_err(|e| JsError::new(&e))?;
        Ok(chart::chart_html(
            &s,
            &chart::Receipt {
                reference,
                received_at,
                sealed,
            },
        ))
    }

    /// What the list shows of a submission, as JSON.
    #[wasm_bindgen]
    pub fn row(submission_json: &str) -> Result<String, JsError> {
        let s = submission_from_json(submission_json).map_err(|e| JsError::new(&e))?;
        Ok(row_json(&s))
    }

    /// The submission as a FHIR `QuestionnaireResponse`, pretty-printed.
    #[wasm_bindgen]
    pub fn fhir(submission_json: &str) -> Result<String, JsError> {
        let s = submission_from_json(submission_json).map_err(|e| JsError::new(&e))?;
        serde_json::to_string_pretty(&intake_core::fhir::to_questionnaire_response(&s))
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// A flag's badge text (the code itself when unknown).
    #[wasm_bindgen]
    pub fn badge(code: &str) -> String {
        FlagCode::from_code(code).map_or_else(|| code.to_owned(), |c| super::badge(c).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::sealed::seal;

    fn example_json() -> String {
        include_str!("../../../docs/example-submission.json").to_owned()
    }

    #[test]
    fn a_sealed_intake_opens_with_its_key_only() {
        let keys = KeyPair::derive(&[7; 32]);
        let other = KeyPair::derive(&[8; 32]);
        let s = submission_from_json(&example_json()).expect("example");
        let envelope = seal(
            example_json().as_bytes(),
            &s.submission_id,
            "application/json",
            &keys.public_key(),
            [9; 32],
        )
        .expect("seal");
        let json = envelope.to_json().expect("envelope json");
        let opened = open_envelope(&keys, &json).expect("opens");
        assert_eq!(opened.patient, s.patient);
        let refused = open_envelope(&other, &json).expect_err("another key");
        assert!(refused.contains(keys.public_key().id()), "{refused}");
        let mut tampered: serde_json::Value = serde_json::from_str(&json).expect("json");
        tampered["submission_id"] = "00000000-0000-4000-8000-000000000000".into();
        assert!(open_envelope(&keys, &tampered.to_string()).is_err());
        assert!(open_envelope(&keys, "{}").is_err());
    }

    #[test]
    fn every_flag_has_a_badge_shorter_than_its_message() {
        let english = intake_core::Catalog::english();
        for code in FlagCode::ALL {
            let badge = badge(*code);
            assert!(!badge.is_empty() && badge.len() < english.text(code.msg()).len());
        }
    }

    #[test]
    fn a_row_names_the_patient_and_the_flags_stops_first() {
        let s = submission_from_json(&example_json()).expect("example");
        let row: serde_json::Value = serde_json::from_str(&row_json(&s)).expect("json");
        assert_eq!(row["family_name"], s.patient.family_name.as_str());
        assert_eq!(
            row["flags"].as_array().map(Vec::len),
            Some(s.flags.len()),
            "{row}"
        );
    }
}
