//! "What to expect": the first visit described in plain words from the
//! patient's own answers, for the thank-you screen (and, on a personal
//! device, a page to print and keep).
//!
//! It says only what the clinic's own content says: the visit's length, that
//! a visit without a prescription starts with the therapist's assessment,
//! the techniques and therapies likely for the goals and areas chosen (their
//! names and descriptions from the education, and only those the clinic
//! shows), what to bring for the payer chosen and for any clearance a safety
//! flag asks for, how the therapist adapts the visit, and the clinic's
//! number. Nothing promises a result.
//!
//! The words are in the locale tables; a clinic can reword or hide any part
//! with the `expect` option of `intake.config.json`
//! (`"expect": {"visit": "…", "assessment": null}`). On a kiosk only the
//! short version is made: nothing about health, flags or prescriptions in a
//! waiting room.
//!
//! ```
//! use intake_core::expect::{what_to_expect, Facts};
//! use intake_core::vocab::PayerKind;
//! use intake_core::Catalog;
//! let facts = Facts { payer: Some(PayerKind::SelfPay), ..Facts::default() };
//! let shown = what_to_expect(&facts, &Catalog::english(), &Default::default(), &Default::default(), false);
//! assert!(shown.visit.as_deref().is_some_and(|v| v.contains("60 minutes")));
//! assert!(shown.first.as_deref().is_some_and(|f| f.contains("assessment")));
//! ```

use crate::i18n::{Catalog, Msg};
use crate::learn::{ContentProblem, LearnOverrides, Topic, TECHNIQUES, THERAPIES};
use crate::value::ConfigValue;
use crate::vocab::{FlagCode, Goal, PayerKind};

/// What the answers say that shapes the visit. Made from a submission with
/// `Submission::expect_facts`; nothing else of it is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub has_prescription: bool,
    pub payer: Option<PayerKind>,
    pub goals: Vec<Goal>,
    /// Whether any painful area was marked on the body map.
    pub has_pain_areas: bool,
    pub prefers_light_pressure: bool,
    pub flags: Vec<FlagCode>,
}

/// A part of the text a clinic may reword or hide, by its name in the
/// `expect` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub id: &'static str,
    pub msg: Msg,
}

/// Every part, in the order shown.
pub const PARTS: &[Part] = &[
    Part {
        id: "visit",
        msg: Msg::ExpectVisit,
    },
    Part {
        id: "prescribed",
        msg: Msg::ExpectPrescribed,
    },
    Part {
        id: "assessment",
        msg: Msg::ExpectAssessment,
    },
    Part {
        id: "kiosk",
        msg: Msg::ExpectKiosk,
    },
    Part {
        id: "techniques",
        msg: Msg::ExpectTechniques,
    },
    Part {
        id: "bring_prescription",
        msg: Msg::ExpectBringPrescription,
    },
    Part {
        id: "bring_self_pay",
        msg: Msg::ExpectBringSelfPay,
    },
    Part {
        id: "bring_health_insurance",
        msg: Msg::ExpectBringHealthInsurance,
    },
    Part {
        id: "bring_auto_accident",
        msg: Msg::ExpectBringAutoAccident,
    },
    Part {
        id: "bring_workers_comp",
        msg: Msg::ExpectBringWorkersComp,
    },
    Part {
        id: "bring_physician_clearance",
        msg: Msg::ExpectBringPhysicianClearance,
    },
    Part {
        id: "bring_cancer_clearance",
        msg: Msg::ExpectBringCancerClearance,
    },
    Part {
        id: "bring_surgery_clearance",
        msg: Msg::ExpectBringSurgeryClearance,
    },
    Part {
        id: "reschedule",
        msg: Msg::ExpectReschedule,
    },
    Part {
        id: "prenatal_positioning",
        msg: Msg::ExpectPrenatalPositioning,
    },
    Part {
        id: "light_pressure",
        msg: Msg::ExpectLightPressure,
    },
    Part {
        id: "nut_free_lubricant",
        msg: Msg::ExpectNutFreeLubricant,
    },
    Part {
        id: "latex_free_gloves",
        msg: Msg::ExpectLatexFreeGloves,
    },
    Part {
        id: "hypoallergenic_lubricant",
        msg: Msg::ExpectHypoallergenicLubricant,
    },
    Part {
        id: "avoid_area",
        msg: Msg::ExpectAvoidArea,
    },
    Part {
        id: "health_unknown",
        msg: Msg::ExpectHealthUnknown,
    },
];

