//! How long and how often driftwatch waits for AWS: a timeout for every attempt, retries with
//! backoff and a bounded number of attempts, and a deadline for the whole run. Configuration
//! only; the SDK applies it.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;

pub(crate) use crate::error::seconds;

/// Per-attempt timeout by default: generous for `GetAccountAuthorizationDetails` on a large
/// account (a few seconds), short enough that a call that never gets an answer is noticed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts per call by default (the SDK's own default is 3: with 20 % of calls throttled a run
/// of ~700 calls then fails most of the time; with 10 it survives 30 % throttling).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;
/// The whole run's bound by default: a nightly job never blocks for longer.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(15 * 60);
/// Connecting takes milliseconds when the endpoint is there; no need to wait a whole attempt.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest pause between two attempts (the SDK's default is 20 s: with 10 attempts a
/// throttled call could then wait minutes; AWS's throttling buckets refill within seconds).
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Timeouts and attempts of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// One attempt of one call (connect, send, wait, read).
    pub timeout: Duration,
    /// Attempts per call, the first included (1 = no retries).
    pub max_attempts: u32,
    /// Every AWS call of the run, retries and pauses included.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: DEFAULT_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            deadline: DEFAULT_DEADLINE,
        }
    }
}

impl Limits {
    /// Flags over the configuration file over the defaults; zero is refused (it would mean "fail
    /// every call" or "never retry even once" by accident).
    pub fn resolve(
        timeout: Option<u64>,
        max_attempts: Option<u32>,
        deadline: Option<u64>,
    ) -> Result<Limits, String> {
        let d = Limits::default();
        let positive = |name: &str, v: u64| {
            if v == 0 {
                Err(format!("{name} must be at least 1"))
            } else {
                Ok(v)
            }
        };
        Ok(Limits {
            timeout: match timeout {
                Some(s) => Duration::from_secs(positive("timeout", s)?),
                None => d.timeout,
            },
            max_attempts: match max_attempts {
                Some(n) => positive("max_attempts", n.into())? as u32,
                None => d.max_attempts,
            },
            deadline: match deadline {
                Some(s) => Duration::from_secs(positive("deadline", s)?),
                None => d.deadline,
            },
        })
    }

    /// The SDK's timeouts: each attempt bounded, each operation bounded by the run's deadline.
    pub fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(self.timeout))
            .operation_attempt_timeout(self.timeout)
            .operation_timeout(self.deadline)
            .build()
    }

    /// The SDK's standard retries: up to `max_attempts` attempts with exponential backoff and
    /// full jitter (a random pause up to 1 s, 2 s, 4 s, … capped at [`MAX_BACKOFF`]) for
    /// throttling, 5xx answers, timeouts and broken connections.
    ///
    /// Not the SDK's adaptive mode: its client-side rate limiter cuts the request rate by 30 %
    /// at every throttling answer down to 0.5 requests a second, and (before retry behaviour
    /// 2.1) folds a 10-token cost into each throttled retry's pause. Measured through the fault
    /// proxy with 30 % of calls throttled, a 25-call run took 43 s instead of 1 s, and an account
    /// of ~700 calls would need most of the 15-minute deadline; with standard retries it takes
    /// seconds (`scripts/faults`). Our concurrency is already small (8 calls a service).
    ///
    /// The SDK's retry quota (a token bucket of 500 per service, 5 tokens a throttled retry, 10 a
    /// retried timeout or 5xx, given back when the retry succeeds, one regained per first-try
    /// success) is left as it is: at 30 % throttling a call costs ~0.6 tokens on average and
    /// gives back 0.7, so it never ran out in the measured runs, and it is what stops a run
    /// from hammering a service that is down.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(self.max_attempts)
            .with_max_backoff(MAX_BACKOFF)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_file_override_defaults_and_zero_is_refused() {
        assert_eq!(
            Limits::resolve(None, None, None).unwrap(),
            Limits::default()
        );
        let l = Limits::resolve(Some(2), Some(4), Some(60)).unwrap();
        assert_eq!(l.timeout, Duration::from_secs(2));
        assert_eq!(l.max_attempts, 4);
        assert_eq!(l.deadline, Duration::from_secs(60));
        let e = Limits::resolve(Some(0), None, None).unwrap_err();
        assert!(e.contains("timeout must be at least 1"), "{e}");
        assert!(Limits::resolve(None, Some(0), None).is_err());
        assert!(Limits::resolve(None, None, Some(0)).is_err());
    }

    #[test]
    fn the_sdk_gets_every_bound() {
        let l = Limits::resolve(Some(2), Some(7), Some(60)).unwrap();
        let t = l.timeout_config();
        assert_eq!(t.operation_attempt_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(t.connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(t.operation_timeout(), Some(Duration::from_secs(60)));
        let r = l.retry_config();
        assert_eq!(r.max_attempts(), 7);
        assert_eq!(r.mode(), aws_config::retry::RetryMode::Standard);
        assert_eq!(r.max_backoff(), MAX_BACKOFF);
    }
}
