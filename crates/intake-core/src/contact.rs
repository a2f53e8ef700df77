//! Email addresses and North American postal addresses.

/// A plausible email address: one `@`, a non-empty local part, and a domain
/// with a dot, no spaces. Deliverability is the clinic's mail server's job.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.as_bytes().windows(2).any(|w| w == b"..")
        && s.chars().all(|c| c.is_ascii_graphic())
}

/// US states, DC and territories, and Canadian provinces and territories.
pub const REGIONS: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU",
    "ON", "PE", "QC", "SK", "YT",
];

/// A two-letter US state/territory or Canadian province code.
pub fn is_region(s: &str) -> bool {
    REGIONS.contains(&s)
}

/// A US ZIP (`02903`, `02903-1234`) or a Canadian postal code (`K1A 0B1`).
pub fn is_postal_code(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    let zip = (b.len() == 5 && digits(b))
        || (b.len() == 10 && digits(&b[..5]) && b[5] == b'-' && digits(&b[6..]));
    let letter = |c: u8| c.is_ascii_uppercase();
    let canada = b.len() == 7
        && letter(b[0])
        && b[1].is_ascii_digit()
        && letter(b[2])
        && b[3] == b' '
        && b[4].is_ascii_digit()
        && letter(b[5])
        && b[6].is_ascii_digit();
    zip || canada
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["ana@example.org", "a.b+c@mail.example.co.uk"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "ana@.org",
            "ana @example.org",
            "a@b@c.org",
            "ana@example..org",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn regions_and_postal_codes() {
        assert!(is_region("RI") && is_region("QC") && !is_region("ZZ") && !is_region("ri"));
        for ok in ["02903", "02903-1234", "K1A 0B1"] {
            assert!(is_postal_code(ok), "{ok}");
        }
        for bad in ["2903", "029031", "02903-12", "K1A0B1", "k1a 0b1", ""] {
            assert!(!is_postal_code(bad), "{bad}");
        }
    }
}
