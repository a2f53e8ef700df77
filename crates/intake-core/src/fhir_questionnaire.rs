//! The FHIR R4 `Questionnaire` of the intake, generated from the model's JSON
//! Schema so the two cannot drift apart (native tools, feature `schema`).
//!
//! Each object is a group, each field an item typed as
//! [`crate::fhir`] answers it, `required` where the model requires a value,
//! `repeats` for lists, `maxLength` from the text limits, the fixed
//! vocabularies as contained `ValueSet`s, and `enableWhen` for the parts that
//! apply only with another answer ([`ENABLE_WHEN`]).

use serde_json::{json, Map, Value};

use crate::fhir::{
    kind, rank, Kind, System, CODE_LISTS, GROUP_LISTS, ORDER, OUTSIDE_ITEMS, QUESTIONNAIRE_URL,
    QUESTIONNAIRE_VERSION,
};
use crate::schema::submission_schema;

/// What an `enableWhen` compares with.
#[derive(Clone, Copy, Debug)]
pub enum When {
    /// The yes/no question is answered yes.
    Yes,
    /// The coded question has this code among its answers.
    Code(&'static str),
}

/// The items that apply only with another answer: (item, question, answer).
/// The validation rules say the same thing (`not_applicable` otherwise).
pub const ENABLE_WHEN: &[(&str, &str, When)] = &[
    (
        "prescription.prescriber",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.date_written",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.diagnoses",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.modalities",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.frequency_per_week",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.duration_weeks",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.visits_authorized",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.prior_authorization",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.restrictions",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "prescription.session_minutes",
        "prescription.has_prescription",
        When::Yes,
    ),
    (
        "payer.health_insurance",
        "payer.kind",
        When::Code("health_insurance"),
    ),
    (
        "payer.auto_accident",
        "payer.kind",
        When::Code("auto_accident"),
    ),
    (
        "payer.workers_comp",
        "payer.kind",
        When::Code("workers_comp"),
    ),
    (
        "health.pregnancy_weeks",
        "health.conditions",
        When::Code("pregnancy"),
    ),
    (
        "health.surgery_or_injury_date",
        "health.conditions",
        When::Code("recent_surgery_or_injury"),
    ),
    ("health.medications", "health.takes_medications", When::Yes),
    ("attachments", "prescription.has_prescription", When::Yes),
];

/// Items the rules require whenever they are enabled, beyond what the
/// model's types require: FHIR's `required` on an item with `enableWhen`
/// says exactly that. (The guardian of a minor depends on the patient's age
/// on the day, which `enableWhen` cannot compare; it is a
/// `questionnaire-constraint` instead, [`GUARDIAN_CONSTRAINT`].)
pub const REQUIRED_WHEN_ENABLED: &[&str] = &[
    "health.conditions",
    "health.surgery_or_injury_date",
    "health.pregnancy_weeks",
    "health.takes_medications",
    "health.medications",
    "health.blood_thinners",
    "health.allergies",
    "prescription.prescriber",
    "prescription.date_written",
    "prescription.diagnoses",
    "prescription.frequency_per_week",
    "prescription.duration_weeks",
    "payer.health_insurance",
    "payer.auto_accident",
    "payer.workers_comp",
    "consents.treatment",
    "consents.privacy_notice",
];

/// The whole-number answers' bounds, as the rules check them (`out_of_range`),
/// stated with FHIR's `minValue` and `maxValue` extensions.
pub const RANGES: &[(&str, i64, i64)] = &[
    ("health.pregnancy_weeks", 1, 42),
    ("pain.intensity", 0, 10),
    ("prescription.frequency_per_week", 1, 7),
    ("prescription.duration_weeks", 1, 52),
    ("prescription.visits_authorized", 1, 200),
    ("prescription.session_minutes", 15, 120),
];

/// The FHIRPath rule for a minor's guardian, evaluated on a response.
/// The age is on the day the response was authored, as the rules take it,
/// so the result does not change as time passes.
pub const GUARDIAN_CONSTRAINT: &str = "item.where(linkId='patient').item.where(linkId='patient.date_of_birth').answer.value > (%resource.authored.toDate() - 18 years) implies item.where(linkId='consents').item.where(linkId='consents.guardian').exists()";

/// When the contained value sets were last expanded (they change only with
/// the Questionnaire's version).
pub const EXPANDED_AT: &str = "2026-12-01T00:00:00Z";

/// The words a patient reads for `code` of the system `system`, in English.
fn display(system: System, code: &str) -> Option<String> {
    let prefix = match system {
        System::Own("goal") => "goal",
        System::Own("pressure") => "pressure",
        System::Own("prior-massage") => "prior",
        System::Own("condition") => "condition",
        System::Own("allergen") => "allergen",
        System::Own("body-region") => "region",
        System::Own("payer-kind") => "payer",
        System::Own("subscriber-relationship") => "relationship",
        System::Cpt => "modality",
        System::Own("mode") => {
            return match code {
                "standalone" => Some("On the clinic's intake page".to_owned()),
                "kiosk" => Some("On a tablet at the clinic".to_owned()),
                "embedded" => Some("On the clinic's website".to_owned()),
                _ => None,
            }
        }
        System::Own("attachment-kind") => {
            return (code == "prescription_photo").then(|| "Photo of the prescription".to_owned())
        }
        _ => return None,
    };
    let msg = crate::i18n::Msg::from_key(&format!("{prefix}.{code}"))?;
    Some(crate::i18n::Catalog::english().text(msg).to_owned())
}

struct Builder<'a> {
    defs: &'a Map<String, Value>,
    /// Contained value sets, by id.
    value_sets: Vec<(String, Value)>,
    problems: Vec<String>,
}

