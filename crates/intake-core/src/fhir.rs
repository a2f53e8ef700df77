//! The submission as FHIR R4: a `QuestionnaireResponse` answering the
//! `Questionnaire` generated from the same model ([`crate::fhir_questionnaire`],
//! native tools), and back again, so a receiver can take either.
//!
//! The mapping is structural, so it covers every field and cannot miss one:
//! each object of the submission is a group item, each field an item whose
//! `linkId` is its path (`patient.date_of_birth`), each list of objects a
//! repeated group, each list of codes one item with several answers. Answers
//! are typed by [`kind`]: dates `valueDate`, times `valueDateTime`, codes
//! `valueCoding` (ICD-10-CM, NPI, CPT or the intake's own code systems),
//! numbers `valueInteger`, yes/no `valueBoolean`, the rest `valueString`; the
//! photo is a `valueAttachment`. Outside the items:
//! - the submission id is the resource's `id` and `identifier` (`urn:uuid:`);
//! - the time of sending is `authored`, the language `language`;
//! - the patient is a contained `Patient` (name, birth date, phone, email),
//!   the `subject` and the signature's signer;
//! - the signature is the standard `questionnaireresponse-signature`
//!   extension: when, who (with the typed name as `display`), and a drawn
//!   signature as `image/svg+xml` data;
//! - each safety flag is a [`FLAG_EXTENSION`] extension with `code` and
//!   `severity`.
//!
//! ```
//! # let example = include_str!("../../../docs/example-submission.json");
//! use intake_core::fhir::{from_questionnaire_response, to_questionnaire_response};
//! let submission: intake_core::Submission = serde_json::from_str(example).unwrap();
//! let qr = to_questionnaire_response(&submission);
//! assert_eq!(qr["resourceType"], "QuestionnaireResponse");
//! assert_eq!(from_questionnaire_response(&qr).unwrap(), submission);
//! ```

use serde_json::{json, Map, Value};

use crate::submission::{Submission, SCHEMA, SCHEMA_V1};

/// The canonical URL of the intake's `Questionnaire`.
pub const QUESTIONNAIRE_URL: &str =
    "https://massage-intake.example/fhir/Questionnaire/massage-intake-1";
/// The `Questionnaire`'s version, matching the submission schema's.
pub const QUESTIONNAIRE_VERSION: &str = "2";
/// The base of the intake's own code systems (`…/CodeSystem/goal`).
pub const CODE_SYSTEM_BASE: &str = "https://massage-intake.example/fhir/CodeSystem/";
/// The extension carrying one safety flag (sub-extensions `code`, `severity`).
pub const FLAG_EXTENSION: &str =
    "https://massage-intake.example/fhir/StructureDefinition/safety-flag";
/// HL7's signature extension for a `QuestionnaireResponse`.
pub const SIGNATURE_EXTENSION: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-signature";
/// ICD-10-CM, for diagnoses.
pub const ICD10_CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// The US National Provider Identifier's naming system. It names
/// identifiers, not codes, so the prescriber's NPI is answered as text
/// (`valueString`); a `valueCoding` in this system is still read.
pub const US_NPI: &str = "http://hl7.org/fhir/sid/us-npi";
/// CPT, for the prescribed modalities (97124 massage, 97140 manual therapy…).
pub const CPT: &str = "http://www.ama-assn.org/go/cpt";
/// ASTM E1762 signature types; the code is "Consent Signature".
const SIGNATURE_TYPE_SYSTEM: &str = "urn:iso-astm:E1762-95:2013";
const SIGNATURE_TYPE_CODE: &str = "1.2.840.10065.1.12.1.7";
/// The contained patient's local id.
const PATIENT_ID: &str = "patient";

/// How an answer at a path is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Date,
    DateTime,
    /// A code from this system.
    Coding(System),
    /// Typed by the JSON value: `valueBoolean`, `valueInteger` or `valueString`.
    Plain,
}