/// The longest override, in characters.
pub const MAX_TEXT: usize = 600;

/// A clinic's changes: a part's own words, or `None` to leave it out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpectOverrides(pub Vec<(&'static str, Option<String>)>);

impl ExpectOverrides {
    fn get(&self, id: &str) -> Option<&Option<String>> {
        self.0.iter().find(|(i, _)| *i == id).map(|(_, o)| o)
    }
}

/// Reads the `expect` option: each part is a text of 1 to [`MAX_TEXT`]
/// characters, or `null` to leave it out. A bad entry is reported naming it
/// (`expect.visit`) and that part keeps its built-in text.
pub fn parse_overrides(value: &ConfigValue) -> (ExpectOverrides, Vec<(String, ContentProblem)>) {
    let mut taken = Vec::new();
    let mut problems = Vec::new();
    let ConfigValue::Object(entries) = value else {
        problems.push(("expect".to_owned(), ContentProblem::NotObject));
        return (ExpectOverrides(taken), problems);
    };
    for (key, entry) in entries {
        let field = format!("expect.{key}");
        let Some(part) = PARTS.iter().find(|p| p.id == key.as_str()) else {
            let parts: Vec<&str> = PARTS.iter().map(|p| p.id).collect();
            problems.push((
                field,
                ContentProblem::UnknownExpectPart {
                    parts: parts.join(", "),
                },
            ));
            continue;
        };
        match entry {
            ConfigValue::Other(null) if null == "null" => taken.push((part.id, None)),
            ConfigValue::Text(text)
                if !text.trim().is_empty() && text.trim().chars().count() <= MAX_TEXT =>
            {
                taken.push((part.id, Some(text.trim().to_owned())));
            }
            _ => problems.push((field, ContentProblem::BadText { max: MAX_TEXT })),
        }
    }
    (ExpectOverrides(taken), problems)
}

/// A technique or therapy as the clinic describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Technique {
    pub name: String,
    pub what: String,
}

/// The text shown, each part already in the patient's language (or the
/// clinic's words); a part left out is `None` or empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    /// The visit's length.
    pub visit: Option<String>,
    /// How the first visit starts (on a kiosk: the short word on what next).
    pub first: Option<String>,
    /// The line before the techniques.
    pub techniques_intro: Option<String>,
    pub techniques: Vec<Technique>,
    /// What to bring.
    pub bring: Vec<String>,
    /// How the therapist adapts the visit to what the patient said.
    pub adapted: Vec<String>,
}

impl Shown {
    /// Every text, in order, as one would read them aloud or search them.
    pub fn texts(&self) -> Vec<&str> {
        let mut all: Vec<&str> = Vec::new();
        all.extend(self.visit.as_deref());
        all.extend(self.first.as_deref());
        all.extend(self.techniques_intro.as_deref());
        for t in &self.techniques {
            all.push(&t.name);
            all.push(&t.what);
        }
        all.extend(self.bring.iter().map(String::as_str));
        all.extend(self.adapted.iter().map(String::as_str));
        all
    }
}

/// The techniques and therapies each goal calls for (by topic id).
fn topics_for(goal: Goal) -> &'static [&'static str] {
    match goal {
        Goal::ReducePain => &["trigger_point", "neuromuscular"],
        Goal::ImproveMobility => &["stretching", "myofascial"],
        Goal::RecoverFromInjury => &["sports", "positional"],
        Goal::ReduceStress | Goal::SleepBetter => &["swedish"],
        Goal::ImprovePosture => &["muscle_testing", "myofascial"],
    }
}

/// At most this many techniques are named: the likely ones, not a catalogue.
const MAX_TECHNIQUES: usize = 4;

