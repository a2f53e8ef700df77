//! ICD-10-CM diagnosis codes: the shape every code must have, and a built-in
//! table of the codes physicians commonly write on massage referrals, for
//! lookup by code or by words. A well-formed code outside the table is
//! accepted: the table helps the patient, it does not limit the physician.

/// One diagnosis in the built-in table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Icd10Entry {
    pub code: &'static str,
    pub description: &'static str,
    /// Everyday words a patient might search with.
    pub keywords: &'static str,
}

macro_rules! table {
    ($( $code:literal, $description:literal, $keywords:literal; )*) => {
        /// Codes common on medical-massage prescriptions.
        pub const COMMON: &[Icd10Entry] = &[ $( Icd10Entry { code: $code, description: $description, keywords: $keywords }, )* ];
    };
}

table! {
    "M54.50", "Low back pain, unspecified", "lower back lumbago";
    "M54.59", "Other low back pain", "lower back lumbago";
    "M54.2", "Cervicalgia", "neck pain";
    "M54.6", "Pain in thoracic spine", "upper back mid back";
    "M54.12", "Radiculopathy, cervical region", "pinched nerve neck arm";
    "M54.16", "Radiculopathy, lumbar region", "pinched nerve lower back leg";
    "M54.30", "Sciatica, unspecified side", "sciatic nerve leg";
    "M54.31", "Sciatica, right side", "sciatic nerve leg";
    "M54.32", "Sciatica, left side", "sciatic nerve leg";
    "M62.830", "Muscle spasm of back", "cramp tight";
    "M62.831", "Muscle spasm of calf", "cramp tight leg";
    "M62.838", "Other muscle spasm", "cramp tight";
    "M62.81", "Muscle weakness (generalized)", "weak";
    "M79.10", "Myalgia, unspecified site", "muscle pain sore";
    "M79.12", "Myalgia of auxiliary muscles, head and neck", "muscle pain sore neck";
    "M79.18", "Myalgia, other site", "muscle pain sore";
    "M79.7", "Fibromyalgia", "widespread pain";
    "M79.601", "Pain in right arm", "arm";
    "M79.602", "Pain in left arm", "arm";
    "M79.604", "Pain in right leg", "leg";
    "M79.605", "Pain in left leg", "leg";
    "M25.511", "Pain in right shoulder", "shoulder joint";
    "M25.512", "Pain in left shoulder", "shoulder joint";
    "M25.551", "Pain in right hip", "hip joint";
    "M25.552", "Pain in left hip", "hip joint";
    "M25.561", "Pain in right knee", "knee joint";
    "M25.562", "Pain in left knee", "knee joint";
    "M25.50", "Pain in unspecified joint", "joint arthralgia";
    "M19.90", "Unspecified osteoarthritis, unspecified site", "arthritis joint";
    "M47.812", "Spondylosis without myelopathy or radiculopathy, cervical region", "arthritis neck spine";
    "M47.816", "Spondylosis without myelopathy or radiculopathy, lumbar region", "arthritis lower back spine";
    "M50.20", "Other cervical disc displacement, unspecified cervical region", "herniated slipped disc neck";
    "M51.26", "Other intervertebral disc displacement, lumbar region", "herniated slipped disc lower back";
    "M72.2", "Plantar fascial fibromatosis", "plantar fasciitis foot heel";
    "G56.00", "Carpal tunnel syndrome, unspecified upper limb", "wrist hand numbness";
    "G56.01", "Carpal tunnel syndrome, right upper limb", "wrist hand numbness";
    "G56.02", "Carpal tunnel syndrome, left upper limb", "wrist hand numbness";
    "G44.209", "Tension-type headache, unspecified, not intractable", "headache tension pain";
    "G44.219", "Episodic tension-type headache, not intractable", "headache tension pain";
    "G44.229", "Chronic tension-type headache, not intractable", "headache tension pain";
    "R51.9", "Headache, unspecified", "headache pain";
    "S13.4XXA", "Sprain of ligaments of cervical spine, initial encounter", "whiplash neck car accident";
    "S13.4XXD", "Sprain of ligaments of cervical spine, subsequent encounter", "whiplash neck car accident";
    "S16.1XXA", "Strain of muscle, fascia and tendon at neck level, initial encounter", "whiplash neck strain";
    "S16.1XXD", "Strain of muscle, fascia and tendon at neck level, subsequent encounter", "whiplash neck strain";
    "S39.012A", "Strain of muscle, fascia and tendon of lower back, initial encounter", "lower back strain pulled";
    "S39.012D", "Strain of muscle, fascia and tendon of lower back, subsequent encounter", "lower back strain pulled";
    "S33.5XXA", "Sprain of ligaments of lumbar spine, initial encounter", "lower back sprain";
    "R26.89", "Other abnormalities of gait and mobility", "walking mobility";
}