/// A code system of a coded answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    Icd10Cm,
    Cpt,
    /// One of the intake's vocabularies, by name (`body-region`).
    Own(&'static str),
}

impl System {
    /// The system's URI.
    pub fn uri(self) -> String {
        match self {
            System::Icd10Cm => ICD10_CM.to_owned(),
            System::Cpt => CPT.to_owned(),
            System::Own(name) => format!("{CODE_SYSTEM_BASE}{name}"),
        }
    }
}

/// Paths (without list indices) whose answers are not typed by their JSON
/// value alone. A test checks this table against the model's schema.
pub const KINDS: &[(&str, Kind)] = &[
    ("mode", Kind::Coding(System::Own("mode"))),
    ("patient.date_of_birth", Kind::Date),
    ("visit.goals", Kind::Coding(System::Own("goal"))),
    ("visit.pressure", Kind::Coding(System::Own("pressure"))),
    (
        "visit.prior_massage",
        Kind::Coding(System::Own("prior-massage")),
    ),
    ("health.conditions", Kind::Coding(System::Own("condition"))),
    ("health.surgery_or_injury_date", Kind::Date),
    ("health.allergies", Kind::Coding(System::Own("allergen"))),
    ("pain.region", Kind::Coding(System::Own("body-region"))),
    ("prescription.date_written", Kind::Date),
    ("prescription.diagnoses.code", Kind::Coding(System::Icd10Cm)),
    ("prescription.modalities", Kind::Coding(System::Cpt)),
    ("payer.kind", Kind::Coding(System::Own("payer-kind"))),
    (
        "payer.health_insurance.subscriber_relationship",
        Kind::Coding(System::Own("subscriber-relationship")),
    ),
    ("payer.auto_accident.date_of_accident", Kind::Date),
    ("payer.workers_comp.date_of_injury", Kind::Date),
    ("consents.treatment.accepted_at", Kind::DateTime),
    ("consents.privacy_notice.accepted_at", Kind::DateTime),
    (
        "consents.share_with_primary_care.accepted_at",
        Kind::DateTime,
    ),
    (
        "attachments.kind",
        Kind::Coding(System::Own("attachment-kind")),
    ),
];