/// The techniques likely for these answers, in the education's order, among
/// those the clinic shows (a hidden section's topics are never named).
fn likely(facts: &Facts, learn: &LearnOverrides) -> Vec<&'static Topic> {
    let gentle = facts.prefers_light_pressure || facts.flags.contains(&FlagCode::LightPressure);
    let mut wanted: Vec<&str> = Vec::new();
    if facts.has_pain_areas {
        // Marked areas: focused work on them, gentler when pressure must be light.
        wanted.push(if gentle { "swedish" } else { "deep_tissue" });
    }
    for goal in &facts.goals {
        wanted.extend(topics_for(*goal));
    }
    if gentle {
        wanted.retain(|id| *id != "deep_tissue");
    }
    let shows = |section: &str| learn.get(section).is_none_or(|o| !o.hidden);
    let mut topics: Vec<&'static Topic> = Vec::new();
    for (section, list) in [("techniques", TECHNIQUES), ("therapies", THERAPIES)] {
        if shows(section) {
            topics.extend(list.iter().filter(|t| wanted.contains(&t.id)));
        }
    }
    topics.truncate(MAX_TECHNIQUES);
    topics
}

/// The part's text: the clinic's words, the built-in ones, or none.
fn part(catalog: &Catalog, overrides: &ExpectOverrides, msg: Msg) -> Option<String> {
    let id = PARTS.iter().find(|p| p.msg == msg).map_or("", |p| p.id);
    match overrides.get(id) {
        Some(None) => None,
        Some(Some(text)) => Some(text.clone()),
        None => Some(catalog.text(msg).to_owned()),
    }
}

/// What to expect, from `facts`, in `catalog`'s language, with the clinic's
/// education (`learn`) and wording (`overrides`). With `kiosk`, only the
/// visit's length and what happens next.
pub fn what_to_expect(
    facts: &Facts,
    catalog: &Catalog,
    learn: &LearnOverrides,
    overrides: &ExpectOverrides,
    kiosk: bool,
) -> Shown {
    let text = |msg| part(catalog, overrides, msg);
    if kiosk {
        return Shown {
            visit: text(Msg::ExpectVisit),
            first: text(Msg::ExpectKiosk),
            ..Shown::default()
        };
    }
    let first = if facts.has_prescription {
        text(Msg::ExpectPrescribed)
    } else {
        text(Msg::ExpectAssessment)
    };
    let techniques: Vec<Technique> = likely(facts, learn)
        .into_iter()
        .map(|t| Technique {
            name: catalog.text(t.name).to_owned(),
            what: catalog.text(t.what).to_owned(),
        })
        .collect();
    let techniques_intro = if techniques.is_empty() {
        None
    } else {
        text(Msg::ExpectTechniques)
    };
    let mut bring = Vec::new();
    if facts.has_prescription {
        bring.extend(text(Msg::ExpectBringPrescription));
    }
    bring.extend(facts.payer.and_then(|payer| {
        text(match payer {
            PayerKind::SelfPay => Msg::ExpectBringSelfPay,
            PayerKind::HealthInsurance => Msg::ExpectBringHealthInsurance,
            PayerKind::AutoAccident => Msg::ExpectBringAutoAccident,
            PayerKind::WorkersComp => Msg::ExpectBringWorkersComp,
        })
    }));
    let mut adapted = Vec::new();
    for code in FlagCode::ALL {
        if !facts.flags.contains(code) {
            continue;
        }
        match flag_part(*code) {
            FlagPart::Bring(msg) => bring.extend(text(msg)),
            FlagPart::Adapted(msg) => adapted.extend(text(msg)),
        }
    }
    Shown {
        visit: text(Msg::ExpectVisit),
        first,
        techniques_intro,
        techniques,
        bring,
        adapted,
    }
}

/// Where a flag shows: something to bring, or how the visit is adapted.
enum FlagPart {
    Bring(Msg),
    Adapted(Msg),
}