/// The `Questionnaire`, or what in the model and [`crate::fhir::KINDS`]
/// disagree (a test keeps this empty).
pub fn questionnaire() -> Result<Value, Vec<String>> {
    let schema = submission_schema();
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut b = Builder {
        defs,
        value_sets: Vec::new(),
        problems: Vec::new(),
    };
    let items = b.items("", &schema);
    for (path, _) in crate::fhir::KINDS {
        if !b.problems.is_empty() {
            break;
        }
        if !contains(&items, path) {
            b.problems
                .push(format!("KINDS names {path}, which the model does not have"));
        }
    }
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    let mut contained: Vec<Value> = b.value_sets.into_iter().map(|(_, vs)| vs).collect();
    contained.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Ok(json!({
        "resourceType": "Questionnaire",
        "id": "massage-intake-1",
        "language": "en",
        "contained": contained,
        "extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-signatureRequired",
            "valueCodeableConcept": {"coding": [{
                "system": "urn:iso-astm:E1762-95:2013",
                "code": "1.2.840.10065.1.12.1.7",
                "display": "Consent Signature"
            }]}
        }, {
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint",
            "extension": [
                {"url": "key", "valueId": "guardian-for-minor"},
                {"url": "severity", "valueCode": "error"},
                {"url": "expression", "valueString": GUARDIAN_CONSTRAINT},
                {"url": "human", "valueString": "A patient under 18 on the day of the intake needs a guardian: name, relationship and phone."}
            ]
        }],
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "MassageIntake",
        "title": "Medical massage intake",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "The intake questionnaire and prescription of massage-intake (submission schema massage-intake/2). Generated from the model; answers are typed as the QuestionnaireResponse mapping writes them.",
        "item": items,
    }))
}

fn contains(items: &[Value], path: &str) -> bool {
    items.iter().any(|i| {
        i["linkId"] == path
            || i.get("item")
                .and_then(Value::as_array)
                .is_some_and(|children| contains(children, path))
    })
}