/// Every item's `linkId`, in the order the form asks: the Questionnaire's
/// items and a response's follow it by construction (R4 requires a
/// response's items in the Questionnaire's order), whatever order a JSON
/// map keeps. A test checks it names every item of the model.
pub const ORDER: &[&str] = &[
    "mode",
    "patient",
    "patient.given_name",
    "patient.family_name",
    "patient.date_of_birth",
    "patient.phone",
    "patient.email",
    "patient.address",
    "patient.address.line1",
    "patient.address.line2",
    "patient.address.city",
    "patient.address.region",
    "patient.address.postal_code",
    "patient.emergency_contact",
    "patient.emergency_contact.name",
    "patient.emergency_contact.relationship",
    "patient.emergency_contact.phone",
    "patient.primary_care",
    "patient.primary_care.name",
    "patient.primary_care.practice",
    "patient.primary_care.phone",
    "patient.primary_care.fax",
    "visit",
    "visit.reason",
    "visit.goals",
    "visit.goals_other",
    "visit.pressure",
    "visit.areas_to_avoid",
    "visit.prior_massage",
    "health",
    "health.conditions",
    "health.surgery_or_injury_date",
    "health.pregnancy_weeks",
    "health.condition_notes",
    "health.takes_medications",
    "health.medications",
    "health.medications.name",
    "health.medications.dose",
    "health.blood_thinners",
    "health.allergies",
    "health.allergies_other",
    "pain",
    "pain.region",
    "pain.intensity",
    "prescription",
    "prescription.has_prescription",
    "prescription.prescriber",
    "prescription.prescriber.name",
    "prescription.prescriber.npi",
    "prescription.prescriber.practice",
    "prescription.prescriber.phone",
    "prescription.prescriber.fax",
    "prescription.date_written",
    "prescription.diagnoses",
    "prescription.diagnoses.code",
    "prescription.diagnoses.description",
    "prescription.modalities",
    "prescription.frequency_per_week",
    "prescription.duration_weeks",
    "prescription.visits_authorized",
    "prescription.session_minutes",
    "prescription.prior_authorization",
    "prescription.restrictions",
    "attachments",
    "attachments.kind",
    "attachments.file",
    "payer",
    "payer.kind",
    "payer.health_insurance",
    "payer.health_insurance.carrier",
    "payer.health_insurance.member_id",
    "payer.health_insurance.group_number",
    "payer.health_insurance.subscriber_name",
    "payer.health_insurance.subscriber_relationship",
    "payer.auto_accident",
    "payer.auto_accident.carrier",
    "payer.auto_accident.claim_number",
    "payer.auto_accident.adjuster_name",
    "payer.auto_accident.adjuster_phone",
    "payer.auto_accident.date_of_accident",
    "payer.workers_comp",
    "payer.workers_comp.employer",
    "payer.workers_comp.carrier",
    "payer.workers_comp.claim_number",
    "payer.workers_comp.adjuster_name",
    "payer.workers_comp.adjuster_phone",
    "payer.workers_comp.date_of_injury",
    "consents",
    "consents.treatment",
    "consents.treatment.version",
    "consents.treatment.accepted_at",
    "consents.privacy_notice",
    "consents.privacy_notice.version",
    "consents.privacy_notice.accepted_at",
    "consents.share_with_primary_care",
    "consents.share_with_primary_care.version",
    "consents.share_with_primary_care.accepted_at",
    "consents.guardian",
    "consents.guardian.name",
    "consents.guardian.relationship",
    "consents.guardian.phone",
];

/// Where the item `link_id` comes in [`ORDER`] (an unknown one last).
pub fn rank(link_id: &str) -> usize {
    ORDER
        .iter()
        .position(|p| *p == link_id)
        .unwrap_or(ORDER.len())
}

/// The items of the fields of `object` (the group at `path`, or the top when
/// it is empty), in [`ORDER`]: walked in that order rather than sorted, which
/// would cost the widget's FHIR module a sort. Fields outside [`ORDER`] (the
/// envelope's) are not items.
fn items_in_order(path: &str, object: &Map<String, Value>) -> Vec<Value> {
    ORDER
        .iter()
        .filter_map(|link| {
            let key = if path.is_empty() {
                Some(*link)
            } else {
                link.strip_prefix(path)?.strip_prefix('.')
            }?;
            if key.contains('.') {
                return None;
            }
            Some(items_of(link, object.get(key)?))
        })
        .flatten()
        .collect()
}

/// Lists of objects: one repeated group item per element.
pub const GROUP_LISTS: &[&str] = &[
    "pain",
    "health.medications",
    "prescription.diagnoses",
    "attachments",
];

/// Lists of codes: one item with an answer per element.
pub const CODE_LISTS: &[&str] = &[
    "visit.goals",
    "health.conditions",
    "health.allergies",
    "prescription.modalities",
];

/// Sections that are always there, even with nothing answered in them.
const ALWAYS_THERE: &[&str] = &["consents", "health"];

/// Top-level fields carried outside the items.
pub const OUTSIDE_ITEMS: &[&str] = &[
    "schema",
    "submission_id",
    "submitted_at",
    "locale",
    "signature",
    "flags",
];

/// The photo's fields, carried together as one `valueAttachment`.
const ATTACHMENT_FILE: &str = "attachments.file";

/// How the answer at `path` is typed.
pub fn kind(path: &str) -> Kind {
    KINDS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, k)| *k)
        .unwrap_or(Kind::Plain)
}

/// Why a `QuestionnaireResponse` cannot be read as a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FhirError {
    /// Where: a FHIR element (`authored`) or an item's `linkId`.
    pub at: String,
    pub problem: String,
}

