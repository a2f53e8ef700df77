//! Sealing, as a wasm module of its own: the widget fetches it only when the
//! clinic configured a `public_key`, so clinics that do not seal never pay
//! for the cryptography. See `intake_core::sealed` for the construction and
//! the envelope.

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(all(
    target_family = "wasm",
    not(target_feature = "atomics"),
    feature = "allocator"
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Seals `body` (of media type `content_type`) for the clinic's `public_key`
/// (base64), with `seed`: 32 fresh bytes from `crypto.getRandomValues`.
/// Returns the envelope's JSON, or an empty string when it cannot be sealed
/// (then nothing is sent in clear instead).
#[wasm_bindgen]
pub fn seal(
    body: &str,
    submission_id: &str,
    content_type: &str,
    public_key: &str,
    seed: &[u8],
) -> String {
    use intake_core::sealed::{seal, PublicKey};
    let (Some(key), Ok(seed)) = (PublicKey::parse(public_key), <[u8; 32]>::try_from(seed)) else {
        return String::new();
    };
    seal(body.as_bytes(), submission_id, content_type, &key, seed)
        .ok()
        .and_then(|envelope| envelope.to_json())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::sealed::{open, Envelope, KeyPair};

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn a_body_sealed_here_opens_with_the_clinic_s_key() {
        let keys = KeyPair::derive(&[8; 32]);
        let text = seal(
            "{\"x\":1}",
            ID,
            "application/json",
            &keys.public_key().to_base64(),
            &[1; 32],
        );
        let envelope: Envelope = serde_json::from_str(&text).expect("an envelope");
        assert_eq!(open(&envelope, &keys).as_deref(), Ok(&b"{\"x\":1}"[..]));
    }

    #[test]
    fn without_a_usable_key_or_seed_nothing_comes_out() {
        let key = KeyPair::derive(&[8; 32]).public_key().to_base64();
        assert_eq!(seal("{}", ID, "application/json", "nope", &[1; 32]), "");
        assert_eq!(seal("{}", ID, "application/json", &key, &[1; 31]), "");
        assert_eq!(
            seal("{}", "not-a-uuid", "application/json", &key, &[1; 32]),
            ""
        );
    }
}
