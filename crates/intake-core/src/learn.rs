//! The education content: what medical massage is, the techniques and
//! therapies, the benefits, and how to choose a therapist.
//!
//! The content is data: its structure lives here, its words in the locale
//! tables (so every language has every entry, checked by the catalog), and a
//! clinic can hide or reword any section with the `learn` option of
//! `intake.config.json`. An override that does not fit is reported, naming the
//! field, and that section keeps its built-in text.
//!
//! ```
//! use intake_core::learn::{resolve, SECTIONS};
//! use intake_core::Catalog;
//! let en = Catalog::english();
//! let shown = resolve(&en, &Default::default(), "the clinic");
//! assert_eq!(shown.len(), SECTIONS.len());
//! assert_eq!(shown[0].title, "What is medical massage?");
//! ```

use crate::i18n::{fill, Catalog, Msg};
use crate::value::ConfigValue;

/// One technique or therapy, shown as a card with an illustration.
#[derive(Debug, PartialEq, Eq)]
pub struct Topic {
    /// Stable name, used in element ids.
    pub id: &'static str,
    pub name: Msg,
    /// What it is, always shown.
    pub what: Msg,
    /// What it feels like, behind the card's disclosure.
    pub feels: Msg,
    /// Who it tends to help, behind the card's disclosure.
    pub helps: Msg,
    /// The illustration: SVG path data on a 24×24 grid, drawn as a 2-unit
    /// stroke in the text colour (so it follows the theme and high contrast).
    pub icon: &'static str,
}

/// One section of the education view.
#[derive(Debug, PartialEq, Eq)]
pub struct Section {
    /// Stable name: the key of its override and part of its element ids.
    pub id: &'static str,
    pub title: Msg,
    /// Paragraphs, separated by `\n` in the text.
    pub body: Msg,
    /// A bulleted list after the body.
    pub points: &'static [Msg],
    /// Technique or therapy cards after the body.
    pub topics: &'static [Topic],
    /// A closing remark.
    pub note: Option<Msg>,
}

/// The three technique families of the clinic's page.
pub const TECHNIQUES: &[Topic] = &[
    Topic {
        id: "swedish",
        name: Msg::LearnSwedishName,
        what: Msg::LearnSwedishWhat,
        feels: Msg::LearnSwedishFeels,
        helps: Msg::LearnSwedishHelps,
        // Two long gliding strokes.
        icon: "M3 9c3-3 6 3 9 0s6 3 9 0M3 15c3-3 6 3 9 0s6 3 9 0",
    },
    Topic {
        id: "sports",
        name: Msg::LearnSportsName,
        what: Msg::LearnSportsWhat,
        feels: Msg::LearnSportsFeels,
        helps: Msg::LearnSportsHelps,
        // A stopwatch.
        icon: "M12 21a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM12 10v4l2 2M10 3h4M12 3v4",
    },
    Topic {
        id: "deep_tissue",
        name: Msg::LearnDeepTissueName,
        what: Msg::LearnDeepTissueWhat,
        feels: Msg::LearnDeepTissueFeels,
        helps: Msg::LearnDeepTissueHelps,
        // Pressure pressing into a layer of tissue.
        icon: "M12 3v9M8 8l4 4 4-4M3 17c3 0 5 3 9 3s6-3 9-3",
    },
];