impl FhirError {
    fn new(at: &str, problem: impl Into<String>) -> FhirError {
        FhirError {
            at: at.to_owned(),
            problem: problem.into(),
        }
    }
}

impl std::fmt::Display for FhirError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.problem)
    }
}

impl std::error::Error for FhirError {}

/// The submission as a FHIR R4 `QuestionnaireResponse`.
pub fn to_questionnaire_response(submission: &Submission) -> Value {
    // Through the JSON text: the widget's rules module already writes it, and
    // `to_value` would add a second serialiser for every type (about 8 KB gzip).
    let model = serde_json::to_string(submission)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .unwrap_or(Value::Null);
    let empty = Map::new();
    let top = model.as_object().unwrap_or(&empty);
    let mut qr = Map::new();
    qr.insert("resourceType".into(), "QuestionnaireResponse".into());
    qr.insert("id".into(), submission.submission_id.clone().into());
    qr.insert("language".into(), submission.locale.clone().into());
    qr.insert("contained".into(), Value::Array(vec![patient(submission)]));
    let mut extensions = vec![signature_extension(submission)];
    extensions.extend(submission.flags.iter().map(|flag| {
        obj([
            ("url", FLAG_EXTENSION.into()),
            (
                "extension",
                Value::Array(vec![
                    obj([
                        ("url", "code".into()),
                        (
                            "valueCoding",
                            coding(System::Own("safety-flag").uri(), flag.code.code()),
                        ),
                    ]),
                    obj([
                        ("url", "severity".into()),
                        ("valueCode", flag.severity.code().into()),
                    ]),
                ]),
            ),
        ])
    }));
    qr.insert("extension".into(), Value::Array(extensions));
    qr.insert(
        "identifier".into(),
        obj([
            ("system", "urn:ietf:rfc:3986".into()),
            (
                "value",
                format!("urn:uuid:{}", submission.submission_id).into(),
            ),
        ]),
    );
    qr.insert(
        "questionnaire".into(),
        format!("{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}").into(),
    );
    qr.insert("status".into(), "completed".into());
    qr.insert("subject".into(), patient_reference());
    qr.insert("authored".into(), submission.submitted_at.clone().into());
    qr.insert("item".into(), Value::Array(items_in_order("", top)));
    Value::Object(qr)
}