/// "date_of_birth" -> "Date of birth".
fn label(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

impl Builder<'_> {
    /// A schema node without `$ref` and `null` alternatives, and whether
    /// `null` was one of them.
    fn resolve(&self, node: &Value) -> (Value, bool) {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let name = target.trim_start_matches("#/$defs/");
            return (self.defs.get(name).cloned().unwrap_or(Value::Null), false);
        }
        if let Some(options) = node.get("anyOf").and_then(Value::as_array) {
            let nullable = options.iter().any(|o| o["type"] == "null");
            if let Some(other) = options.iter().find(|o| o["type"] != "null") {
                return (self.resolve(other).0, nullable);
            }
        }
        if let Some(types) = node.get("type").and_then(Value::as_array) {
            let nullable = types.iter().any(|t| t == "null");
            let mut node = node.clone();
            if let Some(t) = types.iter().find(|t| *t != "null") {
                node["type"] = t.clone();
            }
            return (node, nullable);
        }
        (node.clone(), false)
    }

    /// The codes of an enum node, with their descriptions.
    fn codes(node: &Value) -> Option<Vec<(String, Option<String>)>> {
        if let Some(list) = node.get("enum").and_then(Value::as_array) {
            return Some(
                list.iter()
                    .filter_map(|c| Some((c.as_str()?.to_owned(), None)))
                    .collect(),
            );
        }
        // Documented variants come as `const`s, the others grouped in `enum`s.
        let options = node.get("oneOf").and_then(Value::as_array)?;
        let mut codes = Vec::new();
        for option in options {
            if let Some(list) = Self::codes(option) {
                codes.extend(list);
            } else {
                codes.push((
                    option.get("const")?.as_str()?.to_owned(),
                    option
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                ));
            }
        }
        Some(codes)
    }

    fn items(&mut self, prefix: &str, object: &Value) -> Vec<Value> {
        let empty = Map::new();
        let properties = object
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut items = Vec::new();
        for (key, node) in properties {
            if prefix.is_empty() && OUTSIDE_ITEMS.contains(&key.as_str()) {
                continue;
            }
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            if !ORDER.contains(&path.as_str()) {
                self.problems
                    .push(format!("{path} is missing from crate::fhir::ORDER"));
            }
            let (node, nullable) = self.resolve(node);
            let required = (required.contains(&key.as_str()) && !nullable)
                || REQUIRED_WHEN_ENABLED.contains(&path.as_str());
            items.push(self.item(&path, key, &node, required));
        }
        items.sort_by_key(|item| rank(item["linkId"].as_str().unwrap_or("")));
        items
    }

    fn item(&mut self, path: &str, key: &str, node: &Value, required: bool) -> Value {
        let mut item = Map::new();
        item.insert("linkId".into(), path.into());
        item.insert("text".into(), label(key).into());
        let mut node = node.clone();
        let mut repeats = false;
        if node["type"] == "array" {
            repeats = true;
            node = self.resolve(&node["items"]).0;
            let listed = if node["type"] == "object" {
                GROUP_LISTS.contains(&path)
            } else {
                CODE_LISTS.contains(&path)
            };
            if !listed {
                self.problems.push(format!(
                    "{path} is a list missing from GROUP_LISTS or CODE_LISTS"
                ));
            }
        }
        if node["type"] == "object" {
            item.insert("type".into(), "group".into());
            let children = if path == "attachments" {
                vec![
                    self.item(
                        "attachments.kind",
                        "kind",
                        &self.resolve(&node["properties"]["kind"]).0,
                        true,
                    ),
                    json!({"linkId": "attachments.file", "text": "File", "type": "attachment", "required": true}),
                ]
            } else {
                self.items(path, &node)
            };
            item.insert("item".into(), Value::Array(children));
        } else if let Some(codes) = Self::codes(&node) {
            match kind(path) {
                Kind::Coding(system) => {
                    item.insert("type".into(), "choice".into());
                    item.insert(
                        "answerValueSet".into(),
                        format!("#{}", self.value_set(system, &codes)).into(),
                    );
                }
                other => self.problems.push(format!(
                    "{path} is a list of codes but KINDS says {other:?}"
                )),
            }
        } else {
            let ty = match (node["type"].as_str(), kind(path)) {
                (Some("boolean"), Kind::Plain) => "boolean",
                (Some("integer"), Kind::Plain) => "integer",
                (Some("string"), Kind::Date) => "date",
                (Some("string"), Kind::DateTime) => "dateTime",
                (Some("string"), Kind::Coding(_)) => "open-choice",
                (Some("string"), Kind::Plain) => {
                    if node["description"]
                        .as_str()
                        .is_some_and(|d| d.contains("YYYY-MM-DD"))
                    {
                        self.problems
                            .push(format!("{path} holds a date but KINDS does not say so"));
                    }
                    // `text` is several lines: only where the rules allow them.
                    if crate::validate::MULTI_LINE.contains(&path) {
                        "text"
                    } else {
                        "string"
                    }
                }
                (t, k) => {
                    self.problems
                        .push(format!("{path}: a {t:?} the mapping types as {k:?}"));
                    "string"
                }
            };
            item.insert("type".into(), ty.into());
            if let Some(max) = node["maxLength"].as_u64() {
                item.insert("maxLength".into(), max.into());
            }
            if let Some((_, min, max)) = RANGES.iter().find(|(p, _, _)| *p == path) {
                item.insert(
                    "extension".into(),
                    json!([
                        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": min},
                        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": max}
                    ]),
                );
            } else if ty == "integer" {
                self.problems
                    .push(format!("{path}: a number without its bounds in RANGES"));
            }
        }
        // A list the model always has may be empty; one the rules require
        // when enabled needs an element.
        if required && (!repeats || REQUIRED_WHEN_ENABLED.contains(&path)) {
            item.insert("required".into(), true.into());
        }
        if repeats {
            item.insert("repeats".into(), true.into());
        }
        let conditions: Vec<Value> = ENABLE_WHEN
            .iter()
            .filter(|(target, _, _)| *target == path)
            .map(|(_, question, when)| match when {
                When::Yes => json!({"question": question, "operator": "=", "answerBoolean": true}),
                When::Code(code) => {
                    let system = match kind(question) {
                        Kind::Coding(system) => system.uri(),
                        _ => String::new(),
                    };
                    json!({"question": question, "operator": "=",
                           "answerCoding": {"system": system, "code": code}})
                }
            })
            .collect();
        if !conditions.is_empty() {
            item.insert("enableWhen".into(), Value::Array(conditions));
        }
        Value::Object(item)
    }

    /// The id of the contained value set of `system`, made on first use.
    fn value_set(&mut self, system: System, codes: &[(String, Option<String>)]) -> String {
        let id = match system {
            System::Own(name) => name.to_owned(),
            System::Cpt => "cpt-modalities".to_owned(),
            System::Icd10Cm => "icd-10-cm".to_owned(),
        };
        if !self.value_sets.iter().any(|(i, _)| *i == id) {
            let uri = system.uri();
            let mut concepts = Vec::new();
            let mut contains = Vec::new();
            for (code, _) in codes {
                let Some(words) = display(system, code) else {
                    self.problems
                        .push(format!("{id}: the code {code} has no words for a patient"));
                    continue;
                };
                concepts.push(json!({"code": code, "display": words}));
                contains.push(json!({"system": uri, "code": code, "display": words}));
            }
            self.value_sets.push((
                id.clone(),
                json!({
                    "resourceType": "ValueSet",
                    "id": id,
                    "language": "en",
                    "status": "active",
                    "compose": {"include": [{"system": uri, "concept": concepts}]},
                    "expansion": {
                        "timestamp": EXPANDED_AT,
                        "total": contains.len(),
                        "contains": contains
                    }
                }),
            ));
        }
        id
    }
}
