//! Sealed submissions: a submission encrypted in the browser to the clinic's
//! public key, so nothing between the patient's screen and the clinic's own
//! decryption step (the tablet's outbox, the network, the receiver's
//! database) holds it in clear text.
//!
//! The construction is HPKE (RFC 9180) in base mode with DHKEM(X25519,
//! HKDF-SHA256), HKDF-SHA256 and ChaCha20-Poly1305, from the `hpke` crate.
//! The envelope (`massage-intake-sealed/1`):
//!
//! ```json
//! {
//!   "schema": "massage-intake-sealed/1",
//!   "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
//!   "key_id": "k-3f0c8a1b2d4e6f70",
//!   "suite": "DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/ChaCha20-Poly1305",
//!   "content_type": "application/json",
//!   "enc": "<base64: the 32-byte encapsulated key>",
//!   "ciphertext": "<base64: the sealed body and its 16-byte tag>"
//! }
//! ```
//!
//! The HPKE `info` is the envelope schema; the associated data binds the
//! schema, the submission id, the key id and the content type, so none of
//! them can be changed without the opening failing. The key id is the first
//! 8 bytes of SHA-256 of the public key, in hex.
//!
//! ```
//! use intake_core::sealed::{open, seal, KeyPair};
//! let keys = KeyPair::derive(&[7; 32]);
//! let envelope = seal(b"{}", "0f8fad5b-d9cb-469f-a165-70867728950e", "application/json",
//!                     &keys.public_key(), [9; 32]).unwrap();
//! assert_eq!(open(&envelope, &keys).unwrap(), b"{}");
//! ```

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use rand_chacha::rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::base64;

/// The envelope's schema, also the HPKE `info`.
pub const SEALED_SCHEMA: &str = "massage-intake-sealed/1";
/// The HPKE suite, as written in the envelope.
pub const SUITE: &str = "DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/ChaCha20-Poly1305";
/// The media type of an envelope.
pub use crate::config::SEALED_CONTENT_TYPE;

type Kem = X25519HkdfSha256;

/// A sealed submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub schema: String,
    pub submission_id: String,
    pub key_id: String,
    pub suite: String,
    /// The media type of the sealed body (`application/json` or
    /// `application/fhir+json`).
    pub content_type: String,
    /// Base64 of the encapsulated key.
    pub enc: String,
    /// Base64 of the ciphertext with its tag.
    pub ciphertext: String,
}

/// The clinic's public key, as configured in the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    key: <Kem as hpke::Kem>::PublicKey,
    id: String,
}

impl PublicKey {
    /// Reads the base64 of a 32-byte X25519 public key.
    pub fn parse(text: &str) -> Option<PublicKey> {
        let bytes = base64::decode(text.trim())?;
        let key = <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes).ok()?;
        Some(PublicKey {
            id: key_id(&bytes),
            key,
        })
    }

    /// The key's id, `k-` and 16 hex digits.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The base64 form [`PublicKey::parse`] reads.
    pub fn to_base64(&self) -> String {
        base64::encode(&self.key.to_bytes())
    }
}

/// The clinic's key pair (the private half never leaves the clinic).
pub struct KeyPair {
    private: <Kem as hpke::Kem>::PrivateKey,
    public: PublicKey,
}

impl KeyPair {
    /// The key pair derived from 32 bytes of secret randomness.
    pub fn derive(ikm: &[u8; 32]) -> KeyPair {
        let (private, key) = Kem::derive_keypair(ikm);
        let id = key_id(&key.to_bytes());
        KeyPair {
            private,
            public: PublicKey { key, id },
        }
    }

    /// Reads a private key file: the base64 of the 32-byte X25519 secret.
    pub fn parse(text: &str) -> Option<KeyPair> {
        let bytes = base64::decode(text.trim())?;
        let private = <Kem as hpke::Kem>::PrivateKey::from_bytes(&bytes).ok()?;
        let key = Kem::sk_to_pk(&private);
        let id = key_id(&key.to_bytes());
        Some(KeyPair {
            private,
            public: PublicKey { key, id },
        })
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The private key file's text.
    pub fn private_base64(&self) -> String {
        base64::encode(&self.private.to_bytes())
    }
}

fn key_id(public: &[u8]) -> String {
    let digest = Sha256::digest(public);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::from("k-");
    for b in &digest[..8] {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 15)]));
    }
    id
}

