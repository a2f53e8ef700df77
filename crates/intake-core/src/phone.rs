//! North American (NANP) phone numbers: what a patient types, checked and
//! stored as E.164 (`+14014234433`).
//!
//! ```
//! use intake_core::phone::PhoneNumber;
//! let n = PhoneNumber::parse("(401) 423-4433").unwrap();
//! assert_eq!(n.e164(), "+14014234433");
//! ```

/// Why a typed number is not a North American phone number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Letters or symbols other than spaces, `-`, `.`, `(`, `)` and a leading `+`.
    Characters,
    /// Not 10 digits (11 with a leading country code 1).
    Length,
    /// A country code other than 1.
    Country,
    /// The area code or exchange cannot exist (starts with 0 or 1, or is N11).
    Numbering,
}

/// A valid NANP number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneNumber {
    digits: [u8; 10],
}

impl PhoneNumber {
    /// Parses the ways people write a number: `401-423-4433`, `(401) 423 4433`,
    /// `+1 401 423 4433`, `1.401.423.4433`.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let input = input.trim();
        let (plus, rest) = match input.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, input),
        };
        let mut digits = Vec::with_capacity(11);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneError::Characters),
            }
        }
        let national = match (plus, digits.len()) {
            (false, 10) => &digits[..],
            (_, 11) if digits[0] == 1 => &digits[1..],
            (true, _) if digits.first() != Some(&1) => return Err(PhoneError::Country),
            _ => return Err(PhoneError::Length),
        };
        let mut out = [0u8; 10];
        out.copy_from_slice(national);
        let area_ok = out[0] >= 2 && !(out[1] == 1 && out[2] == 1) && out[1] != 9;
        let exchange_ok = out[3] >= 2 && !(out[4] == 1 && out[5] == 1);
        if !(area_ok && exchange_ok) {
            return Err(PhoneError::Numbering);
        }
        Ok(PhoneNumber { digits: out })
    }

    /// The number in E.164 form, as stored in a submission.
    pub fn e164(&self) -> String {
        let mut s = String::with_capacity(12);
        s.push_str("+1");
        s.extend(self.digits.iter().map(|d| char::from(b'0' + d)));
        s
    }

    /// The number as a person reads it: `(401) 423-4433`.
    pub fn display(&self) -> String {
        let d: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("({}) {}-{}", &d[0..3], &d[3..6], &d[6..10])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_ways_of_writing_a_number() {
        for typed in [
            "401-423-4433",
            "(401) 423-4433",
            "401.423.4433",
            "4014234433",
            "+1 401 423 4433",
            "1-401-423-4433",
            "  +14014234433 ",
        ] {
            assert_eq!(
                PhoneNumber::parse(typed).map(|n| n.e164()),
                Ok("+14014234433".into()),
                "{typed}"
            );
        }
    }

    #[test]
    fn rejects_what_cannot_be_dialled() {
        assert_eq!(PhoneNumber::parse("401-423-443"), Err(PhoneError::Length));
        assert_eq!(PhoneNumber::parse("401-423-44333"), Err(PhoneError::Length));
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Length));
        assert_eq!(PhoneNumber::parse("call me"), Err(PhoneError::Characters));
        assert_eq!(
            PhoneNumber::parse("401-423-4433 x12"),
            Err(PhoneError::Characters)
        );
        assert_eq!(
            PhoneNumber::parse("+44 20 7946 0958"),
            Err(PhoneError::Country)
        );
        assert_eq!(
            PhoneNumber::parse("101-423-4433"),
            Err(PhoneError::Numbering)
        );
        assert_eq!(
            PhoneNumber::parse("911-423-4433"),
            Err(PhoneError::Numbering)
        );
        assert_eq!(
            PhoneNumber::parse("401-123-4433"),
            Err(PhoneError::Numbering)
        );
        assert_eq!(
            PhoneNumber::parse("401-911-4433"),
            Err(PhoneError::Numbering)
        );
        assert_eq!(
            PhoneNumber::parse("491-423-4433"),
            Err(PhoneError::Numbering)
        );
    }

    #[test]
    fn displays_for_people() {
        assert_eq!(
            PhoneNumber::parse("+14014234433").map(|n| n.display()),
            Ok("(401) 423-4433".into())
        );
    }
}
