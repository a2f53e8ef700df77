//! Sends a submission to the configured endpoint.
//!
//! Every attempt carries the submission id as its `Idempotency-Key`, so
//! pressing Send again after a failure can never store the intake twice.
//! What a reply means is decided by [`classify`], plain logic tested natively.

use intake_core::{FieldError, Submission};
use serde::Deserialize;

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

#[derive(Deserialize)]
struct Accepted {
    reference: String,
}

#[derive(Deserialize)]
struct Invalid {
    errors: Vec<FieldError>,
}

/// Interprets a reply's status and body.
pub fn classify(status: u16, body: &str) -> SendOutcome {
    match status {
        200..=299 => match serde_json::from_str::<Accepted>(body) {
            Ok(ok) if !ok.reference.trim().is_empty() => SendOutcome::Accepted { reference: ok.reference },
            // Stored, but the reply is unusable: sending again with the same key is safe.
            _ => SendOutcome::ServerError(status),
        },
        422 => match serde_json::from_str::<Invalid>(body) {
            Ok(invalid) if !invalid.errors.is_empty() => SendOutcome::Invalid(invalid.errors),
            _ => SendOutcome::Rejected(status),
        },
        408 | 429 | 500..=599 => SendOutcome::ServerError(status),
        _ => SendOutcome::Rejected(status),
    }
}

/// Posts `submission` as JSON to `endpoint` once.
#[cfg(target_arch = "wasm32")]
pub async fn send(endpoint: &str, submission: &Submission) -> SendOutcome {
    use gloo_net::http::Request;
    let Ok(body) = serde_json::to_string(submission) else {
        return SendOutcome::Rejected(0);
    };
    let request = Request::post(endpoint)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", &submission.submission_id)
        .body(body);
    let Ok(request) = request else {
        return SendOutcome::Unreachable;
    };
    match request.send().await {
        Err(_) => SendOutcome::Unreachable,
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            classify(status, &body)
        }
    }
}

/// Native builds (unit tests) have no network.
#[cfg(not(target_arch = "wasm32"))]
pub async fn send(_endpoint: &str, _submission: &Submission) -> SendOutcome {
    SendOutcome::Unreachable
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::ErrorCode;

    #[test]
    fn created_with_a_reference_is_accepted() {
        assert_eq!(
            classify(201, r#"{"reference":"MI-7K3P-9QX2"}"#),
            SendOutcome::Accepted { reference: "MI-7K3P-9QX2".into() }
        );
    }

    #[test]
    fn a_success_without_a_usable_reference_is_retried_not_trusted() {
        assert_eq!(classify(201, "<html>"), SendOutcome::ServerError(201));
        assert_eq!(classify(200, r#"{"reference":"  "}"#), SendOutcome::ServerError(200));
    }

    #[test]
    fn field_errors_go_back_to_their_fields() {
        let body = r#"{"error":"invalid_submission","errors":[{"path":"patient.phone","code":"phone_invalid"}]}"#;
        assert_eq!(
            classify(422, body),
            SendOutcome::Invalid(vec![FieldError::new("patient.phone", ErrorCode::PhoneInvalid)])
        );
        assert_eq!(classify(422, r#"{"error":"idempotency_key_reused"}"#), SendOutcome::Rejected(422));
    }

    #[test]
    fn transient_failures_are_retryable_and_others_are_not() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert_eq!(classify(status, ""), SendOutcome::ServerError(status));
        }
        for status in [400, 403, 404, 409, 413, 415] {
            assert_eq!(classify(status, ""), SendOutcome::Rejected(status));
        }
    }
}