fn aad(submission_id: &str, key_id: &str, content_type: &str) -> Vec<u8> {
    [SEALED_SCHEMA, submission_id, key_id, content_type]
        .join("\n")
        .into_bytes()
}

/// Why an envelope could not be sealed or opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
    /// Not a `massage-intake-sealed/1` envelope of the supported suite.
    NotAnEnvelope,
    /// Sealed to another key (its id is in the envelope).
    OtherKey,
    /// The key is right but the envelope was changed or damaged.
    Tampered,
    /// Encryption failed (an unusable public key).
    Seal,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SealError::NotAnEnvelope => "not a massage-intake-sealed/1 envelope",
            SealError::OtherKey => "sealed to another key",
            SealError::Tampered => "changed or damaged: it does not open with this key",
            SealError::Seal => "could not be sealed",
        })
    }
}

impl std::error::Error for SealError {}

/// Seals `body` to `key`. `seed` is 32 bytes of fresh randomness from the
/// platform (the browser's `crypto.getRandomValues`), used once.
pub fn seal(
    body: &[u8],
    submission_id: &str,
    content_type: &str,
    key: &PublicKey,
    seed: [u8; 32],
) -> Result<Envelope, SealError> {
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
    let (enc, ciphertext) = hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, Kem, _>(
        &OpModeS::Base,
        &key.key,
        SEALED_SCHEMA.as_bytes(),
        body,
        &aad(submission_id, &key.id, content_type),
        &mut rng,
    )
    .map_err(|_| SealError::Seal)?;
    Ok(Envelope {
        schema: SEALED_SCHEMA.to_owned(),
        submission_id: submission_id.to_owned(),
        key_id: key.id.clone(),
        suite: SUITE.to_owned(),
        content_type: content_type.to_owned(),
        enc: base64::encode(&enc.to_bytes()),
        ciphertext: base64::encode(&ciphertext),
    })
}

impl Envelope {
    /// The envelope as JSON, written without a JSON library (every field is
    /// ASCII that [`Envelope::check`] vouches for), to keep the sealing module
    /// small. `None` when the envelope is not well formed.
    pub fn to_json(&self) -> Option<String> {
        self.check().ok()?;
        let mut out = String::from("{");
        for (i, (name, value)) in [
            ("schema", &self.schema),
            ("submission_id", &self.submission_id),
            ("key_id", &self.key_id),
            ("suite", &self.suite),
            ("content_type", &self.content_type),
            ("enc", &self.enc),
            ("ciphertext", &self.ciphertext),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(name);
            out.push_str("\":\"");
            out.push_str(value);
            out.push('"');
        }
        out.push('}');
        Some(out)
    }

