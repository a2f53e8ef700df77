//! Every validation rule with a valid and an invalid example, the safety
//! flags, and the documented example submission.

use intake_core::base64::decoded_len as base64_decoded_len;
use intake_core::date::Date;
use intake_core::submission::*;
use intake_core::validate::{is_svg_path, is_uuid_v4, MAX_ATTACHMENT_BYTES};
use intake_core::vocab::*;
use intake_core::{
    compute_flags, ErrorCode, FlagCode, IntakeDraft, Mode, Rules, Severity, SubmitContext, Text,
};

const TODAY: &str = "2026-11-27";

fn rules() -> Rules {
    Rules::on(Date::parse(TODAY).expect("today"))
}

/// A complete, valid submission with every section filled in.
fn complete() -> Submission {
    let at = "2026-11-27T14:05:09.120Z".to_owned();
    // Each consent at the moment it was ticked, before Send.
    let consent = |v: &str, when: &str| {
        Some(ConsentRecord {
            version: Text::new(v),
            accepted_at: when.to_owned(),
        })
    };
    let mut s = Submission {
        schema: SCHEMA.into(),
        submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        submitted_at: at.clone(),
        locale: "en".into(),
        mode: Mode::Kiosk,
        patient: Patient {
            given_name: "Ana".into(),
            family_name: "Silva".into(),
            date_of_birth: "1961-04-12".into(),
            phone: "+14015550134".into(),
            email: Some("ana.silva@example.org".into()),
            address: Some(Address {
                line1: "12 Wickenden St".into(),
                line2: Some("Apt 3".into()),
                city: "Providence".into(),
                region: "RI".into(),
                postal_code: "02903".into(),
            }),
            emergency_contact: Some(EmergencyContact {
                name: "Rui Silva".into(),
                relationship: "Husband".into(),
                phone: "+14015550188".into(),
            }),
            primary_care: Some(PrimaryCare {
                name: "Dr. Maya Chen".into(),
                practice: Some("East Side Family Medicine".into()),
                phone: Some("+14015550100".into()),
                fax: Some("+14015550101".into()),
            }),
        },
        visit: Visit {
            reason: "Neck and lower back pain since a car accident in October.".into(),
            goals: vec![Goal::ReducePain, Goal::ImproveMobility],
            goals_other: Some("Turn my head when driving".into()),
            pressure: Some(Pressure::Medium),
            areas_to_avoid: Some("Left knee (surgery 2019)".into()),
            prior_massage: Some(PriorMassage::Occasionally),
        },
        health: HealthHistory {
            conditions: vec![
                Condition::HighBloodPressure,
                Condition::RecentSurgeryOrInjury,
            ],
            surgery_or_injury_date: Some("2026-10-30".into()),
            pregnancy_weeks: None,
            condition_notes: Some("Whiplash from a rear-end collision.".into()),
            takes_medications: Some(true),
            medications: vec![Medication {
                name: "Lisinopril".into(),
                dose: Some("10 mg daily".into()),
            }],
            blood_thinners: Some(false),
            allergies: vec![Allergen::Nuts],
            allergies_other: None,
        },
        pain: vec![
            PainRegion {
                region: BodyRegion::BackNeckLeft,
                intensity: 7,
            },
            PainRegion {
                region: BodyRegion::BackNeckRight,
                intensity: 5,
            },
            PainRegion {
                region: BodyRegion::BackLowerLeft,
                intensity: 6,
            },
        ],
        prescription: Prescription {
            has_prescription: true,
            prescriber: Some(Prescriber {
                name: "Dr. Maya Chen".into(),
                npi: "1234567893".into(),
                practice: Some("East Side Family Medicine".into()),
                phone: "+14015550100".into(),
                fax: Some("+14015550101".into()),
            }),
            date_written: Some("2026-11-03".into()),
            diagnoses: vec![
                Diagnosis {
                    code: "S13.4XXA".into(),
                    description: "Sprain of ligaments of cervical spine, initial encounter".into(),
                },
                Diagnosis {
                    code: "M54.50".into(),
                    description: "Low back pain, unspecified".into(),
                },
            ],
            modalities: vec![Modality::Massage, Modality::ManualTherapy],
            frequency_per_week: Some(2),
            duration_weeks: Some(6),
            visits_authorized: Some(12),
            session_minutes: Some(60),
            prior_authorization: Some("PA-55821".into()),
            restrictions: Some("No deep work on the cervical spine for 4 weeks.".into()),
        },
        payer: Payer {
            kind: PayerKind::AutoAccident,
            health_insurance: None,
            auto_accident: Some(AutoAccident {
                carrier: "Ocean State Mutual".into(),
                claim_number: "AUTO-2026-44817".into(),
                adjuster_name: Some("Lee Park".into()),
                adjuster_phone: Some("+14015550177".into()),
                date_of_accident: "2026-10-30".into(),
            }),
            workers_comp: None,
        },
        consents: Consents {
            treatment: consent(TREATMENT_CONSENT_VERSION, "2026-11-27T14:03:12.500Z"),
            privacy_notice: consent(PRIVACY_NOTICE_VERSION, "2026-11-27T14:03:15.000Z"),
            share_with_primary_care: consent(SHARE_CONSENT_VERSION, "2026-11-27T14:03:20.250Z"),
            guardian: None,
        },
        signature: Signature {
            method: Some(SignatureMethod::Drawn),
            svg_path: Some("M10 40 C20 10, 40 10, 50 40 S80 70, 90 40 L120 38".into()),
            typed_name: None,
            signed_at: at.clone(),
        },
        attachments: vec![Attachment {
            kind: AttachmentKind::PrescriptionPhoto,
            mime_type: "image/jpeg".into(),
            size_bytes: 4,
            data_base64: "/9j/4A==".into(),
        }],
        flags: Vec::new(),
    };
    s.flags = compute_flags(&s);
    s
}