/// The six therapies of the clinic's page.
pub const THERAPIES: &[Topic] = &[
    Topic {
        id: "muscle_testing",
        name: Msg::LearnMuscleTestingName,
        what: Msg::LearnMuscleTestingWhat,
        feels: Msg::LearnMuscleTestingFeels,
        helps: Msg::LearnMuscleTestingHelps,
        // Pushing against resistance.
        icon: "M3 12h11M10 8l4 4-4 4M19 4v16",
    },
    Topic {
        id: "stretching",
        name: Msg::LearnStretchingName,
        what: Msg::LearnStretchingWhat,
        feels: Msg::LearnStretchingFeels,
        helps: Msg::LearnStretchingHelps,
        // Lengthening both ways.
        icon: "M3 12h18M7 8l-4 4 4 4M17 8l4 4-4 4",
    },
    Topic {
        id: "trigger_point",
        name: Msg::LearnTriggerPointName,
        what: Msg::LearnTriggerPointWhat,
        feels: Msg::LearnTriggerPointFeels,
        helps: Msg::LearnTriggerPointHelps,
        // A target: one point, and what spreads from it.
        icon: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM12 12h.01",
    },
    Topic {
        id: "myofascial",
        name: Msg::LearnMyofascialName,
        what: Msg::LearnMyofascialWhat,
        feels: Msg::LearnMyofascialFeels,
        helps: Msg::LearnMyofascialHelps,
        // Layers of tissue.
        icon: "M12 3l9 4-9 4-9-4zM3 12l9 4 9-4M3 17l9 4 9-4",
    },
    Topic {
        id: "positional",
        name: Msg::LearnPositionalName,
        what: Msg::LearnPositionalWhat,
        feels: Msg::LearnPositionalFeels,
        helps: Msg::LearnPositionalHelps,
        // Resting, supported on the table.
        icon: "M3 18h18M5 18v-3h14v3M7 12a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM11 12h8",
    },
    Topic {
        id: "neuromuscular",
        name: Msg::LearnNeuromuscularName,
        what: Msg::LearnNeuromuscularWhat,
        feels: Msg::LearnNeuromuscularFeels,
        helps: Msg::LearnNeuromuscularHelps,
        // A nerve branching into muscle.
        icon: "M12 3v18M12 9l-6 5v6M12 9l6 5v6",
    },
];

/// The ten benefits of the clinic's page.
pub const BENEFITS: &[Msg] = &[
    Msg::LearnBenefitsPointIschemia,
    Msg::LearnBenefitsPointNerves,
    Msg::LearnBenefitsPointTriggerPoints,
    Msg::LearnBenefitsPointPain,
    Msg::LearnBenefitsPointCirculation,
    Msg::LearnBenefitsPointDigestion,
    Msg::LearnBenefitsPointFlexibility,
    Msg::LearnBenefitsPointCalm,
    Msg::LearnBenefitsPointPosture,
    Msg::LearnBenefitsPointPrevention,
];

/// Every section, in reading order.
pub const SECTIONS: &[Section] = &[
    Section {
        id: "what",
        title: Msg::LearnWhatTitle,
        body: Msg::LearnWhatBody,
        points: &[],
        topics: &[],
        note: None,
    },
    Section {
        id: "prescription",
        title: Msg::LearnPrescriptionTitle,
        body: Msg::LearnPrescriptionBody,
        points: &[
            Msg::LearnPrescriptionPointDiagnosis,
            Msg::LearnPrescriptionPointFrequency,
            Msg::LearnPrescriptionPointPrescriber,
            Msg::LearnPrescriptionPointDate,
        ],
        topics: &[],
        note: Some(Msg::LearnPrescriptionNote),
    },
    Section {
        id: "complement",
        title: Msg::LearnComplementTitle,
        body: Msg::LearnComplementBody,
        points: &[],
        topics: &[],
        note: None,
    },
    Section {
        id: "session",
        title: Msg::LearnSessionTitle,
        body: Msg::LearnSessionBody,
        points: &[],
        topics: &[],
        note: None,
    },
    Section {
        id: "techniques",
        title: Msg::LearnTechniquesTitle,
        body: Msg::LearnTechniquesBody,
        points: &[],
        topics: TECHNIQUES,
        note: None,
    },
    Section {
        id: "therapies",
        title: Msg::LearnTherapiesTitle,
        body: Msg::LearnTherapiesBody,
        points: &[],
        topics: THERAPIES,
        note: None,
    },
    Section {
        id: "benefits",
        title: Msg::LearnBenefitsTitle,
        body: Msg::LearnBenefitsBody,
        points: BENEFITS,
        topics: &[],
        note: Some(Msg::LearnBenefitsNote),
    },
    Section {
        id: "choosing",
        title: Msg::LearnChoosingTitle,
        body: Msg::LearnChoosingBody,
        points: &[
            Msg::LearnChoosingPointTrained,
            Msg::LearnChoosingPointHygiene,
            Msg::LearnChoosingPointUnderstands,
            Msg::LearnChoosingPointConcerns,
        ],
        topics: &[],
        note: None,
    },
];