/// Every flag has its plain-words part (a test checks each is said).
const fn flag_part(code: FlagCode) -> FlagPart {
    match code {
        FlagCode::PhysicianClearance => FlagPart::Bring(Msg::ExpectBringPhysicianClearance),
        FlagCode::CancerClearance => FlagPart::Bring(Msg::ExpectBringCancerClearance),
        FlagCode::SurgeryClearance => FlagPart::Bring(Msg::ExpectBringSurgeryClearance),
        FlagCode::Reschedule => FlagPart::Adapted(Msg::ExpectReschedule),
        FlagCode::PrenatalPositioning => FlagPart::Adapted(Msg::ExpectPrenatalPositioning),
        FlagCode::LightPressure => FlagPart::Adapted(Msg::ExpectLightPressure),
        FlagCode::NutFreeLubricant => FlagPart::Adapted(Msg::ExpectNutFreeLubricant),
        FlagCode::LatexFreeGloves => FlagPart::Adapted(Msg::ExpectLatexFreeGloves),
        FlagCode::HypoallergenicLubricant => FlagPart::Adapted(Msg::ExpectHypoallergenicLubricant),
        FlagCode::AvoidArea => FlagPart::Adapted(Msg::ExpectAvoidArea),
        FlagCode::HealthUnknown => FlagPart::Adapted(Msg::ExpectHealthUnknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::submission::Submission;

    fn value(json: &str) -> ConfigValue {
        ConfigValue::from_json(serde_json::from_str(json).expect("json"))
    }

    fn catalogs() -> Vec<Catalog> {
        Locale::ALL
            .iter()
            .map(|l| Catalog::parse(*l, l.source()).expect("a shipped catalog"))
            .collect()
    }

    fn example() -> Submission {
        let json = include_str!("../../../docs/example-submission.json");
        Submission::from_json_value(serde_json::from_str(json).expect("json")).expect("example")
    }

    fn shown(facts: &Facts, catalog: &Catalog) -> Shown {
        what_to_expect(
            facts,
            catalog,
            &LearnOverrides::default(),
            &ExpectOverrides::default(),
            false,
        )
    }

    #[test]
    fn the_documented_example_in_every_language() {
        let s = example();
        let facts = s.expect_facts();
        for catalog in catalogs() {
            let shown = shown(&facts, &catalog);
            let visit = shown.visit.clone().expect("the visit");
            assert!(visit.contains("60") && visit.contains("50"), "{visit}");
            assert_eq!(
                shown.first.as_deref(),
                Some(catalog.text(if s.prescription.has_prescription {
                    Msg::ExpectPrescribed
                } else {
                    Msg::ExpectAssessment
                }))
            );
            assert!(!shown.techniques.is_empty(), "its goals name techniques");
            // The techniques are the clinic's own names and descriptions.
            for t in &shown.techniques {
                assert!(
                    TECHNIQUES
                        .iter()
                        .chain(THERAPIES)
                        .any(|topic| catalog.text(topic.name) == t.name
                            && catalog.text(topic.what) == t.what),
                    "{t:?}"
                );
            }
            for code in &facts.flags {
                let said = match flag_part(*code) {
                    FlagPart::Bring(m) | FlagPart::Adapted(m) => catalog.text(m),
                };
                assert!(shown.texts().contains(&said), "{code:?}");
            }
        }
    }

    #[test]
    fn every_flag_and_every_payer_is_said_in_every_language() {
        for catalog in catalogs() {
            for code in FlagCode::ALL {
                let facts = Facts {
                    flags: vec![*code],
                    ..Facts::default()
                };
                let shown = shown(&facts, &catalog);
                let said = match flag_part(*code) {
                    FlagPart::Bring(m) => {
                        assert!(shown.bring.contains(&catalog.text(m).to_owned()));
                        m
                    }
                    FlagPart::Adapted(m) => {
                        assert!(shown.adapted.contains(&catalog.text(m).to_owned()));
                        m
                    }
                };
                assert!(!catalog.text(said).is_empty(), "{code:?}");
            }
            let mut seen = std::collections::HashSet::new();
            for payer in PayerKind::ALL {
                let facts = Facts {
                    payer: Some(*payer),
                    ..Facts::default()
                };
                let shown = shown(&facts, &catalog);
                assert_eq!(shown.bring.len(), 1, "{payer:?}");
                assert!(
                    seen.insert(shown.bring[0].clone()),
                    "each payer its own words"
                );
            }
            // A prescription is brought along.
            let prescribed = shown(
                &Facts {
                    has_prescription: true,
                    ..Facts::default()
                },
                &catalog,
            );
            assert_eq!(
                prescribed.bring,
                [catalog.text(Msg::ExpectBringPrescription).to_owned()]
            );
            assert_eq!(
                prescribed.first.as_deref(),
                Some(catalog.text(Msg::ExpectPrescribed))
            );
        }
    }

    #[test]
    fn the_kiosk_version_says_nothing_of_health_flags_or_prescriptions() {
        let mut facts = example().expect_facts();
        facts.flags = FlagCode::ALL.to_vec();
        facts.has_prescription = true;
        for catalog in catalogs() {
            let kiosk = what_to_expect(
                &facts,
                &catalog,
                &LearnOverrides::default(),
                &ExpectOverrides::default(),
                true,
            );
            assert_eq!(
                kiosk.texts(),
                [
                    catalog.text(Msg::ExpectVisit),
                    catalog.text(Msg::ExpectKiosk)
                ]
            );
        }
    }

    #[test]
    fn light_pressure_never_gets_deep_tissue_and_hidden_sections_are_not_named() {
        let facts = Facts {
            has_pain_areas: true,
            goals: vec![Goal::ReducePain],
            ..Facts::default()
        };
        let en = Catalog::english();
        let names = |shown: &Shown| -> Vec<String> {
            shown.techniques.iter().map(|t| t.name.clone()).collect()
        };
        let deep = en.text(Msg::LearnDeepTissueName).to_owned();
        assert!(names(&shown(&facts, &en)).contains(&deep));
        let gentle = Facts {
            flags: vec![FlagCode::LightPressure],
            ..facts.clone()
        };
        assert!(!names(&shown(&gentle, &en)).contains(&deep));
        let light = Facts {
            prefers_light_pressure: true,
            ..facts.clone()
        };
        assert!(!names(&shown(&light, &en)).contains(&deep));
        let (learn, _) = crate::learn::parse_overrides(&value(r#"{"techniques":{"hidden":true}}"#));
        let without = what_to_expect(&facts, &en, &learn, &ExpectOverrides::default(), false);
        assert!(without
            .techniques
            .iter()
            .all(|t| TECHNIQUES.iter().all(|topic| en.text(topic.name) != t.name)));
        assert!(
            !without.techniques.is_empty(),
            "the therapies are still named"
        );
        // Nothing named: no line introducing them.
        let none = shown(&Facts::default(), &en);
        assert!(none.techniques.is_empty() && none.techniques_intro.is_none());
    }

    #[test]
    fn a_clinic_rewords_or_leaves_out_parts_and_bad_entries_are_named() {
        let (overrides, problems) = parse_overrides(&value(
            r#"{"visit":"Visits last an hour.","assessment":null,"nope":"x","reschedule":"","kiosk":5}"#,
        ));
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["expect.nope", "expect.reschedule", "expect.kiosk"]);
        let facts = Facts::default();
        let shown = what_to_expect(
            &facts,
            &Catalog::english(),
            &LearnOverrides::default(),
            &overrides,
            false,
        );
        assert_eq!(shown.visit.as_deref(), Some("Visits last an hour."));
        assert_eq!(shown.first, None);
        let (_, problems) = parse_overrides(&value("[1]"));
        assert_eq!(problems[0].0, "expect");
    }

    #[test]
    fn nothing_promises_a_result_in_any_language() {
        // Stems of words of promise, which the clinic's own content never uses.
        let banned = ["cure", "cura", "guarant", "garant", "promis", "promet"];
        let banned_words = ["heal", "heals", "healed", "healing"];
        for catalog in catalogs() {
            for part in PARTS {
                let text = catalog.text(part.msg).to_lowercase();
                for word in text.split(|c: char| !c.is_alphabetic()) {
                    assert!(
                        !banned.iter().any(|b| word.starts_with(b))
                            && !banned_words.contains(&word),
                        "{:?} {}: {word} in {text}",
                        catalog.locale(),
                        part.id
                    );
                }
            }
        }
    }

    #[test]
    fn english_lines_without_the_texts_shown_after_sending_get_them_back() {
        let full = Catalog::english();
        assert!(PARTS.iter().all(|p| !full.text(p.msg).is_empty()));
        let lean: String = Msg::ALL
            .iter()
            .map(|m| {
                let text = if m.key().starts_with("expect.") {
                    String::new()
                } else {
                    full.text(*m).replace('\n', "\u{2029}")
                };
                text + "\n"
            })
            .collect();
        assert_eq!(Catalog::from_lines(Locale::En, &lean), None, "incomplete");
        assert_eq!(Catalog::from_english_lines(&lean), Some(full.clone()));
        assert_eq!(Catalog::from_english_lines("too short\n"), None);
        let mut before = Catalog::english_before_send();
        before.add_after_send();
        assert_eq!(before, full);
    }

    #[test]
    fn every_part_has_a_distinct_name_and_text() {
        for (i, part) in PARTS.iter().enumerate() {
            assert!(PARTS[..i]
                .iter()
                .all(|p| p.id != part.id && p.msg != part.msg));
        }
    }
}