/// The (path, code) of every error after `change`.
fn errors_after(change: impl FnOnce(&mut Submission)) -> Vec<(String, ErrorCode)> {
    let mut s = complete();
    change(&mut s);
    s.flags = compute_flags(&s);
    s.validate(&rules())
        .errors
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

fn one(path: &str, code: ErrorCode) -> Vec<(String, ErrorCode)> {
    vec![(path.to_owned(), code)]
}

#[test]
fn the_complete_submission_is_valid_and_warns_of_nothing() {
    let report = complete().validate(&rules());
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.warnings, vec![]);
}

#[test]
fn the_documented_example_is_a_valid_submission() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/example-submission.json"
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let text = serde_json::to_string_pretty(&complete()).expect("json") + "\n";
        std::fs::write(path, text).expect("write the example");
    }
    let text = std::fs::read_to_string(path)
        .expect("docs/example-submission.json (UPDATE_DOCS=1 writes it)");
    let example: Submission = serde_json::from_str(&text).expect("the example matches the types");
    assert_eq!(example.validate(&rules()).errors, vec![]);
    assert_eq!(
        example,
        complete(),
        "docs/example-submission.json is the test fixture, written out"
    );
}

#[test]
fn envelope() {
    assert_eq!(
        errors_after(|s| s.schema = "massage-intake/3".into()),
        one("schema", ErrorCode::SchemaUnsupported)
    );
    assert_eq!(
        errors_after(|s| s.submission_id = "not-a-uuid".into()),
        one("submission_id", ErrorCode::IdInvalid)
    );
    assert_eq!(
        errors_after(|s| s.submitted_at = "yesterday".into()),
        one("submitted_at", ErrorCode::TimestampInvalid)
    );
    assert_eq!(
        errors_after(|s| s.locale = "fr".into()),
        one("locale", ErrorCode::LocaleUnsupported)
    );
}

#[test]
fn names_are_required_and_bounded() {
    assert_eq!(
        errors_after(|s| s.patient.given_name = "  ".into()),
        one("patient.given_name", ErrorCode::Required)
    );
    let long = "x".repeat(101);
    let mut s = complete();
    s.patient.family_name = Text::new(long);
    let errors = s.validate(&rules()).errors;
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].path.as_str(), errors[0].code, errors[0].max),
        ("patient.family_name", ErrorCode::TooLong, Some(100))
    );
    assert_eq!(
        errors_after(|s| s.patient.family_name = Text::new("é".repeat(100))),
        vec![],
        "characters, not bytes"
    );
}

#[test]
fn date_of_birth() {
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "".into()),
        one("patient.date_of_birth", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "1961-02-30".into()),
        one("patient.date_of_birth", ErrorCode::DateInvalid)
    );
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "04/12/1961".into()),
        one("patient.date_of_birth", ErrorCode::DateInvalid)
    );
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "2026-11-28".into()),
        one("patient.date_of_birth", ErrorCode::DateInFuture)
    );
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "1905-11-27".into()),
        one("patient.date_of_birth", ErrorCode::AgeOutOfRange),
        "121 today"
    );
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "1905-11-28".into()),
        vec![],
        "120 is allowed"
    );
}

#[test]
fn phone_numbers_are_stored_as_e164() {
    assert_eq!(
        errors_after(|s| s.patient.phone = "".into()),
        one("patient.phone", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.patient.phone = "401-555-0134".into()),
        one("patient.phone", ErrorCode::PhoneInvalid)
    );
    assert_eq!(
        errors_after(|s| s.patient.phone = "+1911555013".into()),
        one("patient.phone", ErrorCode::PhoneInvalid)
    );
    assert_eq!(
        errors_after(
            |s| s.patient.primary_care.as_mut().expect("pcp").fax = Some("+44 20 7946 0958".into())
        ),
        one("patient.primary_care.fax", ErrorCode::PhoneInvalid)
    );
}

#[test]
fn email_and_address() {
    assert_eq!(
        errors_after(|s| s.patient.email = Some("ana@".into())),
        one("patient.email", ErrorCode::EmailInvalid)
    );
    assert_eq!(
        errors_after(|s| s.patient.email = None),
        vec![],
        "email is optional"
    );
    assert_eq!(
        errors_after(|s| s.patient.address.as_mut().expect("address").region = "ZZ".into()),
        one("patient.address.region", ErrorCode::RegionInvalid)
    );
    assert_eq!(
        errors_after(|s| s.patient.address.as_mut().expect("address").postal_code = "2903".into()),
        one("patient.address.postal_code", ErrorCode::PostalCodeInvalid)
    );
    assert_eq!(
        errors_after(|s| s.patient.address.as_mut().expect("address").city = "".into()),
        one("patient.address.city", ErrorCode::Required)
    );
}

#[test]
fn visit_reason_and_goals() {
    assert_eq!(
        errors_after(|s| s.visit.reason = "".into()),
        one("visit.reason", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.visit.goals.push(Goal::ReducePain)),
        one("visit.goals[2]", ErrorCode::Duplicate)
    );
}