impl Section {
    /// Every text this section shows, for completeness checks.
    pub fn messages(&self) -> impl Iterator<Item = Msg> + '_ {
        [self.title, self.body]
            .into_iter()
            .chain(self.points.iter().copied())
            .chain(self.note)
            .chain(
                self.topics
                    .iter()
                    .flat_map(|t| [t.name, t.what, t.feels, t.helps]),
            )
    }
}

/// The longest override title, in characters.
pub const MAX_TITLE: usize = 120;
/// The longest override body or note, in characters.
pub const MAX_BODY: usize = 2000;
/// The longest override list item, in characters.
pub const MAX_POINT: usize = 300;
/// The most items an override list may have.
pub const MAX_POINTS: usize = 12;

/// A clinic's changes to one section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionOverride {
    pub hidden: bool,
    pub title: Option<String>,
    /// Paragraphs, separated by line breaks.
    pub body: Option<String>,
    pub points: Option<Vec<String>>,
    pub note: Option<String>,
}

/// The clinic's changes, by section id; sections not named keep their text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnOverrides(pub Vec<(&'static str, SectionOverride)>);

impl LearnOverrides {
    /// The change to section `id`, if the clinic made one.
    pub fn get(&self, id: &str) -> Option<&SectionOverride> {
        self.0.iter().find(|(i, _)| *i == id).map(|(_, o)| o)
    }
}

/// Why part of the `learn` option was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentProblem {
    /// `learn.<id>` where no section has that id.
    UnknownSection,
    /// A field a section override does not have.
    UnknownField,
    /// `learn` or `learn.<id>` is not an object.
    NotObject,
    /// `hidden` is not `true` or `false`.
    NotBool,
    /// Empty, blank or longer than `max` characters.
    BadText { max: usize },
    /// Not a list of 1 to `max` good texts.
    BadList { max: usize },
    /// `expect.<id>` where "what to expect" has no such part; the parts it has.
    UnknownExpectPart { parts: String },
}

impl ContentProblem {
    /// The message naming `field`, with its arguments.
    pub fn message(&self, field: &str) -> (Msg, Vec<(&'static str, String)>) {
        let field = ("field", field.to_owned());
        match self {
            ContentProblem::UnknownSection => {
                let ids: Vec<&str> = SECTIONS.iter().map(|s| s.id).collect();
                (
                    Msg::ConfigLearnUnknownSection,
                    vec![field, ("sections", ids.join(", "))],
                )
            }
            ContentProblem::UnknownField => (Msg::ConfigLearnUnknownField, vec![field]),
            ContentProblem::NotObject => (Msg::ConfigLearnNotObject, vec![field]),
            ContentProblem::NotBool => (Msg::ConfigLearnNotBool, vec![field]),
            ContentProblem::BadText { max } => (
                Msg::ConfigLearnBadText,
                vec![field, ("max", max.to_string())],
            ),
            ContentProblem::BadList { max } => (
                Msg::ConfigLearnBadList,
                vec![field, ("max", max.to_string())],
            ),
            ContentProblem::UnknownExpectPart { parts } => (
                Msg::ConfigExpectUnknownPart,
                vec![field, ("parts", parts.clone())],
            ),
        }
    }
}

/// Reads the `learn` option. Each section's override is taken whole or not at
/// all: one bad field reports a problem naming it (`learn.session.title`) and
/// that section keeps its built-in text; the other sections are unaffected.
/// Returns the overrides taken and each problem with the field it names.
pub fn parse_overrides(value: &ConfigValue) -> (LearnOverrides, Vec<(String, ContentProblem)>) {
    let mut problems = Vec::new();
    let mut report = |field: String, problem: ContentProblem| problems.push((field, problem));
    let ConfigValue::Object(entries) = value else {
        report("learn".to_owned(), ContentProblem::NotObject);
        return (LearnOverrides::default(), problems);
    };
    let mut overrides = Vec::new();
    for (id, value) in entries {
        let Some(section) = SECTIONS.iter().find(|s| s.id == id) else {
            report(format!("learn.{id}"), ContentProblem::UnknownSection);
            continue;
        };
        match parse_section(value) {
            Ok(o) => overrides.push((section.id, o)),
            Err((field, problem)) => report(
                if field.is_empty() {
                    format!("learn.{id}")
                } else {
                    format!("learn.{id}.{field}")
                },
                problem,
            ),
        }
    }
    (LearnOverrides(overrides), problems)
}

fn parse_section(value: &ConfigValue) -> Result<SectionOverride, (String, ContentProblem)> {
    let ConfigValue::Object(fields) = value else {
        return Err((String::new(), ContentProblem::NotObject));
    };
    let mut o = SectionOverride::default();
    for (name, value) in fields {
        let fail = |problem| (name.clone(), problem);
        match name.as_str() {
            "hidden" => match value {
                ConfigValue::Bool(b) => o.hidden = *b,
                _ => return Err(fail(ContentProblem::NotBool)),
            },
            "title" => o.title = Some(text(value, MAX_TITLE).map_err(fail)?),
            "body" => o.body = Some(text(value, MAX_BODY).map_err(fail)?),
            "note" => o.note = Some(text(value, MAX_BODY).map_err(fail)?),
            "points" => {
                let bad = || fail(ContentProblem::BadList { max: MAX_POINTS });
                let ConfigValue::List(items) = value else {
                    return Err(bad());
                };
                if items.is_empty() || items.len() > MAX_POINTS {
                    return Err(bad());
                }
                let points = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| text(item, MAX_POINT).map_err(|p| (format!("{name}[{i}]"), p)))
                    .collect::<Result<Vec<_>, _>>()?;
                o.points = Some(points);
            }
            _ => return Err(fail(ContentProblem::UnknownField)),
        }
    }
    Ok(o)
}

