//! Properties over generated data: any submission survives JSON unchanged, and
//! no JSON, however odd, makes validation panic.

use intake_core::date::Date;
use intake_core::submission::*;
use intake_core::vocab::*;
use intake_core::{Flag, FlagCode, Mode, Rules, Severity, Text};
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

fn text<const M: usize>() -> impl Strategy<Value = Text<M>> {
    prop_oneof![4 => "\\PC{0,24}", 1 => "[ -~]{0,130}", 1 => Just(String::new())]
        .prop_map(Text::new)
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,20}",
        Just("+14015550134".to_owned()),
        Just("2026-11-27".to_owned())
    ]
}

prop_compose! {
    fn patient()(
        given_name in text(), family_name in text(), date_of_birth in any_string(), phone in any_string(),
        email in of(text()),
        address in of((text(), of(text()), text(), any_string(), any_string())),
        emergency in of((text(), text(), any_string())),
        pcp in of((text(), of(text()), of(any_string()), of(any_string()))),
    ) -> Patient {
        Patient {
            given_name, family_name, date_of_birth, phone, email,
            address: address.map(|(line1, line2, city, region, postal_code)| Address { line1, line2, city, region, postal_code }),
            emergency_contact: emergency.map(|(name, relationship, phone)| EmergencyContact { name, relationship, phone }),
            primary_care: pcp.map(|(name, practice, phone, fax)| PrimaryCare { name, practice, phone, fax }),
        }
    }
}

prop_compose! {
    fn visit()(
        reason in text(), goals in vec(select(Goal::ALL), 0..4), goals_other in of(text()),
        pressure in of(select(Pressure::ALL)), areas_to_avoid in of(text()), prior_massage in of(select(PriorMassage::ALL)),
    ) -> Visit {
        Visit { reason, goals, goals_other, pressure, areas_to_avoid, prior_massage }
    }
}

prop_compose! {
    fn health()(
        conditions in vec(select(Condition::ALL), 0..5), surgery_or_injury_date in of(any_string()),
        pregnancy_weeks in of(any::<u8>()), condition_notes in of(text()),
        medications in vec((text(), of(text())).prop_map(|(name, dose)| Medication { name, dose }), 0..3),
        takes_medications in of(any::<bool>()), blood_thinners in of(any::<bool>()),
        allergies in vec(select(Allergen::ALL), 0..3), allergies_other in of(text()),
    ) -> HealthHistory {
        HealthHistory { conditions, surgery_or_injury_date, pregnancy_weeks, condition_notes, takes_medications, medications, blood_thinners, allergies, allergies_other }
    }
}

prop_compose! {
    fn prescription()(
        has_prescription in any::<bool>(),
        prescriber in of((text(), any_string(), of(text()), any_string(), of(any_string()))),
        date_written in of(any_string()),
        diagnoses in vec((any_string(), text()).prop_map(|(code, description)| Diagnosis { code, description }), 0..3),
        modalities in vec(select(Modality::ALL), 0..3),
        numbers in (of(any::<u8>()), of(any::<u8>()), of(any::<u16>()), of(any::<u16>())),
        prior_authorization in of(text()), restrictions in of(text()),
    ) -> Prescription {
        let (frequency_per_week, duration_weeks, visits_authorized, session_minutes) = numbers;
        Prescription {
            has_prescription,
            prescriber: prescriber.map(|(name, npi, practice, phone, fax)| Prescriber { name, npi, practice, phone, fax }),
            date_written, diagnoses, modalities, frequency_per_week, duration_weeks, visits_authorized, session_minutes,
            prior_authorization, restrictions,
        }
    }
}

prop_compose! {
    fn payer()(
        kind in select(PayerKind::ALL),
        insurance in of((text(), text(), of(text()), text(), of(select(SubscriberRelationship::ALL)))),
        auto in of((text(), text(), of(text()), of(any_string()), any_string())),
        comp in of((text(), of(text()), text(), of(text()), of(any_string()), any_string())),
    ) -> Payer {
        Payer {
            kind,
            health_insurance: insurance.map(|(carrier, member_id, group_number, subscriber_name, subscriber_relationship)| {
                HealthInsurance { carrier, member_id, group_number, subscriber_name, subscriber_relationship }
            }),
            auto_accident: auto.map(|(carrier, claim_number, adjuster_name, adjuster_phone, date_of_accident)| {
                AutoAccident { carrier, claim_number, adjuster_name, adjuster_phone, date_of_accident }
            }),
            workers_comp: comp.map(|(employer, carrier, claim_number, adjuster_name, adjuster_phone, date_of_injury)| {
                WorkersComp { employer, carrier, claim_number, adjuster_name, adjuster_phone, date_of_injury }
            }),
        }
    }
}