#[test]
fn conditions_that_need_details() {
    assert_eq!(
        errors_after(|s| s.health.surgery_or_injury_date = None),
        one("health.surgery_or_injury_date", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.health.surgery_or_injury_date = Some("2026-12-01".into())),
        one("health.surgery_or_injury_date", ErrorCode::DateInFuture)
    );
    assert_eq!(
        errors_after(|s| s
            .health
            .conditions
            .retain(|c| *c != Condition::RecentSurgeryOrInjury)),
        one("health.surgery_or_injury_date", ErrorCode::NotApplicable)
    );
    assert_eq!(
        errors_after(|s| s.health.conditions.push(Condition::Pregnancy)),
        one("health.pregnancy_weeks", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| {
            s.health.conditions.push(Condition::Pregnancy);
            s.health.pregnancy_weeks = Some(43);
        }),
        one("health.pregnancy_weeks", ErrorCode::OutOfRange)
    );
    assert_eq!(
        errors_after(|s| s.health.pregnancy_weeks = Some(20)),
        one("health.pregnancy_weeks", ErrorCode::NotApplicable)
    );
    assert_eq!(
        errors_after(|s| s.health.conditions.push(Condition::HighBloodPressure)),
        one("health.conditions[2]", ErrorCode::Duplicate)
    );
    assert_eq!(
        errors_after(|s| s.health.medications.push(Medication {
            name: "".into(),
            dose: None
        })),
        one("health.medications[1].name", ErrorCode::Required)
    );
}

#[test]
fn pain_regions() {
    assert_eq!(
        errors_after(|s| s.pain[1].intensity = 11),
        one("pain[1].intensity", ErrorCode::OutOfRange)
    );
    assert_eq!(
        errors_after(|s| s.pain.push(PainRegion {
            region: BodyRegion::BackNeckLeft,
            intensity: 2
        })),
        one("pain[3].region", ErrorCode::Duplicate)
    );
    assert_eq!(
        errors_after(|s| s.pain[0].intensity = 0),
        vec![],
        "0 is a valid rating"
    );
}

#[test]
fn npi_rules() {
    let npi = |v: &str| {
        let v = v.to_owned();
        errors_after(move |s| s.prescription.prescriber.as_mut().expect("prescriber").npi = v)
    };
    assert_eq!(
        npi("1234567890"),
        one("prescription.prescriber.npi", ErrorCode::NpiCheckDigit)
    );
    assert_eq!(
        npi("123456789"),
        one("prescription.prescriber.npi", ErrorCode::NpiLength)
    );
    assert_eq!(
        npi("123 456 7893"),
        one("prescription.prescriber.npi", ErrorCode::NpiLength),
        "stored as ten digits"
    );
    assert_eq!(
        npi("3234567893"),
        one("prescription.prescriber.npi", ErrorCode::NpiPrefix)
    );
    assert_eq!(
        npi(""),
        one("prescription.prescriber.npi", ErrorCode::Required)
    );
}

#[test]
fn icd10_rules() {
    let code = |v: &str| {
        let v = v.to_owned();
        errors_after(move |s| s.prescription.diagnoses[1].code = v)
    };
    assert_eq!(
        code("M5450"),
        one("prescription.diagnoses[1].code", ErrorCode::Icd10Format),
        "stored in written form"
    );
    assert_eq!(
        code("54.50"),
        one("prescription.diagnoses[1].code", ErrorCode::Icd10Format)
    );
    assert_eq!(
        code("S13.4XXA"),
        one("prescription.diagnoses[1].code", ErrorCode::Duplicate)
    );
    assert_eq!(
        code("Z99.89"),
        vec![],
        "a well-formed code outside the table is accepted"
    );
    assert_eq!(
        errors_after(|s| s.prescription.diagnoses.clear()),
        one("prescription.diagnoses", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.prescription.diagnoses[0].description = "".into()),
        one("prescription.diagnoses[0].description", ErrorCode::Required)
    );
}

#[test]
fn prescription_dates() {
    let written = |v: &str| {
        let v = v.to_owned();
        errors_after(move |s| s.prescription.date_written = Some(v))
    };
    assert_eq!(
        written("2026-11-28"),
        one("prescription.date_written", ErrorCode::DateInFuture)
    );
    assert_eq!(
        written("1960-01-01"),
        one("prescription.date_written", ErrorCode::BeforeBirth)
    );
    assert_eq!(
        written("2026-02-30"),
        one("prescription.date_written", ErrorCode::DateInvalid)
    );
    assert_eq!(
        errors_after(|s| s.prescription.date_written = None),
        one("prescription.date_written", ErrorCode::Required)
    );
}

#[test]
fn an_old_prescription_warns_but_does_not_block() {
    let mut s = complete();
    s.prescription.date_written = Some("2025-10-01".into());
    let report = s.validate(&rules());
    assert!(report.is_valid());
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(
        (report.warnings[0].path.as_str(), report.warnings[0].code),
        ("prescription.date_written", ErrorCode::PrescriptionOld)
    );
    let strict = Rules {
        prescription_validity_days: 14,
        ..rules()
    };
    assert_eq!(
        complete().validate(&strict).warnings.len(),
        1,
        "the validity is configurable"
    );
}

#[test]
fn treatment_plan_numbers() {
    assert_eq!(
        errors_after(|s| s.prescription.frequency_per_week = Some(8)),
        one("prescription.frequency_per_week", ErrorCode::OutOfRange)
    );
    assert_eq!(
        errors_after(|s| s.prescription.frequency_per_week = None),
        one("prescription.frequency_per_week", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.prescription.duration_weeks = Some(0)),
        one("prescription.duration_weeks", ErrorCode::OutOfRange)
    );
    assert_eq!(
        errors_after(|s| s.prescription.visits_authorized = None),
        vec![],
        "visits are optional"
    );
    assert_eq!(
        errors_after(|s| s.prescription.session_minutes = Some(10)),
        one("prescription.session_minutes", ErrorCode::OutOfRange)
    );
    let mut s = complete();
    s.prescription.frequency_per_week = Some(9);
    let e = &s.validate(&rules()).errors[0];
    assert_eq!(
        (e.min, e.max),
        (Some(1), Some(7)),
        "the message can say the range"
    );
}

