//! The submission: what the widget sends and the receiver stores, versioned as
//! `massage-intake/2` (`/1` is still read, see [`upgrade_v1`]). Every object
//! refuses unknown fields; every free text
//! has a limit in its type; dates are `YYYY-MM-DD`, times RFC 3339 UTC, phone
//! numbers E.164.

use serde::{Deserialize, Serialize};

use crate::config::Mode;
use crate::text::{Ident, Line, Name, Paragraph, Text};
use crate::vocab::{
    Allergen, AttachmentKind, BodyRegion, Condition, Flag, Goal, Modality, PayerKind, Pressure,
    PriorMassage, SignatureMethod, SubscriberRelationship,
};

/// The schema name and version every submission carries.
pub const SCHEMA: &str = "massage-intake/2";

/// The first version, still read: see [`upgrade_v1`].
pub const SCHEMA_V1: &str = "massage-intake/1";

/// The versions of the consent texts the widget shows.
pub const TREATMENT_CONSENT_VERSION: &str = "treatment-2026-11";
pub const PRIVACY_NOTICE_VERSION: &str = "privacy-2026-11";
pub const SHARE_CONSENT_VERSION: &str = "share-pcp-2026-11";

/// One patient's intake, as sent to the clinic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Submission {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// UUID v4, created when the patient pressed Submit; also the `Idempotency-Key`.
    pub submission_id: String,
    /// RFC 3339 UTC time of that press.
    pub submitted_at: String,
    /// The language the patient used (`en`).
    pub locale: String,
    /// Where the widget ran.
    pub mode: Mode,
    pub patient: Patient,
    pub visit: Visit,
    pub health: HealthHistory,
    /// Where it hurts, each region once.
    pub pain: Vec<PainRegion>,
    pub prescription: Prescription,
    pub payer: Payer,
    pub consents: Consents,
    pub signature: Signature,
    pub attachments: Vec<Attachment>,
    /// Computed from the answers by [`crate::flags::compute_flags`].
    pub flags: Vec<Flag>,
}

/// Who the patient is and how to reach them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Patient {
    pub given_name: Name,
    pub family_name: Name,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// E.164, North American numbering (`+14014234433`).
    pub phone: String,
    pub email: Option<Text<254>>,
    pub address: Option<Address>,
    pub emergency_contact: Option<EmergencyContact>,
    pub primary_care: Option<PrimaryCare>,
}

/// A US or Canadian postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Address {
    pub line1: Line,
    pub line2: Option<Line>,
    pub city: Line,
    /// Two-letter state, territory or province code (`RI`, `QC`).
    pub region: String,
    /// US ZIP or Canadian postal code.
    pub postal_code: String,
}

/// Whom to call in an emergency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmergencyContact {
    pub name: Name,
    pub relationship: Text<40>,
    /// E.164.
    pub phone: String,
}

/// The patient's primary-care provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PrimaryCare {
    pub name: Name,
    pub practice: Option<Line>,
    /// E.164.
    pub phone: Option<String>,
    /// E.164.
    pub fax: Option<String>,
}

/// Why the patient comes and what they want from it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Visit {
    pub reason: Paragraph,
    pub goals: Vec<Goal>,
    pub goals_other: Option<Text<500>>,
    pub pressure: Option<Pressure>,
    pub areas_to_avoid: Option<Text<500>>,
    pub prior_massage: Option<PriorMassage>,
}

/// Conditions, medications and allergies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthHistory {
    /// What applies; `["none"]` alone for "none of these". Empty only when not
    /// answered (a `/1` submission), which raises `health_unknown`.
    pub conditions: Vec<Condition>,
    /// `YYYY-MM-DD`, required with `recent_surgery_or_injury`.
    pub surgery_or_injury_date: Option<String>,
    /// Required with `pregnancy`, 1 to 42.
    pub pregnancy_weeks: Option<u8>,
    pub condition_notes: Option<Paragraph>,
    /// Whether the patient takes any medicine; `null` when not answered.
    #[serde(default)]
    pub takes_medications: Option<bool>,
    /// The medicines, when `takes_medications` is true.
    pub medications: Vec<Medication>,
    /// Anticoagulants or antiplatelets (warfarin, apixaban, daily aspirin…);
    /// `null` when not answered.
    pub blood_thinners: Option<bool>,
    /// What the patient reacts to; `["none"]` alone for "none of these".
    /// Empty only when not answered.
    pub allergies: Vec<Allergen>,
    pub allergies_other: Option<Text<500>>,
}

impl HealthHistory {
    /// Whether every screening question has an answer.
    pub fn is_answered(&self) -> bool {
        !self.conditions.is_empty()
            && self.takes_medications.is_some()
            && self.blood_thinners.is_some()
            && !self.allergies.is_empty()
    }
}

/// A medicine the patient takes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Medication {
    pub name: Text<120>,
    pub dose: Option<Text<60>>,
}

/// One painful region of the body map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PainRegion {
    pub region: BodyRegion,
    /// 0 (none) to 10 (worst imaginable).
    pub intensity: u8,
}

/// The physician's prescription, or its absence (self-referral is allowed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Prescription {
    pub has_prescription: bool,
    pub prescriber: Option<Prescriber>,
    /// `YYYY-MM-DD`.
    pub date_written: Option<String>,
    pub diagnoses: Vec<Diagnosis>,
    pub modalities: Vec<Modality>,
    /// 1 to 7.
    pub frequency_per_week: Option<u8>,
    /// 1 to 52.
    pub duration_weeks: Option<u8>,
    /// 1 to 200.
    pub visits_authorized: Option<u16>,
    /// Billed length, 15 to 120 (usually 60, of which about 50 hands-on);
    /// `null` when the prescription does not say.
    pub session_minutes: Option<u16>,
    pub prior_authorization: Option<Ident>,
    pub restrictions: Option<Paragraph>,
}

