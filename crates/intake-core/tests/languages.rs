//! Every shipped language has every text, no text English lacks, and the
//! same placeholders; and it is a translation, not a copy.

use intake_core::{parts, Catalog, Locale, Msg, Part};

fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = parts(text)
        .filter_map(|p| match p {
            Part::Placeholder(name) => Some(name.to_owned()),
            Part::Text(_) => None,
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_language_parses_strictly_with_every_key() {
    let english = Catalog::english();
    for locale in Locale::ALL {
        let catalog = Catalog::parse(*locale, locale.source())
            .unwrap_or_else(|e| panic!("{}: {e}", locale.tag()));
        let mut same = 0;
        for msg in Msg::ALL {
            let text = catalog.text(*msg);
            assert!(!text.trim().is_empty(), "{} {}", locale.tag(), msg.key());
            assert_eq!(
                placeholders(text),
                placeholders(english.text(*msg)),
                "{} {}: the placeholders differ",
                locale.tag(),
                msg.key()
            );
            same += usize::from(text == english.text(*msg));
        }
        if *locale != Locale::En {
            // A few words are the same in both (No, Diabetes, Latex…).
            assert!(
                same < Msg::ALL.len() / 20,
                "{}: {same} texts are English",
                locale.tag()
            );
        }
    }
}

#[test]
fn a_missing_an_empty_or_an_unknown_key_is_refused() {
    let spanish = Locale::Es.source();
    let without: String = spanish
        .lines()
        .filter(|l| !l.starts_with("step.review ="))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        Catalog::parse(Locale::Es, &without).is_err_and(|e| e.to_string().contains("step.review"))
    );
    let empty = spanish.replace("step.review = Revisión", "step.review =");
    assert!(Catalog::parse(Locale::Es, &empty).is_err());
    let extra = format!("{spanish}\nstep.extra = Otra cosa\n");
    assert!(Catalog::parse(Locale::Es, &extra).is_err_and(|e| e.to_string().contains("step.extra")));
}

#[test]
fn browser_tags_find_their_language() {
    assert_eq!(Locale::from_tag("es-MX"), Some(Locale::Es));
    assert_eq!(Locale::from_tag("pt-BR"), Some(Locale::Pt));
    assert_eq!(Locale::from_tag("pt_PT"), Some(Locale::Pt));
    assert_eq!(Locale::from_tag("EN-us"), Some(Locale::En));
    assert_eq!(Locale::from_tag("fr"), None);
    assert_eq!(
        Catalog::builtin(Locale::Es).text(Msg::WizardNext),
        "Siguiente"
    );
    assert_eq!(
        Catalog::builtin(Locale::Pt).text(Msg::WizardNext),
        "Próximo"
    );
}

#[test]
fn the_shipped_lines_read_back_as_the_same_catalog() {
    for locale in Locale::ALL {
        let catalog = Catalog::builtin(*locale);
        let lines = catalog.to_lines();
        assert_eq!(
            Catalog::from_lines(*locale, &lines).as_ref(),
            Some(&catalog)
        );
        assert!(
            catalog.text(Msg::LearnWhatBody).contains('\n'),
            "paragraphs survive"
        );
    }
    let short: String = Catalog::builtin(Locale::Es)
        .to_lines()
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        Catalog::from_lines(Locale::Es, &short),
        None,
        "a missing text is refused"
    );
}