#[test]
fn self_referral_needs_no_prescription_details_and_allows_none() {
    let self_referral = |s: &mut Submission| {
        s.prescription = Prescription::default();
        s.attachments.clear();
    };
    assert_eq!(errors_after(self_referral), vec![]);
    let errors = errors_after(|s| s.prescription.has_prescription = false);
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "prescription.session_minutes",
            "prescription.prescriber",
            "prescription.date_written",
            "prescription.diagnoses",
            "prescription.modalities",
            "prescription.frequency_per_week",
            "prescription.duration_weeks",
            "prescription.visits_authorized",
            "prescription.prior_authorization",
            "prescription.restrictions",
            "attachments",
        ]
    );
    assert!(errors.iter().all(|(_, c)| *c == ErrorCode::NotApplicable));
    assert_eq!(
        errors_after(|s| s.prescription.prescriber = None),
        one("prescription.prescriber", ErrorCode::Required),
        "with a prescription, the prescriber is required"
    );
}

#[test]
fn payer_fields_follow_the_payer_kind() {
    assert_eq!(
        errors_after(|s| s.payer = Payer::default()),
        vec![],
        "self-pay needs nothing"
    );
    assert_eq!(
        errors_after(|s| s.payer.kind = PayerKind::SelfPay),
        one("payer.auto_accident", ErrorCode::NotApplicable)
    );
    assert_eq!(
        errors_after(|s| s.payer.kind = PayerKind::HealthInsurance),
        vec![
            ("payer.auto_accident".into(), ErrorCode::NotApplicable),
            ("payer.health_insurance".into(), ErrorCode::Required)
        ]
    );
    assert_eq!(
        errors_after(|s| s.payer.auto_accident.as_mut().expect("auto").claim_number = "".into()),
        one("payer.auto_accident.claim_number", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s
            .payer
            .auto_accident
            .as_mut()
            .expect("auto")
            .date_of_accident = "2027-01-01".into()),
        one(
            "payer.auto_accident.date_of_accident",
            ErrorCode::DateInFuture
        )
    );
    let insured = |s: &mut Submission| {
        s.payer = Payer {
            kind: PayerKind::HealthInsurance,
            health_insurance: Some(HealthInsurance {
                carrier: "Harbor Health".into(),
                member_id: "".into(),
                group_number: None,
                subscriber_name: "Ana Silva".into(),
                subscriber_relationship: Some(SubscriberRelationship::SelfInsured),
            }),
            auto_accident: None,
            workers_comp: None,
        }
    };
    assert_eq!(
        errors_after(insured),
        one("payer.health_insurance.member_id", ErrorCode::Required)
    );
    let comp = |s: &mut Submission| {
        s.payer = Payer {
            kind: PayerKind::WorkersComp,
            health_insurance: None,
            auto_accident: None,
            workers_comp: Some(WorkersComp {
                employer: "Providence Port Authority".into(),
                carrier: None,
                claim_number: "WC-1".into(),
                adjuster_name: None,
                adjuster_phone: None,
                date_of_injury: "2026-13-01".into(),
            }),
        }
    };
    assert_eq!(
        errors_after(comp),
        one("payer.workers_comp.date_of_injury", ErrorCode::DateInvalid)
    );
}

#[test]
fn consents_and_guardians() {
    assert_eq!(
        errors_after(|s| s.consents.treatment = None),
        one("consents.treatment", ErrorCode::ConsentRequired)
    );
    assert_eq!(
        errors_after(|s| s.consents.privacy_notice = None),
        one("consents.privacy_notice", ErrorCode::ConsentRequired)
    );
    assert_eq!(
        errors_after(|s| s.consents.share_with_primary_care = None),
        vec![],
        "sharing is optional"
    );
    assert_eq!(
        errors_after(
            |s| s.consents.treatment.as_mut().expect("consent").accepted_at = "now".into()
        ),
        one(
            "consents.treatment.accepted_at",
            ErrorCode::TimestampInvalid
        )
    );
    let minor = |s: &mut Submission| s.patient.date_of_birth = "2010-05-05".into();
    assert_eq!(
        errors_after(minor),
        one("consents.guardian", ErrorCode::Required)
    );
    let with_guardian = |s: &mut Submission| {
        s.patient.date_of_birth = "2010-05-05".into();
        s.prescription.date_written = Some("2026-11-03".into());
        s.consents.guardian = Some(Guardian {
            name: "Ana Silva".into(),
            relationship: "Mother".into(),
            phone: "+14015550134".into(),
        });
    };
    assert_eq!(errors_after(with_guardian), vec![]);
    assert_eq!(
        errors_after(|s| s.patient.date_of_birth = "2008-11-27".into()),
        vec![],
        "18 today needs no guardian"
    );
}

