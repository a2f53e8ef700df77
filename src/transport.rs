//! Sends a submission to the configured endpoint.
//!
//! Every attempt carries the submission id as its `Idempotency-Key`, so
//! pressing Send again after a failure can never store the intake twice.
//! What a reply means is decided by [`classify`], plain logic tested natively.

use intake_core::FieldError;

/// What came of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Stored by the clinic; the reference to show the patient.
    Accepted { reference: String },
    /// The clinic's rules found problems in these fields.
    Invalid(Vec<FieldError>),
    /// No answer: offline, refused, or cut off. Safe to try again.
    Unreachable,
    /// The clinic's system failed (5xx, 408, 429). Safe to try again.
    ServerError(u16),
    /// Refused for a reason the patient cannot fix; the front desk must help.
    Rejected(u16),
}

/// What a reply's JSON body said, as far as the widget cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// `reference` of a `201`.
    pub reference: Option<String>,
    /// `errors` of a `422`.
    pub errors: Vec<FieldError>,
}

/// Interprets a reply's status and body.
pub fn classify(status: u16, reply: Reply) -> SendOutcome {
    match status {
        200..=299 => match reply.reference {
            Some(reference) if !reference.trim().is_empty() => SendOutcome::Accepted { reference },
            // Stored, but the reply is unusable: sending again with the same key is safe.
            _ => SendOutcome::ServerError(status),
        },
        422 if !reply.errors.is_empty() => SendOutcome::Invalid(reply.errors),
        408 | 429 | 500..=599 => SendOutcome::ServerError(status),
        _ => SendOutcome::Rejected(status),
    }
}

/// Reads a reply body with the browser's JSON parser.
#[cfg(target_arch = "wasm32")]
fn read_reply(body: &str) -> Reply {
    use crate::json::{field_errors, parse, string_at};
    let Some(value) = parse(body) else {
        return Reply::default();
    };
    Reply {
        reference: string_at(&value, "reference"),
        errors: field_errors(&value),
    }
}

/// Posts a submission's JSON `body` to `endpoint` once, keyed by its `id`.
#[cfg(target_arch = "wasm32")]
pub async fn send(endpoint: &str, id: &str, body: &str) -> SendOutcome {
    use crate::fetch::{fetch, FetchError};
    let headers = [
        ("Content-Type", "application/json"),
        ("Idempotency-Key", id),
    ];
    match fetch(endpoint, Some((body, &headers))).await {
        Ok(reply) => classify(reply.status, read_reply(&reply.body)),
        Err(FetchError::Network) => SendOutcome::Unreachable,
        // The endpoint itself is unusable; only the clinic can fix that.
        Err(FetchError::Request) => SendOutcome::Rejected(0),
    }
}

/// Native builds (unit tests) have no network.
#[cfg(not(target_arch = "wasm32"))]
pub async fn send(_endpoint: &str, _id: &str, _body: &str) -> SendOutcome {
    SendOutcome::Unreachable
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::ErrorCode;

    fn reference(r: &str) -> Reply {
        Reply {
            reference: Some(r.into()),
            errors: vec![],
        }
    }

    #[test]
    fn created_with_a_reference_is_accepted() {
        assert_eq!(
            classify(201, reference("MI-7K3P-9QX2")),
            SendOutcome::Accepted {
                reference: "MI-7K3P-9QX2".into()
            }
        );
    }

    #[test]
    fn a_success_without_a_usable_reference_is_retried_not_trusted() {
        assert_eq!(
            classify(201, Reply::default()),
            SendOutcome::ServerError(201)
        );
        assert_eq!(
            classify(200, reference("  ")),
            SendOutcome::ServerError(200)
        );
    }

    #[test]
    fn field_errors_go_back_to_their_fields() {
        let errors = vec![FieldError::new("patient.phone", ErrorCode::PhoneInvalid)];
        assert_eq!(
            classify(
                422,
                Reply {
                    reference: None,
                    errors: errors.clone()
                }
            ),
            SendOutcome::Invalid(errors)
        );
        assert_eq!(classify(422, Reply::default()), SendOutcome::Rejected(422));
    }

    #[test]
    fn transient_failures_are_retryable_and_others_are_not() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert_eq!(
                classify(status, Reply::default()),
                SendOutcome::ServerError(status)
            );
        }
        for status in [400, 403, 404, 409, 413, 415] {
            assert_eq!(
                classify(status, Reply::default()),
                SendOutcome::Rejected(status)
            );
        }
    }
}
