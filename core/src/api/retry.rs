//! When to try again and how long to wait: exponential backoff with full jitter, `Retry-After`, and
//! the rule that only requests safe to repeat are ever repeated.

use std::time::Duration;

use jiff::Timestamp;

use crate::CoreError;

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Backoff ceiling of the first retry.
    pub base_delay: Duration,
    /// Highest backoff ceiling.
    pub max_delay: Duration,
    /// Longest `Retry-After` waited out; longer ones end the call with `RateLimited`.
    pub max_retry_after: Duration,
}

/// Full-jitter backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform random
/// delay in `[0, min(max, base * 2^retry))`, where `unit` in `[0, 1)` is the random draw.
pub fn backoff_delay(retry: u32, base: Duration, max: Duration, unit: f64) -> Duration {
    let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
    let ceiling = base.saturating_mul(factor).min(max);
    let unit = if unit.is_finite() { unit.clamp(0.0, 1.0) } else { 1.0 };
    Duration::try_from_secs_f64(ceiling.as_secs_f64() * unit).unwrap_or(ceiling).min(ceiling)
}

/// Whether this failure is transient: connection trouble, a timeout, a gateway error or throttling.
pub fn is_transient(error: &CoreError) -> bool {
    match error {
        CoreError::Offline | CoreError::Timeout | CoreError::Network { .. } | CoreError::RateLimited { .. } => true,
        CoreError::Server { status } => matches!(status, 502..=504),
        _ => false,
    }
}

/// The wait before retry number `retries_done + 1`, or `None` to give up with `error`.
pub fn next_delay(
    policy: &RetryPolicy,
    retries_done: u32,
    request_retryable: bool,
    error: &CoreError,
    unit: f64,
) -> Option<Duration> {
    if !request_retryable || retries_done >= policy.max_retries || !is_transient(error) {
        return None;
    }
    match error {
        CoreError::RateLimited { retry_after_secs } => {
            let wait = Duration::from_secs(*retry_after_secs);
            (wait <= policy.max_retry_after).then_some(wait)
        }
        _ => Some(backoff_delay(retries_done, policy.base_delay, policy.max_delay, unit)),
    }
}

/// Parses a `Retry-After` value: delay seconds, or an HTTP date (seconds from `now`, at least 0).
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let date = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = date.as_second().saturating_sub(now.as_second());
    Some(u64::try_from(secs).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: MS(100),
            max_delay: MS(1000),
            max_retry_after: Duration::from_secs(5),
        }
    }

    #[test]
    fn backoff_ceiling_doubles_then_caps_and_jitter_scales_it() {
        let d = |retry, unit| backoff_delay(retry, MS(100), MS(1000), unit);
        assert_eq!(
            [d(0, 1.0), d(1, 1.0), d(2, 1.0), d(3, 1.0), d(4, 1.0)],
            [MS(100), MS(200), MS(400), MS(800), MS(1000)]
        );
        assert_eq!(d(40, 1.0), MS(1000), "huge retry counts saturate");
        assert_eq!(d(2, 0.0), Duration::ZERO);
        assert_eq!(d(2, 0.5), MS(200));
        assert_eq!(d(2, f64::NAN), MS(400));
        assert_eq!(d(2, -3.0), Duration::ZERO);
        assert_eq!(backoff_delay(u32::MAX, Duration::from_secs(u64::MAX / 2), Duration::MAX, 1.0).as_secs(), u64::MAX);
    }

    #[test]
    fn only_transient_failures_of_retryable_requests_are_retried() {
        let p = policy();
        for e in [CoreError::Offline, CoreError::Timeout, CoreError::Server { status: 503 }] {
            assert_eq!(next_delay(&p, 0, true, &e, 1.0), Some(MS(100)), "{e:?}");
            assert_eq!(next_delay(&p, 0, false, &e, 1.0), None, "not retryable: {e:?}");
            assert_eq!(next_delay(&p, 3, true, &e, 1.0), None, "budget spent: {e:?}");
        }
        for e in [
            CoreError::Server { status: 500 },
            CoreError::NotFound,
            CoreError::Certificate,
            CoreError::Unauthorized { code: "token_invalid".into() },
            CoreError::Conflict { code: "slot_taken".into(), detail: String::new() },
        ] {
            assert_eq!(next_delay(&p, 0, true, &e, 1.0), None, "{e:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = policy();
        assert_eq!(next_delay(&p, 0, true, &CoreError::RateLimited { retry_after_secs: 2 }, 0.0), Some(MS(2000)));
        assert_eq!(next_delay(&p, 0, true, &CoreError::RateLimited { retry_after_secs: 60 }, 0.0), None);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now: Timestamp = "2026-03-01T12:00:00Z".parse().expect("now");
        assert_eq!(parse_retry_after(" 7 ", now), Some(7));
        assert_eq!(parse_retry_after("Sun, 01 Mar 2026 12:00:30 GMT", now), Some(30));
        assert_eq!(parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now), Some(0));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
