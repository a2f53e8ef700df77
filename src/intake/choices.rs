//! What the diagnosis combobox offers for a query: entries of the built-in
//! ICD-10-CM table found by code or by words (Spanish and Portuguese words
//! too), or a well-formed code outside it, as typed.

use intake_core::icd10::{normalize, search, Icd10Entry};

/// The most options the list shows at once.
const MAX_OPTIONS: usize = 8;

/// One line of the list: a table entry, or the code as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Known(&'static Icd10Entry),
    Typed(String),
}

impl Choice {
    pub fn code(&self) -> &str {
        match self {
            Choice::Known(e) => e.code,
            Choice::Typed(c) => c,
        }
    }
}

/// The patient's words in the table's English. `words` is the language's
/// list (`dolor=pain espalda=back de=`; words with accents are listed with
/// and without them): a typed word of three letters or more
/// that begins one of its words (`espal`) becomes that word's English, a
/// shorter one only when it is the whole word; a word given no English (`de`)
/// is dropped; anything else (a code, an English word) stays as typed.
pub fn in_english(query: &str, words: &str) -> String {
    query
        .split_whitespace()
        .filter_map(|typed| {
            let typed_lower = typed.to_ascii_lowercase();
            let found = words
                .split_whitespace()
                .filter_map(|pair| pair.split_once('='))
                .find(|(theirs, _)| {
                    *theirs == typed_lower
                        || (typed_lower.chars().count() >= 3 && theirs.starts_with(&typed_lower))
                });
            match found {
                Some((_, "")) => None,
                Some((_, english)) => Some(english),
                None => Some(typed),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of `code` in the patient's language, from the language's list
/// (`M54.2=Cervicalgia|…`); the clinic still receives the English one.
pub fn name_in<'a>(code: &str, names: &'a str) -> Option<&'a str> {
    names
        .split('|')
        .find_map(|pair| pair.strip_prefix(code)?.strip_prefix('='))
}

/// What the list offers for `query`: table matches, then the typed code when
/// it is well formed and not in the table.
pub fn choices(query: &str) -> Vec<Choice> {
    let mut out: Vec<Choice> = search(query)
        .into_iter()
        .take(MAX_OPTIONS)
        .map(Choice::Known)
        .collect();
    if let Some(code) = normalize(query) {
        if out.iter().all(|c| c.code() != code) {
            out.push(Choice::Typed(code));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use intake_core::Msg;

    use super::*;

    #[test]
    fn spanish_and_portuguese_words_find_the_english_entries() {
        let catalog = |tag| {
            intake_core::Catalog::builtin(intake_core::Locale::from_tag(tag).expect("locale"))
        };
        let es = catalog("es");
        let es_words = es.text(Msg::DiagnosisWords);
        assert_eq!(in_english("dolor de espalda", es_words), "pain back");
        assert_eq!(in_english("Ciática", es_words), "sciatica");
        assert_eq!(in_english("rodil", es_words), "knee");
        // The list names them in the patient's language; every entry has a name.
        let names = es.text(Msg::DiagnosisNames);
        assert_eq!(
            name_in("M54.2", names),
            Some("Cervicalgia (dolor de cuello)")
        );
        assert_eq!(name_in("M54.5", names), None, "a prefix is not a code");
        for catalog in [&es, &catalog("pt")] {
            for entry in intake_core::icd10::COMMON {
                assert!(
                    name_in(entry.code, catalog.text(Msg::DiagnosisNames)).is_some(),
                    "{} in {:?}",
                    entry.code,
                    catalog.locale()
                );
            }
        }
        assert_eq!(
            name_in(
                "M54.2",
                intake_core::Catalog::english().text(Msg::DiagnosisNames)
            ),
            None,
            "English keeps the table's own"
        );
        let headache = choices(&in_english("dolor de cabeza", es_words));
        assert!(headache.iter().any(|c| c.code() == "R51.9"), "{headache:?}");
        let low_back = choices(&in_english("dolor de espalda", es_words));
        assert!(
            low_back.iter().any(|c| c.code() == "M54.50"),
            "{low_back:?}"
        );
        let pt = catalog("pt");
        let pt_words = pt.text(Msg::DiagnosisWords);
        let neck = choices(&in_english("dor no pescoço", pt_words));
        assert!(neck.iter().any(|c| c.code() == "M54.2"), "{neck:?}");
        assert!(!choices(&in_english("ombro", pt_words)).is_empty());
        // Codes and English words pass through.
        assert_eq!(in_english("M54.5 back", es_words), "M54.5 back");
        // Every word of every language leads somewhere in the table.
        for catalog in [es, pt] {
            for pair in catalog.text(Msg::DiagnosisWords).split_whitespace() {
                let (theirs, english) = pair.split_once('=').expect(pair);
                if !english.is_empty() {
                    assert!(!choices(english).is_empty(), "{theirs}={english}");
                }
            }
        }
    }

    #[test]
    fn words_and_codes_find_entries_and_a_new_code_can_be_used() {
        let by_words = choices("low back");
        assert!(by_words.iter().any(|c| c.code() == "M54.50"));
        assert!(by_words.iter().all(|c| matches!(c, Choice::Known(_))));
        let by_code = choices("m54.5");
        assert_eq!(by_code.first().map(Choice::code), Some("M54.50"));
        let typed = choices("S83.241A");
        assert_eq!(typed.last(), Some(&Choice::Typed("S83.241A".into())));
        assert!(choices("hello there").is_empty());
        assert!(choices("m").len() <= MAX_OPTIONS + 1);
    }
}
