//! Standard base64 with padding (RFC 4648 section 4): the sealed envelope's
//! keys and ciphertext, the body map's paths in FHIR, the prescription
//! photo's size. Written here once; the `base64` crate's general engines cost
//! more bytes in the widget than these three functions.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 with padding; `None` when it is not.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (index, chunk) in bytes.chunks(4).enumerate() {
        let last = index + 1 == bytes.len() / 4;
        let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &b in &chunk[..4 - pad] {
            let v = ALPHABET.iter().position(|&c| c == b)? as u32;
            n = (n << 6) | v;
        }
        n <<= 6 * pad as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
}

/// The decoded length of standard padded base64, or `None` when it is not that.
pub fn decoded_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() % 4 != 0 {
        return None;
    }
    let padding = b.iter().rev().take_while(|c| **c == b'=').count();
    let body = &b[..b.len() - padding];
    let ok = padding <= 2
        && body
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/');
    ok.then(|| b.len() / 4 * 3 - padding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_refuses_garbage() {
        for text in ["", "M", "Ma", "Man", "M10 20 L30 40", "ünïcödé"] {
            let encoded = encode(text.as_bytes());
            assert_eq!(decode(&encoded).as_deref(), Some(text.as_bytes()), "{text}");
        }
        assert_eq!(encode(b"Man"), "TWFu");
        assert_eq!(encode(b"Ma"), "TWE=");
        for bad in ["TWE", "TW=u", "T!Fu", "TQ==TWFu"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn decoded_len_counts_bytes_and_refuses_what_is_not_base64() {
        for text in ["M", "Ma", "Man", "hello world"] {
            assert_eq!(
                decoded_len(&encode(text.as_bytes())),
                Some(text.len()),
                "{text}"
            );
        }
        for bad in ["", "TWE", "TW*u", "T===", "TQ==TWFu"] {
            assert_eq!(decoded_len(bad), None, "{bad}");
        }
    }
}
