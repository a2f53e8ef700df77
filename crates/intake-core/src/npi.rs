//! National Provider Identifier: 10 digits starting with 1 or 2, the last a
//! Luhn check digit computed over "80840" followed by the first nine digits.

/// Why a number is not an NPI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NpiError {
    /// Not exactly ten digits.
    Length,
    /// Does not start with 1 or 2.
    Prefix,
    /// The check digit does not match.
    CheckDigit,
}

/// Checks an NPI as typed (spaces and dashes allowed) and returns its ten digits.
pub fn parse_npi(input: &str) -> Result<String, NpiError> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NpiError::Length);
    }
    if !digits.starts_with(['1', '2']) {
        return Err(NpiError::Prefix);
    }
    let body: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    if check_digit(&body[..9]) != body[9] {
        return Err(NpiError::CheckDigit);
    }
    Ok(digits)
}

/// The Luhn check digit for nine NPI digits, with the "80840" prefix.
pub fn check_digit(first_nine: &[u32]) -> u32 {
    let mut sum = 24; // the prefix 80840 contributes 24 under Luhn doubling
    for (i, d) in first_nine.iter().rev().enumerate() {
        sum += if i % 2 == 0 {
            let twice = d * 2;
            if twice > 9 {
                twice - 9
            } else {
                twice
            }
        } else {
            *d
        };
    }
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_cms_example_is_valid_and_its_neighbour_is_not() {
        assert_eq!(parse_npi("1234567893"), Ok("1234567893".into()));
        assert_eq!(parse_npi("123 456 7893"), Ok("1234567893".into()));
        assert_eq!(parse_npi("1234567890"), Err(NpiError::CheckDigit));
        assert_eq!(parse_npi("123456789"), Err(NpiError::Length));
        assert_eq!(parse_npi("12345678931"), Err(NpiError::Length));
        assert_eq!(parse_npi("12345a7893"), Err(NpiError::Length));
        assert_eq!(parse_npi("3234567893"), Err(NpiError::Prefix));
    }

    fn valid_npi() -> impl Strategy<Value = String> {
        (1u32..=2, proptest::collection::vec(0u32..10, 8)).prop_map(|(first, rest)| {
            let mut nine = vec![first];
            nine.extend(rest);
            let check = check_digit(&nine);
            nine.iter()
                .chain([check].iter())
                .map(|d| char::from(b'0' + *d as u8))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn every_generated_npi_passes(npi in valid_npi()) {
            prop_assert_eq!(parse_npi(&npi), Ok(npi.clone()));
        }

        #[test]
        fn every_single_digit_change_fails(npi in valid_npi(), position in 0usize..10, bump in 1u8..10) {
            let mut bytes = npi.into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + bump) % 10;
            let changed = String::from_utf8(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(parse_npi(&changed).is_err(), "{} passed", changed);
        }
    }
}