/// Who wrote the prescription.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Prescriber {
    pub name: Name,
    /// Ten digits, Luhn-checked.
    pub npi: String,
    pub practice: Option<Line>,
    /// E.164.
    pub phone: String,
    /// E.164.
    pub fax: Option<String>,
}

/// One ICD-10-CM diagnosis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diagnosis {
    /// Written form, with the dot (`M54.50`).
    pub code: String,
    pub description: Text<200>,
}

/// Who pays, and the details that kind of payer needs. Only the block of the
/// chosen kind is present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Payer {
    pub kind: PayerKind,
    pub health_insurance: Option<HealthInsurance>,
    pub auto_accident: Option<AutoAccident>,
    pub workers_comp: Option<WorkersComp>,
}

impl Default for Payer {
    fn default() -> Self {
        Payer {
            kind: PayerKind::SelfPay,
            health_insurance: None,
            auto_accident: None,
            workers_comp: None,
        }
    }
}

/// Health insurance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthInsurance {
    pub carrier: Line,
    pub member_id: Ident,
    pub group_number: Option<Ident>,
    pub subscriber_name: Name,
    pub subscriber_relationship: Option<SubscriberRelationship>,
}

/// Auto accident / personal injury protection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AutoAccident {
    pub carrier: Line,
    pub claim_number: Ident,
    pub adjuster_name: Option<Name>,
    /// E.164.
    pub adjuster_phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_accident: String,
}

/// Workers' compensation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkersComp {
    pub employer: Line,
    pub carrier: Option<Line>,
    pub claim_number: Ident,
    pub adjuster_name: Option<Name>,
    /// E.164.
    pub adjuster_phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_injury: String,
}

/// The consents the patient gave; a consent not given is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Consents {
    /// Informed consent to treatment (required).
    pub treatment: Option<ConsentRecord>,
    /// The privacy notice was acknowledged (required).
    pub privacy_notice: Option<ConsentRecord>,
    /// Permission to send progress updates to the primary-care team (optional).
    pub share_with_primary_care: Option<ConsentRecord>,
    /// The parent or guardian who consents for a patient under 18.
    pub guardian: Option<Guardian>,
}

/// Which text the patient agreed to, and when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConsentRecord {
    pub version: Text<64>,
    pub accepted_at: String,
}

/// A minor's parent or guardian.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Guardian {
    pub name: Name,
    pub relationship: Text<40>,
    /// E.164.
    pub phone: String,
}

/// The patient's signature: drawn (SVG path data) or typed (the full name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Signature {
    pub method: Option<SignatureMethod>,
    /// SVG path data (`M10 20 L30 40 …`), with `drawn`.
    pub svg_path: Option<Text<20000>>,
    /// The full name, with `typed`.
    pub typed_name: Option<Name>,
    pub signed_at: String,
}

/// A file the patient added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Attachment {
    pub kind: AttachmentKind,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub mime_type: String,
    /// Bytes after base64 decoding; at most [`crate::validate::MAX_ATTACHMENT_BYTES`].
    pub size_bytes: u32,
    /// Standard base64 with padding.
    pub data_base64: String,
}

/// Formats 16 random bytes as a UUID v4 (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
/// The widget draws the bytes from the browser's `crypto.getRandomValues`.
pub fn uuid_v4_from_bytes(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

impl Submission {
    /// What the answers say that shapes the first visit ("what to expect").
    pub fn expect_facts(&self) -> crate::expect::Facts {
        crate::expect::Facts {
            has_prescription: self.prescription.has_prescription,
            payer: Some(self.payer.kind),
            goals: self.visit.goals.clone(),
            has_pain_areas: !self.pain.is_empty(),
            prefers_light_pressure: self.visit.pressure == Some(crate::vocab::Pressure::Light),
            flags: self.flags.iter().map(|f| f.code).collect(),
        }
    }
}

impl Submission {
    /// A submission from its JSON, `/1` read as `/2` (see [`upgrade_v1`]).
    pub fn from_json_value(mut json: serde_json::Value) -> serde_json::Result<Submission> {
        upgrade_v1(&mut json);
        serde_json::from_value(json)
    }
}

/// Reads a `massage-intake/1` submission as `/2`, in place; any other JSON is
/// left as it is. In `/1` an unticked box was `false` and an untouched list
/// `[]`, which cannot be told from "no": they become "not answered" (`null`
/// and `[]`), `takes_medications` follows from the list, and the flag
/// `health_unknown` joins the flags when anything is unanswered. `schema`
/// stays `massage-intake/1`, so a reader still knows where it came from.
pub fn upgrade_v1(submission: &mut serde_json::Value) {
    use serde_json::Value;
    if submission.get("schema").and_then(Value::as_str) != Some(SCHEMA_V1) {
        return;
    }
    let Some(health) = submission.get_mut("health").and_then(Value::as_object_mut) else {
        return;
    };
    if health.get("blood_thinners") == Some(&Value::Bool(false)) {
        health.insert("blood_thinners".into(), Value::Null);
    }
    let listed = |h: &serde_json::Map<String, Value>, key: &str| {
        h.get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let takes = listed(health, "medications").then_some(Value::Bool(true));
    health
        .entry("takes_medications")
        .or_insert(takes.unwrap_or(Value::Null));
    let unknown = !listed(health, "conditions")
        || !listed(health, "allergies")
        || health.get("blood_thinners").is_none_or(Value::is_null)
        || health.get("takes_medications").is_none_or(Value::is_null);
    if unknown {
        if let Some(flags) = submission.get_mut("flags").and_then(Value::as_array_mut) {
            flags.push(serde_json::json!({"code": "health_unknown", "severity": "stop"}));
        }
    }
}