/// Normalises a typed code (`m545`, ` M54.50 `) to its written form (`M54.5`,
/// `M54.50`), or `None` when it is not shaped like an ICD-10-CM code: a letter,
/// a digit, a digit or letter, then optionally a dot and one to four digits or
/// letters (`X` is the placeholder).
pub fn normalize(input: &str) -> Option<String> {
    let compact: String = input
        .trim()
        .chars()
        .filter(|c| *c != '.')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = compact.as_bytes();
    if !(3..=7).contains(&b.len()) || input.trim().matches('.').count() > 1 {
        return None;
    }
    let ok = b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2..].iter().all(u8::is_ascii_alphanumeric);
    if !ok {
        return None;
    }
    if let Some(dot) = input.trim().find('.') {
        if dot != 3 {
            return None;
        }
    }
    Some(if b.len() == 3 {
        compact
    } else {
        format!("{}.{}", &compact[..3], &compact[3..])
    })
}

/// The table's entry for a code, if it has one.
pub fn lookup(code: &str) -> Option<&'static Icd10Entry> {
    let code = normalize(code)?;
    COMMON.iter().find(|e| e.code == code)
}

/// Entries matching what the patient typed: a code prefix (`M54`), or words
/// that each begin a word of the description or keywords (`low back`).
pub fn search(query: &str) -> Vec<&'static Icd10Entry> {
    let query = query.trim().to_ascii_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let code_prefix: String = query
        .chars()
        .filter(|c| *c != '.')
        .collect::<String>()
        .to_ascii_uppercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    COMMON
        .iter()
        .filter(|e| {
            e.code.replace('.', "").starts_with(&code_prefix)
                || words.iter().all(|w| {
                    e.description
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .chain(e.keywords.split(' '))
                        .any(|word| word.to_ascii_lowercase().starts_with(w))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_or_rejected() {
        assert_eq!(normalize("M54.50").as_deref(), Some("M54.50"));
        assert_eq!(normalize("m5450").as_deref(), Some("M54.50"));
        assert_eq!(normalize(" s134xxa ").as_deref(), Some("S13.4XXA"));
        assert_eq!(normalize("R51").as_deref(), Some("R51"));
        for bad in [
            "",
            "M5",
            "54.50",
            "MM4.50",
            "M54.50123",
            "M5.450",
            "M54..5",
            "M54-5",
            "M54.5 0",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_table_entry_is_well_formed_and_unique() {
        for (i, e) in COMMON.iter().enumerate() {
            assert_eq!(normalize(e.code).as_deref(), Some(e.code), "{}", e.code);
            assert!(!e.description.is_empty());
            assert!(
                COMMON[..i].iter().all(|o| o.code != e.code),
                "{} twice",
                e.code
            );
        }
    }

    #[test]
    fn search_finds_by_code_and_by_everyday_words() {
        let codes = |q: &str| search(q).iter().map(|e| e.code).collect::<Vec<_>>();
        assert!(codes("M54.5").contains(&"M54.50"));
        assert!(codes("m545").contains(&"M54.59"));
        assert!(codes("low back").contains(&"M54.50"));
        assert!(codes("whiplash").contains(&"S13.4XXA"));
        assert!(codes("tension head").iter().all(|c| c.starts_with('G')));
        assert!(codes("fibro").contains(&"M79.7"));
        assert!(codes("zebra").is_empty());
        assert!(codes("   ").is_empty());
    }

    #[test]
    fn a_well_formed_code_outside_the_table_is_still_a_code() {
        assert_eq!(lookup("Z99.89"), None);
        assert_eq!(normalize("Z99.89").as_deref(), Some("Z99.89"));
        assert_eq!(lookup("m79.7").map(|e| e.description), Some("Fibromyalgia"));
    }
}