#[test]
fn signatures() {
    assert_eq!(
        errors_after(|s| s.signature.method = None),
        one("signature.method", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.signature.svg_path = None),
        one("signature.svg_path", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.signature.svg_path = Some("<script>".into())),
        one("signature.svg_path", ErrorCode::SignatureInvalid)
    );
    let typed = |s: &mut Submission| {
        s.signature = Signature {
            method: Some(SignatureMethod::Typed),
            svg_path: None,
            typed_name: Some("Ana Silva".into()),
            signed_at: s.submitted_at.clone(),
        }
    };
    assert_eq!(errors_after(typed), vec![]);
    let typed_blank = |s: &mut Submission| {
        s.signature = Signature {
            method: Some(SignatureMethod::Typed),
            svg_path: None,
            typed_name: Some(" ".into()),
            signed_at: s.submitted_at.clone(),
        }
    };
    assert_eq!(
        errors_after(typed_blank),
        one("signature.typed_name", ErrorCode::Required)
    );
    assert!(
        is_svg_path("M1 2 L3 4 Z")
            && !is_svg_path("L1 2")
            && !is_svg_path("M")
            && !is_svg_path("M1 2 url(x)")
    );
}

#[test]
fn attachments() {
    assert_eq!(
        errors_after(|s| s.attachments[0].mime_type = "application/pdf".into()),
        one("attachments[0].mime_type", ErrorCode::AttachmentType)
    );
    assert_eq!(
        errors_after(|s| s.attachments[0].size_bytes = MAX_ATTACHMENT_BYTES + 1),
        one("attachments[0].size_bytes", ErrorCode::AttachmentTooLarge)
    );
    assert_eq!(
        errors_after(|s| s.attachments[0].size_bytes = 5),
        one("attachments[0].data_base64", ErrorCode::AttachmentInvalid)
    );
    assert_eq!(
        errors_after(|s| s.attachments[0].data_base64 = "/9j/4A=".into()),
        one("attachments[0].data_base64", ErrorCode::AttachmentInvalid)
    );
    assert_eq!(
        errors_after(|s| {
            let a = s.attachments[0].clone();
            s.attachments = vec![a.clone(), a.clone(), a.clone(), a];
        }),
        one("attachments", ErrorCode::TooMany)
    );
    assert_eq!(base64_decoded_len("aGVsbG8="), Some(5));
    assert_eq!(base64_decoded_len("aGVsbG8gd29ybGQ="), Some(11));
    assert_eq!(base64_decoded_len("aGVsbG8"), None);
    assert_eq!(base64_decoded_len("aGV*bG8="), None);
}

#[test]
fn flags_must_follow_from_the_answers() {
    let mut s = complete();
    s.flags.clear();
    let errors = s.validate(&rules()).errors;
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.path.as_str(), e.code))
            .collect::<Vec<_>>(),
        vec![("flags", ErrorCode::FlagsMismatch)]
    );
}

fn flag_codes(s: &Submission) -> Vec<FlagCode> {
    compute_flags(s).into_iter().map(|f| f.code).collect()
}

#[test]
fn the_flag_table() {
    let s = complete();
    assert_eq!(
        flag_codes(&s),
        vec![FlagCode::SurgeryClearance, FlagCode::NutFreeLubricant],
        "28 days after the accident"
    );
    // An empty list here stands for "None of these".
    let with = |conditions: &[Condition], allergies: &[Allergen], thinners: bool| {
        let mut s = complete();
        s.health.conditions = match conditions.is_empty() {
            true => vec![Condition::NoneOfThese],
            false => conditions.to_vec(),
        };
        s.health.allergies = match allergies.is_empty() {
            true => vec![Allergen::NoneOfThese],
            false => allergies.to_vec(),
        };
        s.health.blood_thinners = Some(thinners);
        s.health.surgery_or_injury_date = None;
        flag_codes(&s)
    };
    assert_eq!(
        with(&[Condition::BloodClots], &[], false),
        vec![FlagCode::PhysicianClearance]
    );
    assert_eq!(
        with(&[Condition::Pregnancy], &[], false),
        vec![FlagCode::PrenatalPositioning]
    );
    assert_eq!(
        with(&[Condition::CancerInTreatment], &[], false),
        vec![FlagCode::CancerClearance]
    );
    assert_eq!(
        with(&[Condition::CancerHistory], &[], false),
        vec![],
        "history alone raises nothing"
    );
    assert_eq!(
        with(&[Condition::FeverOrContagious], &[], false),
        vec![FlagCode::Reschedule]
    );
    assert_eq!(with(&[], &[], true), vec![FlagCode::LightPressure]);
    assert_eq!(
        with(&[Condition::Osteoporosis], &[], true),
        vec![FlagCode::LightPressure],
        "each flag once"
    );
    assert_eq!(
        with(&[], &[Allergen::Nuts, Allergen::Latex], false),
        vec![FlagCode::NutFreeLubricant, FlagCode::LatexFreeGloves]
    );
    assert_eq!(
        with(&[Condition::OpenWounds], &[], false),
        vec![FlagCode::AvoidArea]
    );
    assert_eq!(
        with(&[Condition::SkinCondition], &[], false),
        vec![FlagCode::AvoidArea]
    );
    assert_eq!(
        with(&[Condition::RecentSurgeryOrInjury], &[], false),
        vec![FlagCode::SurgeryClearance],
        "no date: ask"
    );
    let surgery = |date: &str| {
        let mut s = complete();
        s.health.allergies = vec![Allergen::NoneOfThese];
        s.health.surgery_or_injury_date = Some(date.into());
        flag_codes(&s)
    };
    assert_eq!(
        surgery("2026-10-16"),
        vec![FlagCode::SurgeryClearance],
        "42 days before is within 6 weeks"
    );
    assert_eq!(surgery("2026-10-15"), vec![], "43 days before is not");
    let stop = compute_flags(&complete())
        .iter()
        .filter(|f| f.severity == Severity::Stop)
        .count();
    assert_eq!(stop, 1);
}