    /// Whether the envelope is well formed (what a receiver can check
    /// without the key).
    pub fn check(&self) -> Result<(), SealError> {
        let ok = self.schema == SEALED_SCHEMA
            && self.suite == SUITE
            && crate::validate::is_uuid_v4(&self.submission_id)
            && self.key_id.len() == 18
            && self.key_id.starts_with("k-")
            && self.key_id[2..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && matches!(
                self.content_type.as_str(),
                "application/json" | "application/fhir+json"
            )
            && base64::decode(&self.enc).is_some_and(|e| e.len() == 32)
            && base64::decode(&self.ciphertext).is_some_and(|c| c.len() >= 16);
        if ok {
            Ok(())
        } else {
            Err(SealError::NotAnEnvelope)
        }
    }
}

/// Opens an envelope with the clinic's key pair.
pub fn open(envelope: &Envelope, keys: &KeyPair) -> Result<Vec<u8>, SealError> {
    envelope.check()?;
    if envelope.key_id != keys.public.id {
        return Err(SealError::OtherKey);
    }
    let enc = base64::decode(&envelope.enc)
        .and_then(|e| <Kem as hpke::Kem>::EncappedKey::from_bytes(&e).ok())
        .ok_or(SealError::NotAnEnvelope)?;
    let ciphertext = base64::decode(&envelope.ciphertext).ok_or(SealError::NotAnEnvelope)?;
    hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, Kem>(
        &OpModeR::Base,
        &keys.private,
        &enc,
        SEALED_SCHEMA.as_bytes(),
        &ciphertext,
        &aad(
            &envelope.submission_id,
            &envelope.key_id,
            &envelope.content_type,
        ),
    )
    .map_err(|_| SealError::Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn sealed(keys: &KeyPair, body: &[u8]) -> Envelope {
        seal(body, ID, "application/json", &keys.public_key(), [3; 32]).expect("seal")
    }

    #[test]
    fn what_is_sealed_opens_with_the_key_and_is_not_readable_without() {
        let keys = KeyPair::derive(&[1; 32]);
        let body = br#"{"patient":{"given_name":"Zqcanary"}}"#;
        let envelope = sealed(&keys, body);
        assert_eq!(envelope.check(), Ok(()));
        let text = serde_json::to_string(&envelope).expect("json");
        assert!(!text.contains("Zqcanary"));
        assert_eq!(open(&envelope, &keys).as_deref(), Ok(&body[..]));
        // Fresh randomness, another ciphertext.
        let again = seal(body, ID, "application/json", &keys.public_key(), [4; 32]).expect("seal");
        assert_ne!(again.ciphertext, envelope.ciphertext);
    }

    #[test]
    fn the_hand_written_json_is_the_envelope() {
        let keys = KeyPair::derive(&[1; 32]);
        let envelope = sealed(&keys, b"{}");
        let text = envelope.to_json().expect("well formed");
        assert_eq!(
            serde_json::from_str::<Envelope>(&text).ok(),
            Some(envelope.clone())
        );
        let mut bad = envelope;
        bad.submission_id = "x\"y".into();
        assert_eq!(bad.to_json(), None);
    }

    #[test]
    fn another_key_is_named_as_such() {
        let keys = KeyPair::derive(&[1; 32]);
        let other = KeyPair::derive(&[2; 32]);
        assert_eq!(
            open(&sealed(&keys, b"{}"), &other),
            Err(SealError::OtherKey)
        );
        // Even claiming the right key id does not help the wrong key.
        let mut forged = sealed(&keys, b"{}");
        forged.key_id = other.public_key().id().to_owned();
        assert_eq!(open(&forged, &other), Err(SealError::Tampered));
    }

    #[test]
    fn any_flipped_byte_or_changed_field_is_tampering() {
        let keys = KeyPair::derive(&[1; 32]);
        let envelope = sealed(&keys, b"{\"a\":1}");
        let bytes = base64::decode(&envelope.ciphertext).expect("b64");
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x01;
            let mut e = envelope.clone();
            e.ciphertext = base64::encode(&flipped);
            assert_eq!(open(&e, &keys), Err(SealError::Tampered), "byte {i}");
        }
        let mut e = envelope.clone();
        e.submission_id = "1f8fad5b-d9cb-469f-a165-70867728950e".into();
        assert_eq!(open(&e, &keys), Err(SealError::Tampered));
        let mut e = envelope.clone();
        e.content_type = "application/fhir+json".into();
        assert_eq!(open(&e, &keys), Err(SealError::Tampered));
        let mut e = envelope;
        e.suite = "something else".into();
        assert_eq!(open(&e, &keys), Err(SealError::NotAnEnvelope));
    }

    #[test]
    fn keys_round_trip_through_their_text() {
        let keys = KeyPair::derive(&[5; 32]);
        let again = KeyPair::parse(&keys.private_base64()).expect("private key");
        assert_eq!(again.public_key(), keys.public_key());
        let public = PublicKey::parse(&keys.public_key().to_base64()).expect("public key");
        assert_eq!(public, keys.public_key());
        assert!(public.id().starts_with("k-") && public.id().len() == 18);
        assert_eq!(PublicKey::parse("not base64"), None);
        assert_eq!(PublicKey::parse(&base64::encode(&[1; 31])), None);
    }
}