fn text(value: &ConfigValue, max: usize) -> Result<String, ContentProblem> {
    match value {
        ConfigValue::Text(t) if !t.trim().is_empty() && t.trim().chars().count() <= max => {
            Ok(t.trim().to_owned())
        }
        _ => Err(ContentProblem::BadText { max }),
    }
}

/// A section as it is shown: the clinic's words where it gave some, the
/// catalog's otherwise, with `{clinic}` filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub id: &'static str,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub points: Vec<String>,
    pub topics: &'static [Topic],
    pub note: Option<String>,
}

/// The sections to show, in order, without the hidden ones. `clinic` fills
/// the `{clinic}` placeholder of any text that has one.
pub fn resolve(catalog: &Catalog, overrides: &LearnOverrides, clinic: &str) -> Vec<Shown> {
    let args = [("clinic", clinic)];
    let text = |own: &Option<String>, msg: Msg| match own {
        Some(t) => fill(t, &args),
        None => catalog.format(msg, &args),
    };
    let none = SectionOverride::default();
    SECTIONS
        .iter()
        .filter_map(|s| {
            let o = overrides.get(s.id).unwrap_or(&none);
            if o.hidden {
                return None;
            }
            let body = text(&o.body, s.body);
            let points = match &o.points {
                Some(own) => own.iter().map(|p| fill(p, &args)).collect(),
                None => s.points.iter().map(|m| catalog.format(*m, &args)).collect(),
            };
            Some(Shown {
                id: s.id,
                title: text(&o.title, s.title),
                paragraphs: body
                    .split('\n')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                points,
                topics: s.topics,
                note: match (&o.note, s.note) {
                    (None, None) => None,
                    (own, Some(m)) => Some(text(own, m)),
                    (Some(own), None) => Some(fill(own, &args)),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{parse_file, ConfigProblem};
    use crate::i18n::{CatalogError, Locale};

    fn overrides(json: &str) -> (LearnOverrides, Vec<ConfigProblem>) {
        let file = format!(r#"{{"learn": {json}}}"#);
        let entries = parse_file(&file).expect("test JSON");
        let (o, problems) = parse_overrides(&entries[0].1);
        let problems = problems
            .into_iter()
            .map(|(field, problem)| ConfigProblem::BadContent { field, problem })
            .collect();
        (o, problems)
    }

    fn english_of(msg: Msg) -> String {
        Catalog::english().text(msg).to_lowercase()
    }

    #[test]
    fn every_technique_from_the_clinic_page_is_present() {
        let source = [
            ("swedish", "swedish"),
            ("sports", "sports"),
            ("deep_tissue", "deep tissue"),
        ];
        assert_eq!(TECHNIQUES.len(), source.len());
        for ((id, words), topic) in source.iter().zip(TECHNIQUES) {
            assert_eq!(topic.id, *id);
            assert!(english_of(topic.name).contains(words), "{id}");
        }
        assert!(english_of(TECHNIQUES[2].name).contains("trigger point"));
    }

    #[test]
    fn every_therapy_from_the_clinic_page_is_present() {
        let source = [
            "muscle testing",
            "rehabilitative stretching",
            "trigger point therapy",
            "myofascial release",
            "positional release",
            "neuromuscular therapy",
        ];
        let names: Vec<String> = THERAPIES.iter().map(|t| english_of(t.name)).collect();
        assert_eq!(names, source);
    }

    #[test]
    fn every_benefit_from_the_clinic_page_is_present() {
        // The clinic's ten benefits, each by words its text must carry.
        let source: [&[&str]; 10] = [
            &["ischemia", "blood"],
            &["nerve", "trapped"],
            &["trigger point", "myofascial"],
            &["pain", "swelling"],
            &["blood flow", "stress"],
            &["digestion"],
            &["flexibility", "range of motion"],
            &["nervous system"],
            &["coordination", "posture"],
            &["chronic", "pain"],
        ];
        assert_eq!(BENEFITS.len(), source.len());
        for (words, msg) in source.iter().zip(BENEFITS) {
            let text = english_of(*msg);
            for w in *words {
                assert!(text.contains(w), "{w:?} missing from {text:?}");
            }
        }
    }

    #[test]
    fn the_facts_the_clinic_states_are_in_the_sections() {
        let all = |id: &str| -> String {
            let s = SECTIONS.iter().find(|s| s.id == id).expect("section");
            s.messages().map(english_of).collect::<Vec<_>>().join(" ")
        };
        assert!(all("session").contains("60 minutes") && all("session").contains("50 minutes"));
        assert!(all("session").contains("shorter or longer"));
        assert!(all("prescription").contains("do not diagnose"));
        assert!(all("prescription").contains("without one"));
        assert!(all("prescription").contains("npi"));
        assert!(all("complement").contains("tell your doctor"));
        assert!(all("complement").contains("primary-care team"));
        assert!(all("choosing").contains("clean") && all("choosing").contains("trained"));
        let disclaimer = english_of(Msg::LearnDisclaimer);
        assert!(disclaimer.contains("does not replace a diagnosis"));
        // Modest claims: nothing promises a cure.
        for s in SECTIONS {
            for m in s.messages() {
                let t = english_of(m);
                assert!(!t.contains("will cure") && !t.contains("guarantee"), "{t}");
            }
        }
        assert!(english_of(Msg::LearnBenefitsNote).contains("promise a cure"));
    }

    /// Syllables of an English word, by the usual vowel-group estimate.
    fn syllables(word: &str) -> usize {
        let w: String = word
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_lowercase();
        if w.len() <= 3 {
            return 1;
        }
        let mut w = w.as_str();
        for ending in ["es", "ed", "e"] {
            if let Some(stem) = w.strip_suffix(ending) {
                if !stem.ends_with(['a', 'e', 'i', 'o', 'u', 'y', 'l']) {
                    w = stem;
                    break;
                }
            }
        }
        let vowel = |c: char| "aeiouy".contains(c);
        let mut groups = 0;
        let mut previous = false;
        for c in w.chars() {
            let v = vowel(c);
            if v && !previous {
                groups += 1;
            }
            previous = v;
        }
        groups.max(1)
    }

    /// The Flesch-Kincaid grade of `texts`, each one or more sentences.
    fn grade(texts: &[String]) -> f64 {
        let (mut sentences, mut words, mut syl) = (0usize, 0usize, 0usize);
        for t in texts {
            sentences += t
                .split_terminator(['.', '!', '?', ':'])
                .filter(|s| !s.trim().is_empty())
                .count()
                .max(1);
            for w in t
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
            {
                words += 1;
                syl += syllables(w);
            }
        }
        0.39 * words as f64 / sentences as f64 + 11.8 * syl as f64 / words as f64 - 15.59
    }

    #[test]
    fn the_education_reads_at_about_an_eighth_grade_level() {
        assert_eq!(syllables("massage"), 2);
        assert_eq!(syllables("therapist"), 3);
        assert_eq!(syllables("rehabilitative"), 6);
        let hard = vec![
            "Neuromuscular rehabilitative interventions facilitate proprioceptive reintegration."
                .to_owned(),
        ];
        assert!(grade(&hard) > 12.0, "the measure can fail");
        let en = Catalog::english();
        let all: Vec<String> = SECTIONS
            .iter()
            .flat_map(Section::messages)
            .map(|m| en.text(m).replace('\n', " "))
            .collect();
        let overall = grade(&all);
        eprintln!("the education reads at Flesch-Kincaid grade {overall:.1}");
        assert!(overall <= 8.5, "grade {overall:.1}");
        for s in SECTIONS {
            let texts: Vec<String> = s.messages().map(|m| en.text(m).to_owned()).collect();
            let g = grade(&texts);
            eprintln!("  {}: {g:.1}", s.id);
            assert!(g <= 10.0, "section {} reads at grade {g:.1}", s.id);
        }
    }

    #[test]
    fn ids_are_unique_and_every_topic_has_an_icon() {
        let mut ids: Vec<&str> = SECTIONS.iter().map(|s| s.id).collect();
        ids.extend(TECHNIQUES.iter().chain(THERAPIES).map(|t| t.id));
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate id");
        for t in TECHNIQUES.iter().chain(THERAPIES) {
            assert!(t.icon.starts_with('M'), "{}", t.id);
            assert!(
                t.icon
                    .bytes()
                    .all(|b| b" MmLlHhVvCcSsAaZz.-0123456789".contains(&b)),
                "{}: only path commands and numbers",
                t.id
            );
        }
        let icons: Vec<&str> = TECHNIQUES.iter().chain(THERAPIES).map(|t| t.icon).collect();
        for (i, a) in icons.iter().enumerate() {
            assert!(!icons[i + 1..].contains(a), "two topics share an icon");
        }
    }

    #[test]
    fn every_content_entry_has_text_in_every_shipped_language() {
        for locale in Locale::ALL {
            let catalog = Catalog::parse(*locale, locale.source()).expect("shipped table");
            for s in SECTIONS {
                for m in s.messages() {
                    assert!(!catalog.text(m).trim().is_empty(), "{}", m.key());
                }
            }
        }
    }

    #[test]
    fn a_table_missing_a_content_entry_is_rejected_naming_it() {
        for s in SECTIONS {
            for m in s.messages() {
                let key = m.key();
                let without: String = Locale::En
                    .source()
                    .lines()
                    .filter(|l| l.split('=').next().map(str::trim) != Some(key))
                    .collect::<Vec<_>>()
                    .join("\n");
                match Catalog::parse(Locale::En, &without) {
                    Err(CatalogError::Missing { keys }) => assert_eq!(keys, vec![key]),
                    other => panic!("{key}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn the_default_content_shows_every_section_in_order() {
        let en = Catalog::english();
        let shown = resolve(&en, &LearnOverrides::default(), "Harbor Clinic");
        let ids: Vec<&str> = shown.iter().map(|s| s.id).collect();
        let all: Vec<&str> = SECTIONS.iter().map(|s| s.id).collect();
        assert_eq!(ids, all);
        assert_eq!(
            shown[0].paragraphs.len(),
            2,
            "the body's \\n makes paragraphs"
        );
        let benefits = shown.iter().find(|s| s.id == "benefits").expect("benefits");
        assert_eq!(benefits.points.len(), 10);
    }

    #[test]
    fn a_clinic_can_hide_and_reword_sections() {
        let (o, problems) = overrides(
            r#"{"choosing": {"hidden": true},
                "session": {"title": "Your visit at {clinic}", "body": "Visits last 45 minutes.\n\nBring loose clothes.",
                            "points": ["Arrive 10 minutes early"], "note": "Parking is free."}}"#,
        );
        assert_eq!(problems, vec![]);
        let en = Catalog::english();
        let shown = resolve(&en, &o, "Harbor Clinic");
        assert!(shown.iter().all(|s| s.id != "choosing"));
        assert_eq!(shown.len(), SECTIONS.len() - 1);
        let session = shown.iter().find(|s| s.id == "session").expect("session");
        assert_eq!(session.title, "Your visit at Harbor Clinic");
        assert_eq!(
            session.paragraphs,
            vec!["Visits last 45 minutes.", "Bring loose clothes."]
        );
        assert_eq!(session.points, vec!["Arrive 10 minutes early"]);
        assert_eq!(session.note.as_deref(), Some("Parking is free."));
        // Sections not named keep the built-in text.
        let what = shown.iter().find(|s| s.id == "what").expect("what");
        assert_eq!(what.title, en.text(Msg::LearnWhatTitle));
    }

    #[test]
    fn a_malformed_override_is_refused_naming_the_bad_field_and_the_default_kept() {
        let cases: &[(&str, &str, ContentProblem)] = &[
            (
                r#"{"session": {"title": 42}}"#,
                "learn.session.title",
                ContentProblem::BadText { max: MAX_TITLE },
            ),
            (
                r#"{"session": {"title": "   "}}"#,
                "learn.session.title",
                ContentProblem::BadText { max: MAX_TITLE },
            ),
            (
                r#"{"session": {"hidden": "yes"}}"#,
                "learn.session.hidden",
                ContentProblem::NotBool,
            ),
            (
                r#"{"session": {"titel": "Visits"}}"#,
                "learn.session.titel",
                ContentProblem::UnknownField,
            ),
            (
                r#"{"session": {"points": ["ok", 3]}}"#,
                "learn.session.points[1]",
                ContentProblem::BadText { max: MAX_POINT },
            ),
            (
                r#"{"session": {"points": []}}"#,
                "learn.session.points",
                ContentProblem::BadList { max: MAX_POINTS },
            ),
            (
                r#"{"session": "hide"}"#,
                "learn.session",
                ContentProblem::NotObject,
            ),
            (
                r#"{"sesion": {"hidden": true}}"#,
                "learn.sesion",
                ContentProblem::UnknownSection,
            ),
            (r#"["what"]"#, "learn", ContentProblem::NotObject),
        ];
        let en = Catalog::english();
        for (json, field, problem) in cases {
            let (o, problems) = overrides(json);
            assert_eq!(
                problems,
                vec![ConfigProblem::BadContent {
                    field: (*field).to_owned(),
                    problem: problem.clone()
                }],
                "{json}"
            );
            // The message names the field.
            let (msg, args) = problems[0].message();
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let text = en.format(msg, &args);
            assert!(text.contains(field) && !text.contains('{'), "{text}");
            // The section keeps its built-in text: nothing was taken.
            assert_eq!(o.get("session"), None, "{json}");
            let shown = resolve(&en, &o, "the clinic");
            let session = shown.iter().find(|s| s.id == "session").expect("shown");
            assert_eq!(session.title, en.text(Msg::LearnSessionTitle));
        }
        // A long title names its limit.
        let long = format!(
            r#"{{"what": {{"title": "{}"}}}}"#,
            "x".repeat(MAX_TITLE + 1)
        );
        let (_, problems) = overrides(&long);
        let (msg, args) = problems[0].message();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(en.format(msg, &args).contains("1 to 120 characters"));
    }

    #[test]
    fn one_bad_section_does_not_spoil_the_others() {
        let (o, problems) =
            overrides(r#"{"what": {"title": "About us"}, "session": {"title": 1}}"#);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            o.get("what").and_then(|s| s.title.as_deref()),
            Some("About us")
        );
    }
}