#[test]
fn the_short_form_draft_makes_a_valid_submission() {
    let draft = IntakeDraft {
        given_name: " Ana ".into(),
        family_name: "Silva".into(),
        date_of_birth: "1961-04-12".into(),
        phone: "(401) 555-0134".into(),
        reason: "Lower back pain".into(),
        conditions: vec!["none".into()],
        takes_medications: "no".into(),
        blood_thinners: "no".into(),
        allergies: vec!["none".into()],
        consent_treatment: true,
        consent_privacy: true,
        signature_name: "Ana Silva".into(),
        ..IntakeDraft::default()
    };
    let ctx = SubmitContext {
        submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        submitted_at: "2026-11-27T14:05:09.120Z".into(),
        locale: "en".into(),
        mode: Mode::Standalone,
    };
    let s = draft.to_submission(&ctx);
    assert_eq!(s.validate(&rules()).errors, vec![]);
    assert_eq!(s.patient.given_name.as_str(), "Ana");
    assert_eq!(s.patient.phone, "+14015550134");
    assert_eq!(s.signature.method, Some(SignatureMethod::Typed));
    let empty = IntakeDraft::default()
        .to_submission(&ctx)
        .validate(&rules())
        .errors;
    let paths: Vec<&str> = empty.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "patient.given_name",
            "patient.family_name",
            "patient.date_of_birth",
            "patient.phone",
            "visit.reason",
            "health.conditions",
            "health.takes_medications",
            "health.blood_thinners",
            "health.allergies",
            "consents.treatment",
            "consents.privacy_notice",
            "signature.typed_name",
        ]
    );
    let today = Date::parse(TODAY).expect("today");
    let mut minor = draft.clone();
    minor.date_of_birth = "2012-06-01".into();
    assert!(minor.is_minor_on(today) && !draft.is_minor_on(today));
    let errors = minor.to_submission(&ctx).validate(&rules()).errors;
    assert_eq!(
        errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        ["consents.guardian"]
    );
    minor.guardian_name = "Rui Silva".into();
    minor.guardian_relationship = "Father".into();
    minor.guardian_phone = "401 555 0188".into();
    let s = minor.to_submission(&ctx);
    assert_eq!(s.validate(&rules()).errors, vec![]);
    assert_eq!(
        s.consents.guardian.map(|g| g.phone),
        Some("+14015550188".into())
    );
}

#[test]
fn every_error_code_is_written_as_serde_writes_it() {
    for code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).ok(),
            Some(serde_json::Value::from(code.as_str()))
        );
        assert_eq!(ErrorCode::from_code(code.as_str()), *code);
    }
    assert_eq!(ErrorCode::from_code("from_the_future"), ErrorCode::Unknown);
    let newer: intake_core::FieldError =
        serde_json::from_str(r#"{"path":"x","code":"from_the_future"}"#).expect("parse");
    assert_eq!(newer.code, ErrorCode::Unknown);
}