/// [`to_questionnaire_response`] as JSON text, written without serde_json's
/// number formatting (every number here is an integer), which would add
/// float printing to the widget's rules module.
pub fn questionnaire_response_text(submission: &Submission) -> String {
    let mut out = String::new();
    write_json(&to_questionnaire_response(submission), &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => out.push_str(&i.to_string()),
            (None, Some(u)) => out.push_str(&u.to_string()),
            // Not made by the mapping; a float is not a FHIR integer anyway.
            (None, None) => out.push_str("null"),
        },
        Value::String(text) => {
            out.push('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if u32::from(c) < 0x20 => {
                        out.push_str(&format!("\\u{:04x}", u32::from(c)));
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(&Value::String(key.clone()), out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON object of `fields`, in order. Built by hand rather than with
/// `json!`, whose every interpolation instantiates serde's value serialiser
/// (the forward mapping runs in the widget's rules module, where bytes count).
fn obj<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn coding(system: String, code: impl Into<Value>) -> Value {
    obj([("system", system.into()), ("code", code.into())])
}

fn patient_reference() -> Value {
    obj([("reference", format!("#{PATIENT_ID}").into())])
}

fn patient(s: &Submission) -> Value {
    let p = &s.patient;
    let mut telecom = vec![obj([
        ("system", "phone".into()),
        ("value", p.phone.as_str().into()),
    ])];
    if let Some(email) = &p.email {
        telecom.push(obj([
            ("system", "email".into()),
            ("value", email.as_str().into()),
        ]));
    }
    obj([
        ("resourceType", "Patient".into()),
        ("id", PATIENT_ID.into()),
        (
            "name",
            Value::Array(vec![obj([
                ("family", p.family_name.as_str().into()),
                ("given", Value::Array(vec![p.given_name.as_str().into()])),
            ])]),
        ),
        ("telecom", Value::Array(telecom)),
        ("birthDate", p.date_of_birth.as_str().into()),
    ])
}

fn signature_extension(s: &Submission) -> Value {
    let sig = &s.signature;
    let mut types = vec![coding(
        SIGNATURE_TYPE_SYSTEM.to_owned(),
        SIGNATURE_TYPE_CODE,
    )];
    if let Some(method) = sig.method {
        types.push(coding(System::Own("signature-method").uri(), method.code()));
    }
    let mut who = patient_reference();
    if let (Some(name), Value::Object(fields)) = (&sig.typed_name, &mut who) {
        fields.insert("display".into(), name.as_str().into());
    }
    let mut value = obj([
        ("type", Value::Array(types)),
        ("when", sig.signed_at.as_str().into()),
        ("who", who),
    ]);
    if let (Some(path), Value::Object(fields)) = (&sig.svg_path, &mut value) {
        fields.insert("sigFormat".into(), "image/svg+xml".into());
        fields.insert(
            "data".into(),
            crate::base64::encode(signature_svg(path.as_str()).as_bytes()).into(),
        );
    }
    obj([
        ("url", SIGNATURE_EXTENSION.into()),
        ("valueSignature", value),
    ])
}

/// The drawn signature's SVG document: its path, in the pad's 600 x 200
/// space, stroked black on nothing. (Validation allows only path commands
/// and numbers in it; anything else is escaped all the same.)
pub fn signature_svg(path: &str) -> String {
    let mut d = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '&' => d.push_str("&amp;"),
            '<' => d.push_str("&lt;"),
            '>' => d.push_str("&gt;"),
            '"' => d.push_str("&quot;"),
            c => d.push(c),
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 200\" width=\"600\" height=\"200\">\
         <path d=\"{d}\" fill=\"none\" stroke=\"#000\" stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>"
    )
}

/// The path of a signature's SVG document made by [`signature_svg`] (or, as
/// responses before it carried, bare path data).
fn signature_path(svg: &str) -> Option<String> {
    if !svg.starts_with("<svg") {
        return Some(svg.to_owned());
    }
    let start = svg.find(" d=\"")? + 4;
    let end = start + svg[start..].find('"')?;
    Some(
        svg[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The items for the field at `path` holding `value` (none when it is empty).
fn items_of(path: &str, value: &Value) -> Vec<Value> {
    let question =
        |answers: Vec<Value>| obj([("linkId", path.into()), ("answer", Value::Array(answers))]);
    match value {
        Value::Null => Vec::new(),
        Value::Array(list) if GROUP_LISTS.contains(&path) => {
            list.iter().map(|element| group(path, element)).collect()
        }
        Value::Array(list) if list.is_empty() => Vec::new(),
        Value::Array(list) => vec![question(list.iter().map(|v| answer(path, v)).collect())],
        Value::Object(_) => {
            let group = group(path, value);
            // FHIR has no empty groups: a group with nothing in it is left out.
            if group["item"].as_array().is_some_and(Vec::is_empty) {
                Vec::new()
            } else {
                vec![group]
            }
        }
        _ => vec![question(vec![answer(path, value)])],
    }
}

fn group(path: &str, value: &Value) -> Value {
    let empty = Map::new();
    let fields = value.as_object().unwrap_or(&empty);
    let items: Vec<Value> = if path == "attachments" {
        attachment_items(fields)
    } else {
        items_in_order(path, fields)
    };
    obj([("linkId", path.into()), ("item", Value::Array(items))])
}

fn attachment_items(fields: &Map<String, Value>) -> Vec<Value> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or(Value::Null);
    let mut items = items_of("attachments.kind", &field("kind"));
    items.push(obj([
        ("linkId", ATTACHMENT_FILE.into()),
        (
            "answer",
            Value::Array(vec![obj([(
                "valueAttachment",
                obj([
                    ("contentType", field("mime_type")),
                    ("size", field("size_bytes")),
                    ("data", field("data_base64")),
                ]),
            )])]),
        ),
    ]));
    items
}

fn answer(path: &str, value: &Value) -> Value {
    let v = value.clone();
    match (kind(path), value) {
        (Kind::Date, _) => obj([("valueDate", v)]),
        (Kind::DateTime, _) => obj([("valueDateTime", v)]),
        (Kind::Coding(system), _) => obj([("valueCoding", coding(system.uri(), v))]),
        (Kind::Plain, Value::Bool(_)) => obj([("valueBoolean", v)]),
        (Kind::Plain, Value::Number(_)) => obj([("valueInteger", v)]),
        (Kind::Plain, _) => obj([("valueString", v)]),
    }
}

/// Reads a `QuestionnaireResponse` made by [`to_questionnaire_response`] (or
/// by any system following the intake's `Questionnaire`) as a submission. The
/// safety flags are derived from the answers, as the receiver does for any
/// response: a standard response has no flag extensions, and a response's
/// own say is not trusted. The submission still has to pass validation.
pub fn from_questionnaire_response(qr: &Value) -> Result<Submission, FhirError> {
    let mut submission = Submission::from_json_value(submission_json(qr)?)
        .map_err(|e| FhirError::new("item", format!("does not make a submission: {e}")))?;
    submission.flags = crate::flags::compute_flags(&submission);
    Ok(submission)
}

/// The submission's JSON read from a `QuestionnaireResponse`, before it is
/// checked against the model's types (so a receiver can name the path of a
/// problem without quoting a value).
pub fn submission_json(qr: &Value) -> Result<Value, FhirError> {
    let text = |name: &str| -> Result<String, FhirError> {
        qr.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| FhirError::new(name, "missing or not text"))
    };
    if qr.get("resourceType").and_then(Value::as_str) != Some("QuestionnaireResponse") {
        return Err(FhirError::new(
            "resourceType",
            "must be QuestionnaireResponse",
        ));
    }
    if text("status")? != "completed" {
        return Err(FhirError::new("status", "must be completed"));
    }
    let questionnaire = text("questionnaire")?;
    let (url, version) = questionnaire
        .split_once('|')
        .unwrap_or((&questionnaire, QUESTIONNAIRE_VERSION));
    // Version 1 answered the first submission schema, still read.
    let schema = match version {
        QUESTIONNAIRE_VERSION => SCHEMA,
        "1" => SCHEMA_V1,
        _ => "",
    };
    if url != QUESTIONNAIRE_URL || schema.is_empty() {
        return Err(FhirError::new(
            "questionnaire",
            format!("must be {QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"),
        ));
    }
    // A response made by another system may carry no id: the receiver then
    // takes the request's Idempotency-Key (an empty id is refused otherwise).
    let id = qr
        .pointer("/identifier/value")
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix("urn:uuid:"))
        .map(str::to_owned)
        .or_else(|| qr.get("id").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();

    let items = qr.get("item").and_then(Value::as_array);
    let mut top = object_of("", items.map(Vec::as_slice).unwrap_or(&[]))?;
    top.insert("schema".into(), schema.into());
    top.insert("submission_id".into(), id.into());
    top.insert("submitted_at".into(), text("authored")?.into());
    // `language` is optional in R4: without it, the Questionnaire's own.
    let language = qr.get("language").and_then(Value::as_str).unwrap_or("en");
    top.insert("locale".into(), language.into());
    let extensions = qr
        .get("extension")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let signature = extensions
        .iter()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(SIGNATURE_EXTENSION))
        .ok_or_else(|| FhirError::new("extension", "missing the signature"))?;
    top.insert("signature".into(), read_signature(signature)?);
    // The flags are derived by whoever reads the submission (see
    // `from_questionnaire_response`); the extensions are for other readers.
    top.insert("flags".into(), Value::Array(Vec::new()));
    Ok(Value::Object(top))
}

/// The object at `prefix` from its items.
fn object_of(prefix: &str, items: &[Value]) -> Result<Map<String, Value>, FhirError> {
    let mut object = Map::new();
    for item in items {
        let link = item
            .get("linkId")
            .and_then(Value::as_str)
            .ok_or_else(|| FhirError::new(prefix, "an item without a linkId"))?;
        if !ORDER.contains(&link) {
            return Err(FhirError::new(link, "is not an item of the Questionnaire"));
        }
        let key = if prefix.is_empty() {
            Some(link)
        } else {
            link.strip_prefix(prefix).and_then(|k| k.strip_prefix('.'))
        }
        .filter(|k| !k.is_empty() && !k.contains('.'))
        .ok_or_else(|| FhirError::new(link, format!("is not an item of {prefix:?}")))?;
        if object.contains_key(key) && !GROUP_LISTS.contains(&link) {
            return Err(FhirError::new(link, "is given twice"));
        }
        let children = item.get("item").and_then(Value::as_array);
        let answers = item.get("answer").and_then(Value::as_array);
        let value = match (children, answers) {
            (Some(_), Some(_)) => {
                return Err(FhirError::new(link, "has both answers and items (qrs-1)"))
            }
            (Some(children), None) if link == "attachments" => read_attachment(children)?,
            (Some(children), None) => Value::Object(object_of(link, children)?),
            (None, Some(answers)) => {
                let values = answers
                    .iter()
                    .map(|a| read_answer(link, a))
                    .collect::<Result<Vec<_>, _>>()?;
                if CODE_LISTS.contains(&link) {
                    Value::Array(values)
                } else {
                    match <[Value; 1]>::try_from(values) {
                        Ok([one]) => one,
                        Err(_) => return Err(FhirError::new(link, "takes exactly one answer")),
                    }
                }
            }
            (None, None) => return Err(FhirError::new(link, "has neither answers nor items")),
        };
        if GROUP_LISTS.contains(&link) {
            match object
                .entry(key)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(list) => list.push(value),
                _ => return Err(FhirError::new(link, "is given twice")),
            }
        } else {
            object.insert(key.to_owned(), value);
        }
    }
    if prefix.is_empty() {
        for section in ALWAYS_THERE {
            if !object.contains_key(*section) {
                // An empty section still has its (empty) lists.
                object.insert(
                    (*section).to_owned(),
                    Value::Object(object_of(section, &[])?),
                );
            }
        }
    }
    // Empty lists have no items; the model still has them.
    for list in GROUP_LISTS.iter().chain(CODE_LISTS) {
        let (parent, key) = list.rsplit_once('.').unwrap_or(("", list));
        if parent == prefix && !object.contains_key(key) {
            object.insert(key.to_owned(), Value::Array(Vec::new()));
        }
    }
    Ok(object)
}

fn read_answer(link: &str, answer: &Value) -> Result<Value, FhirError> {
    let get = |name: &str| answer.get(name);
    let value = match kind(link) {
        Kind::Date => get("valueDate").cloned(),
        Kind::DateTime => get("valueDateTime").cloned(),
        Kind::Coding(system) => match get("valueCoding") {
            Some(coding) => {
                if coding.get("system").and_then(Value::as_str) != Some(&system.uri()) {
                    return Err(FhirError::new(
                        link,
                        format!("a code must be from {}", system.uri()),
                    ));
                }
                coding.get("code").cloned()
            }
            None => None,
        },
        Kind::Plain => get("valueString")
            .or_else(|| get("valueBoolean"))
            .or_else(|| get("valueInteger"))
            .or_else(|| {
                // The NPI as earlier responses coded it.
                let coding = get("valueCoding")?;
                (link == "prescription.prescriber.npi"
                    && coding.get("system").and_then(Value::as_str) == Some(US_NPI))
                .then(|| coding.get("code"))
                .flatten()
            })
            .cloned(),
    };
    value.ok_or_else(|| FhirError::new(link, "an answer of the wrong type"))
}

fn read_attachment(items: &[Value]) -> Result<Value, FhirError> {
    let mut object = Map::new();
    for item in items {
        let link = item.get("linkId").and_then(Value::as_str).unwrap_or("");
        let answer = item
            .pointer("/answer/0")
            .ok_or_else(|| FhirError::new(link, "missing its answer"))?;
        match link {
            "attachments.kind" => {
                object.insert("kind".into(), read_answer(link, answer)?);
            }
            ATTACHMENT_FILE => {
                let file = answer
                    .get("valueAttachment")
                    .ok_or_else(|| FhirError::new(link, "must be a valueAttachment"))?;
                for (field, key) in [
                    ("contentType", "mime_type"),
                    ("size", "size_bytes"),
                    ("data", "data_base64"),
                ] {
                    object.insert(key.into(), file.get(field).cloned().unwrap_or(Value::Null));
                }
            }
            _ => return Err(FhirError::new(link, "is not an item of attachments")),
        }
    }
    Ok(Value::Object(object))
}

fn read_signature(extension: &Value) -> Result<Value, FhirError> {
    let at = "extension.valueSignature";
    let sig = extension
        .get("valueSignature")
        .ok_or_else(|| FhirError::new(at, "missing"))?;
    let method_system = System::Own("signature-method").uri();
    let coded = sig
        .get("type")
        .and_then(Value::as_array)
        .and_then(|types| {
            types
                .iter()
                .find(|t| t.get("system").and_then(Value::as_str) == Some(&method_system))
        })
        .and_then(|t| t.get("code").and_then(Value::as_str));
    let data = sig.get("data").and_then(Value::as_str).map(|data| {
        crate::base64::decode(data)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| FhirError::new(at, "data is not base64 text"))
    });
    let data = data.transpose()?;
    let format = sig.get("sigFormat").and_then(Value::as_str).unwrap_or("");
    let display = sig.pointer("/who/display").and_then(Value::as_str);
    // A standard signature says how it was made by its format: an SVG
    // drawing, or a name (as text, or as the signer's display) typed.
    let drawn = match coded {
        Some(code) => code == "drawn",
        None => format == "image/svg+xml" || (format.is_empty() && data.is_some()),
    };
    let (method, svg_path, typed_name) = if drawn {
        let path = data
            .as_deref()
            .and_then(signature_path)
            .map(Value::from)
            .unwrap_or(Value::Null);
        ("drawn", path, Value::Null)
    } else {
        let name = display
            .map(str::to_owned)
            .or_else(|| (format == "text/plain").then(|| data.clone()).flatten());
        (
            "typed",
            Value::Null,
            name.map(Value::from).unwrap_or(Value::Null),
        )
    };
    Ok(json!({
        "method": method,
        "svg_path": svg_path,
        "typed_name": typed_name,
        "signed_at": sig.get("when").cloned().ok_or_else(|| FhirError::new(at, "missing when"))?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_writer_writes_what_serde_json_reads_back() {
        let value = json!({"a": [1, -2, 18446744073709551615u64, true, null],
                           "text": "quote \" backslash \\ line\nbreak\ttab \u{1} ünï"});
        let mut out = String::new();
        write_json(&value, &mut out);
        assert_eq!(serde_json::from_str::<Value>(&out).ok(), Some(value));
    }

    #[test]
    fn kinds_name_only_real_paths() {
        for (path, _) in KINDS {
            assert_ne!(kind(path), Kind::Plain);
        }
        assert_eq!(kind("patient.given_name"), Kind::Plain);
    }
}