fn consent() -> impl Strategy<Value = Option<ConsentRecord>> {
    of(
        (text(), any_string()).prop_map(|(version, accepted_at)| ConsentRecord {
            version,
            accepted_at,
        }),
    )
}

prop_compose! {
    fn consents()(
        treatment in consent(), privacy_notice in consent(), share_with_primary_care in consent(),
        guardian in of((text(), text(), any_string()).prop_map(|(name, relationship, phone)| Guardian { name, relationship, phone })),
    ) -> Consents {
        Consents { treatment, privacy_notice, share_with_primary_care, guardian }
    }
}

prop_compose! {
    fn signature()(method in of(select(SignatureMethod::ALL)), svg_path in of(text()), typed_name in of(text()), signed_at in any_string()) -> Signature {
        Signature { method, svg_path, typed_name, signed_at }
    }
}

prop_compose! {
    fn attachment()(mime_type in any_string(), size_bytes in any::<u32>(), data_base64 in "[A-Za-z0-9+/=]{0,16}") -> Attachment {
        Attachment { kind: AttachmentKind::PrescriptionPhoto, mime_type, size_bytes, data_base64 }
    }
}

prop_compose! {
    fn submission()(
        envelope in (any_string(), any_string(), any_string(), any_string(), select(&[Mode::Standalone, Mode::Kiosk, Mode::Embedded][..])),
        patient in patient().boxed(), visit in visit().boxed(), health in health().boxed(),
        pain in vec((select(BodyRegion::ALL), any::<u8>()).prop_map(|(region, intensity)| PainRegion { region, intensity }), 0..4),
        prescription in prescription().boxed(), payer in payer().boxed(), consents in consents().boxed(),
        signature in signature().boxed(), attachments in vec(attachment(), 0..2).boxed(),
        flags in vec((select(FlagCode::ALL), select(Severity::ALL)).prop_map(|(code, severity)| Flag { code, severity }), 0..3),
    ) -> Submission {
        let (schema, submission_id, submitted_at, locale, mode) = envelope;
        Submission { schema, submission_id, submitted_at, locale, mode, patient, visit, health, pain, prescription, payer, consents, signature, attachments, flags }
    }
}

/// Arbitrary JSON: scalars, arrays and objects, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::from),
            vec(("[a-z_]{1,10}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn example() -> Value {
    serde_json::from_str(include_str!("../../../docs/example-submission.json")).expect("example")
}

/// Replaces the value at the `pick`-th position of a walk through `value`.
fn replace_nth(value: &mut Value, pick: &mut usize, with: &Value) -> bool {
    if *pick == 0 {
        *value = with.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Object(map) => map.values_mut().any(|v| replace_nth(v, pick, with)),
        Value::Array(items) => items.iter_mut().any(|v| replace_nth(v, pick, with)),
        _ => false,
    }
}

fn validate_everywhen(s: &Submission) {
    for today in ["2026-11-27", "1970-01-01", "9999-12-31"] {
        let rules = Rules::on(Date::parse(today).expect("date"));
        let _ = s.validate(&rules);
        let _ = intake_core::compute_flags(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_submission_survives_a_json_round_trip(s in submission()) {
        let json = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: Submission = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, s);
    }

    #[test]
    fn any_submission_survives_a_fhir_round_trip(mut s in submission()) {
        // The resource names the questionnaire, and so the schema, it answers.
        s.schema = intake_core::SCHEMA.to_owned();
        // The flags are derived from the answers by the reader.
        s.flags = intake_core::compute_flags(&s);
        // A signature carries what its method uses (the rules refuse more;
        // the mapping keeps only that).
        let sig = &mut s.signature;
        match sig.method.get_or_insert(SignatureMethod::Typed) {
            SignatureMethod::Drawn => sig.typed_name = None,
            SignatureMethod::Typed => sig.svg_path = None,
        }
        let qr = intake_core::fhir::to_questionnaire_response(&s);
        let back = intake_core::fhir::from_questionnaire_response(&qr)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, s);
    }

    #[test]
    fn reading_any_json_as_fhir_never_panics(value in json()) {
        let _ = intake_core::fhir::from_questionnaire_response(&value);
    }

    #[test]
    fn validation_never_panics_on_generated_submissions(s in submission()) {
        validate_everywhen(&s);
    }

    #[test]
    fn validation_never_panics_on_arbitrary_json(value in json()) {
        if let Ok(s) = serde_json::from_value::<Submission>(value) {
            validate_everywhen(&s);
        }
    }

    #[test]
    fn validation_never_panics_on_a_mutated_example(pick in 0usize..200, with in json()) {
        let mut value = example();
        let mut n = pick;
        replace_nth(&mut value, &mut n, &with);
        if let Ok(s) = serde_json::from_value::<Submission>(value) {
            validate_everywhen(&s);
        }
    }
}
