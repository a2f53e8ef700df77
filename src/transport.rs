//! One attempt to send a submission to the configured endpoint; what its
//! reply means is decided in `delivery`.

use crate::delivery::SendOutcome;
#[cfg(target_arch = "wasm32")]
use crate::delivery::{classify, retry_after_seconds, Reply};

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