#[test]
fn uuid_v4_shape() {
    assert!(is_uuid_v4("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assert!(
        !is_uuid_v4("0F8FAD5B-D9CB-469F-A165-70867728950E"),
        "upper case is not canonical"
    );
    assert!(
        !is_uuid_v4("0f8fad5b-d9cb-169f-a165-70867728950e"),
        "version 1"
    );
    assert!(
        !is_uuid_v4("0f8fad5b-d9cb-469f-c165-70867728950e"),
        "wrong variant"
    );
}

#[test]
fn every_error_code_and_flag_has_words_in_every_language() {
    use intake_core::{Catalog, Locale};
    for locale in Locale::ALL {
        let texts = Catalog::builtin(*locale);
        for code in ErrorCode::ALL {
            let text = texts.text(code.msg());
            assert!(!text.trim().is_empty(), "{code:?} in {}", locale.tag());
        }
        for flag in FlagCode::ALL {
            let text = texts.text(flag.msg());
            assert!(!text.trim().is_empty(), "{flag:?} in {}", locale.tag());
        }
    }
    let en = Catalog::english();
    let range = en.format(ErrorCode::OutOfRange.msg(), &[("min", "1"), ("max", "7")]);
    assert_eq!(range, "Please enter a number from 1 to 7.");
}

#[test]
fn every_screening_question_needs_an_answer_and_none_of_these_stands_alone() {
    assert_eq!(
        errors_after(|s| {
            s.health.conditions.clear();
            s.health.surgery_or_injury_date = None;
        }),
        one("health.conditions", ErrorCode::Required),
        "no tick at all is not \"none\""
    );
    assert_eq!(
        errors_after(|s| s.health.allergies.clear()),
        one("health.allergies", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.health.blood_thinners = None),
        one("health.blood_thinners", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| {
            s.health.takes_medications = None;
        }),
        one("health.takes_medications", ErrorCode::Required)
    );
    assert_eq!(
        errors_after(|s| s.health.medications.clear()),
        one("health.medications", ErrorCode::Required),
        "\"yes\" needs the medicines"
    );
    assert_eq!(
        errors_after(|s| s.health.takes_medications = Some(false)),
        one("health.medications", ErrorCode::NotApplicable)
    );
    assert_eq!(
        errors_after(|s| s.health.allergies.push(Allergen::NoneOfThese)),
        one("health.allergies", ErrorCode::NoneWithOthers)
    );
    assert_eq!(
        errors_after(|s| {
            s.health.conditions = vec![Condition::NoneOfThese];
            s.health.surgery_or_injury_date = None;
        }),
        vec![],
        "\"none of these\" alone is an answer"
    );
}

#[test]
fn an_unanswered_health_question_is_flagged_never_taken_as_safe() {
    let mut s = complete();
    s.health.blood_thinners = None;
    assert!(
        flag_codes(&s).contains(&FlagCode::HealthUnknown),
        "unknown is not \"no\""
    );
    s.health.blood_thinners = Some(false);
    assert!(!flag_codes(&s).contains(&FlagCode::HealthUnknown));
    s.health.conditions.clear();
    assert!(flag_codes(&s).contains(&FlagCode::HealthUnknown));
}

/// The documented example as an older widget sent it: `/1`, with the
/// unticked blood-thinner box as `false` and no `takes_medications`.
fn version_1_example() -> serde_json::Value {
    let mut v = serde_json::to_value(complete()).expect("json");
    v["schema"] = "massage-intake/1".into();
    v["health"]["blood_thinners"] = false.into();
    if let Some(h) = v["health"].as_object_mut() {
        h.remove("takes_medications");
    }
    v
}

#[test]
fn a_version_1_submission_is_read_with_its_unticked_answers_unknown() {
    let read = Submission::from_json_value(version_1_example()).expect("reads");
    assert_eq!(
        read.schema, "massage-intake/1",
        "where it came from stays said"
    );
    assert_eq!(read.health.blood_thinners, None, "false was only unticked");
    assert_eq!(read.health.takes_medications, Some(true), "it listed one");
    assert_eq!(
        flag_codes(&read),
        vec![
            FlagCode::SurgeryClearance,
            FlagCode::NutFreeLubricant,
            FlagCode::HealthUnknown
        ]
    );
    assert_eq!(read.validate(&rules()).errors, vec![], "still accepted");

    // A /1 submission with nothing ticked: every list unknown, nothing refused.
    let mut bare = version_1_example();
    bare["health"]["conditions"] = serde_json::json!([]);
    bare["health"]["allergies"] = serde_json::json!([]);
    bare["health"]["medications"] = serde_json::json!([]);
    bare["health"]["surgery_or_injury_date"] = serde_json::Value::Null;
    bare["flags"] = serde_json::json!([]);
    let read = Submission::from_json_value(bare).expect("reads");
    assert_eq!(read.health.takes_medications, None);
    assert_eq!(flag_codes(&read), vec![FlagCode::HealthUnknown]);
    assert_eq!(read.validate(&rules()).errors, vec![]);

    // The same answers as /2 must be answered.
    let mut v2 = serde_json::to_value(complete()).expect("json");
    v2["health"]["blood_thinners"] = serde_json::Value::Null;
    let read = Submission::from_json_value(v2).expect("reads");
    assert!(read
        .validate(&rules())
        .errors
        .iter()
        .any(|e| e.path == "health.blood_thinners" && e.code == ErrorCode::Required));
}

#[test]
fn a_typed_signature_is_the_patient_s_or_guardian_s_name() {
    let typed = |name: &str| {
        errors_after(|s| {
            s.signature.method = Some(SignatureMethod::Typed);
            s.signature.svg_path = None;
            s.signature.typed_name = Some(Text::new(name));
        })
    };
    assert_eq!(typed("Ana Silva"), vec![]);
    assert_eq!(typed("  ANA   silva "), vec![], "case and spacing");
    assert_eq!(typed("Silva Ana"), vec![], "family name first");
    assert_eq!(
        typed("D"),
        one("signature.typed_name", ErrorCode::SignatureNameMismatch)
    );
    assert_eq!(
        typed("Ana"),
        one("signature.typed_name", ErrorCode::SignatureNameMismatch)
    );
    let accented = errors_after(|s| {
        s.patient.given_name = Text::new("José");
        s.patient.family_name = Text::new("D'Ávila-Ruiz");
        s.signature.method = Some(SignatureMethod::Typed);
        s.signature.svg_path = None;
        s.signature.typed_name = Some(Text::new("jose davila ruiz"));
    });
    assert_eq!(accented, vec![], "accents and punctuation");
    let shouted = errors_after(|s| {
        s.patient.given_name = Text::new("João");
        s.patient.family_name = Text::new("Gonçalves");
        s.signature.method = Some(SignatureMethod::Typed);
        s.signature.svg_path = None;
        // Capital accents, and an accent typed as a combining mark.
        s.signature.typed_name = Some(Text::new("JOÃO GONC\u{327}ALVES"));
    });
    assert_eq!(shouted, vec![], "capitals and combining accents");
    let polish = errors_after(|s| {
        s.patient.given_name = Text::new("Łucja");
        s.patient.family_name = Text::new("Źróbek");
        s.signature.method = Some(SignatureMethod::Typed);
        s.signature.svg_path = None;
        s.signature.typed_name = Some(Text::new("ŁUCJA ŹRÓBEK"));
    });
    assert_eq!(polish, vec![], "capitals of Latin Extended-A");
}

#[test]
fn a_drawn_signature_is_more_than_a_dot() {
    let drawn = |path: &str| {
        errors_after(|s| {
            s.signature.svg_path = Some(Text::new(path));
        })
    };
    assert_eq!(
        drawn("M100 100"),
        one("signature.svg_path", ErrorCode::SignatureTooSmall)
    );
    assert_eq!(
        drawn("M100 100 L102 101 L104 100 L103 102"),
        one("signature.svg_path", ErrorCode::SignatureTooSmall),
        "a tap that wobbled"
    );
    assert_eq!(drawn("M100 100 L130 120 L160 90 L200 110"), vec![]);
    assert_eq!(
        drawn("M100.5 100.25 L139.9 100 L120.1 101 L110 100"),
        one("signature.svg_path", ErrorCode::SignatureTooSmall),
        "39 units across, decimals and all"
    );
    assert_eq!(drawn("M10.5 20.25 L30.75 40 L50 60.5 L70.9 80"), vec![]);
}

#[test]
fn control_characters_and_direction_overrides_are_refused_in_every_text() {
    let codes = |s: &Submission| -> Vec<(String, ErrorCode)> {
        s.validate(&rules())
            .errors
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect()
    };
    // A name that would read "Ana" then the rest reversed in a spreadsheet,
    // a NUL, an ESC that starts a terminal sequence, C1's NEL, an isolate;
    // invisible spaces and direction marks make look-alike names; line
    // separators break a line like a newline.
    for bad in [
        "Ana\u{202E}avliS",
        "Ana\u{0}",
        "\u{1b}[31mAna",
        "Ana\u{85}",
        "Ana\u{2067}x\u{2069}",
        "Ana\tSilva",
        "Ana\nSilva",
        "Ana\u{200B}",
        "\u{FEFF}Ana",
        "Ana\u{200E}",
        "A\u{061C}na",
        "Ana\u{2028}Silva",
    ] {
        let mut s = complete();
        s.patient.given_name = bad.into();
        assert_eq!(
            codes(&s),
            vec![("patient.given_name".to_owned(), ErrorCode::ControlCharacter)],
            "{bad:?}"
        );
    }
    // Optional single-line texts, lists and the payer are held the same.
    let mut s = complete();
    s.patient.address.as_mut().expect("address").line2 = Some("Apt\u{202D}3".into());
    s.health.medications[0].name = "Ibuprofen\u{7}".into();
    let found = codes(&s);
    assert!(found.contains(&("patient.address.line2".into(), ErrorCode::ControlCharacter)));
    assert!(found.contains(&(
        "health.medications[0].name".into(),
        ErrorCode::ControlCharacter
    )));
    // Several lines are fine where the field has several lines; a tab too;
    // a direction override or NUL is not.
    let mut s = complete();
    s.visit.reason = Text::new("Low back pain.\r\nWorse after sitting.\tSince May.");
    s.health.condition_notes = Some(Text::new("Line one\nLine two"));
    assert_eq!(codes(&s), vec![]);
    s.visit.reason = Text::new("Low back\u{202E} pain");
    s.health.condition_notes = Some(Text::new("x\u{0}"));
    assert_eq!(
        codes(&s),
        vec![
            ("visit.reason".to_owned(), ErrorCode::ControlCharacter),
            (
                "health.condition_notes".to_owned(),
                ErrorCode::ControlCharacter
            ),
        ]
    );
    // Letters of every script, combining accents, joiners in emoji are text.
    let mut s = complete();
    s.patient.given_name = "Zoë Ñuñez-Łukasz 李 שרה José 👩\u{200D}⚕️".into();
    assert_eq!(codes(&s), vec![]);
    // A typed signature is held the same.
    let mut s = complete();
    s.patient.given_name = "Ana".into();
    s.signature.method = Some(SignatureMethod::Typed);
    s.signature.svg_path = None;
    s.signature.typed_name = Some("Ana\u{202E} Silva".into());
    assert_eq!(
        codes(&s),
        vec![(
            "signature.typed_name".to_owned(),
            ErrorCode::ControlCharacter
        )]
    );
}

#[test]
fn a_signature_carries_only_what_its_method_uses() {
    let errors = |s: &Submission| -> Vec<(String, ErrorCode)> {
        s.validate(&rules())
            .errors
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect()
    };
    let mut typed = complete();
    typed.signature.method = Some(SignatureMethod::Typed);
    typed.signature.typed_name = Some("Ana Silva".into());
    typed.signature.svg_path = None;
    assert_eq!(errors(&typed), vec![]);
    typed.signature.svg_path = Some(Text::new("M0 0\"/><script>x</script>"));
    assert_eq!(
        errors(&typed),
        vec![("signature.svg_path".to_owned(), ErrorCode::NotApplicable)]
    );
    let mut drawn = complete();
    assert_eq!(drawn.signature.method, Some(SignatureMethod::Drawn));
    drawn.signature.typed_name = Some("Ana Silva".into());
    assert_eq!(
        errors(&drawn),
        vec![("signature.typed_name".to_owned(), ErrorCode::NotApplicable)]
    );
}

#[test]
fn a_prescription_photo_needs_a_prescription() {
    let mut s = complete();
    s.prescription = Prescription::default();
    s.payer = Payer::default();
    s.flags = compute_flags(&s);
    assert!(!s.attachments.is_empty());
    assert_eq!(
        s.validate(&rules())
            .errors
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect::<Vec<_>>(),
        vec![("attachments".to_owned(), ErrorCode::NotApplicable)]
    );
}

#[test]
fn a_session_length_belongs_to_a_prescription() {
    let mut s = complete();
    s.prescription = Prescription::default();
    s.payer = Payer::default();
    s.attachments.clear();
    s.flags = compute_flags(&s);
    assert_eq!(s.validate(&rules()).errors, vec![]);
    s.prescription.session_minutes = Some(60);
    assert_eq!(
        s.validate(&rules())
            .errors
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect::<Vec<_>>(),
        vec![(
            "prescription.session_minutes".to_owned(),
            ErrorCode::NotApplicable
        )]
    );
}
