//! Sends a submission to the configured endpoint.
//!
//! Every attempt carries the submission id as its `Idempotency-Key`, so
//! pressing Send again after a failure can never store the intake twice.
//! What a reply means is decided by [`classify`], plain logic tested natively.

use intake_core::FieldError;

/// The longest wait between two attempts.
pub const MAX_BACKOFF_MS: u32 = 60_000;
/// The first wait after a failed attempt.
pub const FIRST_BACKOFF_MS: u32 = 1_000;

/// How long to wait before attempt `attempt + 1` (`attempt` counts failed
/// attempts from 1): the server's `Retry-After` when it gave one, otherwise
/// exponential backoff, each scaled by `jitter` (0.5 to 1.0, random) so that
/// many tablets coming back online do not all retry at once.
pub fn backoff_ms(attempt: u32, retry_after_s: Option<u32>, jitter: f64) -> u32 {
    let jitter = jitter.clamp(0.5, 1.0);
    let base = match retry_after_s {
        Some(s) => s.saturating_mul(1000),
        None => FIRST_BACKOFF_MS.saturating_mul(1u32 << attempt.saturating_sub(1).min(16)),
    };
    let waited = (f64::from(base.min(MAX_BACKOFF_MS)) * jitter) as u32;
    // Never sooner than the server asked.
    match retry_after_s {
        Some(s) => waited.max(s.saturating_mul(1000).min(MAX_BACKOFF_MS)),
        None => waited,
    }
}

/// A `Retry-After` header in seconds; an HTTP date or nonsense counts as absent.
pub fn retry_after_seconds(header: Option<&str>) -> Option<u32> {
    header?.trim().parse().ok()
}

/// What came of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Stored by the clinic; the reference to show the patient.
    Accepted { reference: String },
    /// The clinic's rules found problems in these fields.
    Invalid(Vec<FieldError>),
    /// No answer: offline, refused, or cut off. Safe to try again.
    Unreachable,
    /// The clinic's system failed or is busy (5xx, 408, 409, 429), maybe saying when to come
    /// back (`Retry-After`, seconds). Safe to try again.
    ServerError(u16, Option<u32>),
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
pub fn classify(status: u16, reply: Reply, retry_after_s: Option<u32>) -> SendOutcome {
    match status {
        200..=299 => match reply.reference {
            Some(reference) if !reference.trim().is_empty() => SendOutcome::Accepted { reference },
            // Stored, but the reply is unusable: sending again with the same key is safe.
            _ => SendOutcome::ServerError(status, None),
        },
        422 if !reply.errors.is_empty() => SendOutcome::Invalid(reply.errors),
        // 409: an earlier attempt with this key is still being handled; its
        // answer will be repeated to the next attempt.
        408 | 409 | 429 | 500..=599 => SendOutcome::ServerError(status, retry_after_s),
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

/// Posts a submission's `body` (of media type `content_type`) to `endpoint`
/// once, keyed by its `id`,
/// giving up on this attempt after `timeout_ms` (the outcome is then unknown,
/// so it counts as unreachable and the same key is sent again).
#[cfg(target_arch = "wasm32")]
pub async fn send(
    endpoint: &str,
    id: &str,
    body: &str,
    content_type: &str,
    timeout_ms: u32,
) -> SendOutcome {
    use crate::fetch::{fetch, FetchError};
    let headers = [("Content-Type", content_type), ("Idempotency-Key", id)];
    match fetch(endpoint, Some((body, &headers)), timeout_ms).await {
        Ok(reply) => classify(
            reply.status,
            read_reply(&reply.body),
            retry_after_seconds(reply.retry_after.as_deref()),
        ),
        Err(FetchError::Network) => SendOutcome::Unreachable,
        // The endpoint itself is unusable; only the clinic can fix that.
        Err(FetchError::Request) => SendOutcome::Rejected(0),
    }
}

/// Native builds (unit tests) have no network.
#[cfg(not(target_arch = "wasm32"))]
pub async fn send(
    _endpoint: &str,
    _id: &str,
    _body: &str,
    _content_type: &str,
    _timeout_ms: u32,
) -> SendOutcome {
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
            classify(201, reference("MI-7K3P-9QX2"), None),
            SendOutcome::Accepted {
                reference: "MI-7K3P-9QX2".into()
            }
        );
    }

    #[test]
    fn a_success_without_a_usable_reference_is_retried_not_trusted() {
        assert_eq!(
            classify(201, Reply::default(), None),
            SendOutcome::ServerError(201, None)
        );
        assert_eq!(
            classify(200, reference("  "), None),
            SendOutcome::ServerError(200, None)
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
                },
                None
            ),
            SendOutcome::Invalid(errors)
        );
        assert_eq!(
            classify(422, Reply::default(), None),
            SendOutcome::Rejected(422)
        );
    }

    #[test]
    fn transient_failures_are_retryable_and_others_are_not() {
        for status in [408, 409, 429, 500, 502, 503, 504] {
            assert_eq!(
                classify(status, Reply::default(), Some(7)),
                SendOutcome::ServerError(status, Some(7))
            );
        }
        for status in [400, 403, 404, 413, 415] {
            assert_eq!(
                classify(status, Reply::default(), None),
                SendOutcome::Rejected(status)
            );
        }
    }

    #[test]
    fn backoff_doubles_up_to_a_minute_with_jitter_below() {
        assert_eq!(backoff_ms(1, None, 1.0), 1_000);
        assert_eq!(backoff_ms(2, None, 1.0), 2_000);
        assert_eq!(backoff_ms(4, None, 1.0), 8_000);
        assert_eq!(backoff_ms(30, None, 1.0), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(3, None, 0.5), 2_000);
        assert_eq!(
            backoff_ms(3, None, 0.0),
            2_000,
            "jitter never shortens below half"
        );
    }

    #[test]
    fn the_server_s_retry_after_is_honoured_and_capped() {
        assert_eq!(
            backoff_ms(1, Some(5), 0.5),
            5_000,
            "never sooner than asked"
        );
        assert_eq!(backoff_ms(1, Some(3600), 1.0), MAX_BACKOFF_MS);
        assert_eq!(retry_after_seconds(Some(" 12 ")), Some(12));
        assert_eq!(
            retry_after_seconds(Some("Wed, 21 Oct 2026 07:28:00 GMT")),
            None
        );
        assert_eq!(retry_after_seconds(None), None);
    }
}
