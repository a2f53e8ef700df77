//! The one delivery policy, used by the live send, the device's outbox of
//! sealed envelopes and a send that outlives its form (a kiosk reset): which
//! replies are final, which are tried again and when, and how long a kept
//! envelope may stay on the device. Plain logic, tested natively; the sending
//! itself is in `transport` (one attempt) and `courier` (the loop).
//!
//! Every attempt carries the submission id as its `Idempotency-Key`, so
//! sending again after a failure can never store the intake twice.

use intake_core::FieldError;

/// The longest wait between two attempts.
pub const MAX_BACKOFF_MS: u32 = 60_000;
/// The first wait after a failed attempt.
pub const FIRST_BACKOFF_MS: u32 = 1_000;

/// A factor from 0.5 to 1 that spreads retries of many devices apart (from
/// the browser's random numbers).
pub fn jitter() -> f64 {
    0.5 + js_sys::Math::random() / 2.0
}

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

/// Who is there to act on an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attended {
    /// The patient, on the form: field problems go back to their fields.
    Patient,
    /// Nobody: the outbox sending a kept envelope, or a send whose form a
    /// kiosk reset took down. Nothing can be fixed, so problems are final.
    Nobody,
}

/// What to do after an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Stored by the clinic: the reference to show.
    Stored(String),
    /// The patient can fix these fields (only while attended).
    Fix(Vec<FieldError>),
    /// Try the same submission again after `after_ms`; `offline` when no
    /// answer came at all (otherwise the clinic's system had trouble).
    Retry { after_ms: u32, offline: bool },
    /// Refused for good with this status (0: the endpoint itself is
    /// unusable): never sent again.
    Refused(u16),
}

/// The policy: what comes after attempt number `failures + 1` ended in
/// `outcome`. `jitter` is random, 0.5 to 1.
pub fn next(outcome: SendOutcome, failures: u32, jitter: f64, attended: Attended) -> Next {
    match outcome {
        SendOutcome::Accepted { reference } => Next::Stored(reference),
        SendOutcome::Invalid(errors) => match attended {
            Attended::Patient => Next::Fix(errors),
            Attended::Nobody => Next::Refused(422),
        },
        SendOutcome::Rejected(status) => Next::Refused(status),
        SendOutcome::Unreachable => Next::Retry {
            after_ms: backoff_ms(failures + 1, None, jitter),
            offline: true,
        },
        SendOutcome::ServerError(_, retry_after) => Next::Retry {
            after_ms: backoff_ms(failures + 1, retry_after, jitter),
            offline: false,
        },
    }
}

/// How long a sealed envelope refused for good stays on the device (never
/// sent again) before it is removed: a week.
pub const KEEP_REFUSED_MS: f64 = 7.0 * DAY_MS;
/// How long an envelope the clinic's system never answered for is tried:
/// 30 days; then it is removed and reported.
pub const KEEP_UNSENT_MS: f64 = 30.0 * DAY_MS;
const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// What the outbox does with a kept envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// Try to send it.
    Send,
    /// Leave it (refused for good, kept for a while, never sent).
    Hold,
    /// Remove it from the device; `report` when it never reached the clinic
    /// and nobody was told yet.
    Drop { report: bool },
}

/// The outbox's rule for an envelope kept at `kept_at` (ms since 1970),
/// refused for good with `refused` or not, at `now`.
pub fn kept(kept_at: f64, refused: Option<u16>, now: f64) -> Kept {
    let age = now - kept_at;
    match refused {
        // Refusals are reported when they happen.
        Some(_) if !(0.0..KEEP_REFUSED_MS).contains(&age) => Kept::Drop { report: false },
        Some(_) => Kept::Hold,
        // A clock set back makes the age negative: keep trying.
        None if age >= KEEP_UNSENT_MS => Kept::Drop { report: true },
        None => Kept::Send,
    }
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

    #[test]
    fn after_each_outcome_the_policy_says_what_comes_next() {
        let errors = vec![FieldError::new("patient.phone", ErrorCode::PhoneInvalid)];
        for attended in [Attended::Patient, Attended::Nobody] {
            assert_eq!(
                next(
                    SendOutcome::Accepted {
                        reference: "MI-1".into()
                    },
                    0,
                    1.0,
                    attended
                ),
                Next::Stored("MI-1".into())
            );
            assert_eq!(
                next(SendOutcome::Rejected(413), 3, 1.0, attended),
                Next::Refused(413),
                "a refusal is final, never retried"
            );
            assert_eq!(
                next(SendOutcome::Unreachable, 0, 1.0, attended),
                Next::Retry {
                    after_ms: 1_000,
                    offline: true
                }
            );
            assert_eq!(
                next(SendOutcome::ServerError(503, Some(20)), 2, 0.5, attended),
                Next::Retry {
                    after_ms: 20_000,
                    offline: false
                }
            );
        }
        assert_eq!(
            next(
                SendOutcome::Invalid(errors.clone()),
                0,
                1.0,
                Attended::Patient
            ),
            Next::Fix(errors.clone()),
            "the patient can fix fields"
        );
        assert_eq!(
            next(SendOutcome::Invalid(errors), 0, 1.0, Attended::Nobody),
            Next::Refused(422),
            "nobody can fix a kept envelope"
        );
    }

    #[test]
    fn retries_back_off_with_each_failure_up_to_a_minute() {
        let waits: Vec<u32> = (0..8)
            .map(
                |failures| match next(SendOutcome::Unreachable, failures, 1.0, Attended::Nobody) {
                    Next::Retry { after_ms, .. } => after_ms,
                    other => panic!("{other:?}"),
                },
            )
            .collect();
        assert_eq!(
            waits,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
        );
    }

    #[test]
    fn a_kept_envelope_is_sent_held_or_dropped_by_its_age_and_refusal() {
        let day = 24.0 * 3600.0 * 1000.0;
        let at = 1_000_000.0;
        assert_eq!(kept(at, None, at), Kept::Send);
        assert_eq!(kept(at, None, at + 29.0 * day), Kept::Send);
        assert_eq!(kept(at, None, at + 30.0 * day), Kept::Drop { report: true });
        assert_eq!(kept(at, None, at - day), Kept::Send, "a clock set back");
        assert_eq!(
            kept(at, Some(413), at + day),
            Kept::Hold,
            "refused: never sent again"
        );
        assert_eq!(
            kept(at, Some(413), at + 7.0 * day),
            Kept::Drop { report: false }
        );
        assert_eq!(kept(at, Some(400), at - day), Kept::Drop { report: false });
    }
}
