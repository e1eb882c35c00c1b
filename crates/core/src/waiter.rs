//! A waiter for states the SDK does not wait on (or waits on without a deadline or
//! progress): poll with exponential backoff and jitter until ready or the deadline.

use crate::error::{Error, Result};
use crate::progress;
use std::future::Future;
use std::time::{Duration, Instant};

/// What one poll saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    Ready(T),
    /// Not yet; the string is the current state, for progress and the timeout message.
    Pending(String),
}

#[derive(Debug, Clone)]
pub struct Waiter {
    what: String,
    timeout: Duration,
    initial: Duration,
    max_delay: Duration,
}

impl Waiter {
    pub fn new(what: impl Into<String>, timeout: Duration) -> Self {
        Waiter { what: what.into(), timeout, initial: Duration::from_millis(200), max_delay: Duration::from_secs(15) }
    }

    pub fn delays(mut self, initial: Duration, max_delay: Duration) -> Self {
        self.initial = initial;
        self.max_delay = max_delay;
        self
    }

    /// Polls until `Ready`, an error, or the deadline (then a timeout error naming the
    /// last state seen). A last poll is made at the deadline itself.
    pub async fn wait<T, F, Fut>(&self, mut poll: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Poll<T>>>,
    {
        let start = Instant::now();
        let deadline = deadline_after(start, self.timeout);
        let mut attempt = 0u32;
        loop {
            let state = match poll().await? {
                Poll::Ready(v) => {
                    progress::clear();
                    return Ok(v);
                }
                Poll::Pending(state) => state,
            };
            let now = Instant::now();
            if now >= deadline {
                progress::clear();
                return Err(Error::Timeout { what: format!("{} (last state: {state})", self.what), after: format_duration(self.timeout) });
            }
            progress::update(&format!("waiting for {}: {state} ({}s)", self.what, (now - start).as_secs()));
            let delay = backoff_delay(attempt, self.initial, self.max_delay, fastrand::f64()).min(deadline - now);
            tokio::time::sleep(delay).await;
            attempt = attempt.saturating_add(1);
        }
    }
}

/// The longest `--timeout` accepted: a year is already "no practical limit".
pub const MAX_TIMEOUT: Duration = Duration::from_secs(366 * 24 * 3600);

/// `start + timeout`, saturating instead of overflowing (no panic is an answer to input).
pub fn deadline_after<I>(start: I, timeout: Duration) -> I
where
    I: Copy + std::ops::Add<Duration, Output = I> + CheckedAddDuration,
{
    start.checked_add_duration(timeout).unwrap_or_else(|| start + MAX_TIMEOUT)
}

/// `checked_add` of both `std` and `tokio` instants.
pub trait CheckedAddDuration: Sized {
    fn checked_add_duration(self, d: Duration) -> Option<Self>;
}

impl CheckedAddDuration for Instant {
    fn checked_add_duration(self, d: Duration) -> Option<Self> {
        self.checked_add(d)
    }
}

impl CheckedAddDuration for tokio::time::Instant {
    fn checked_add_duration(self, d: Duration) -> Option<Self> {
        self.checked_add(d)
    }
}

/// Parses `90s`, `15m`, `1h 30m`, `30d` (ages and other spans).
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("invalid duration {text:?}: {e} (try 90s, 15m or 1h)"))
}

/// Parses the value of every `--timeout`: a duration of more than zero and at most a year.
pub fn parse_timeout(text: &str) -> std::result::Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err(format!("invalid duration {text:?}: must be more than zero"));
    }
    if d > MAX_TIMEOUT {
        return Err(format!("invalid duration {text:?}: at most {}", format_duration(MAX_TIMEOUT)));
    }
    Ok(d)
}

pub fn format_duration(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// Exponential backoff with "equal jitter": half the capped exponential delay, plus a
/// random share of the other half, so concurrent waiters spread out but never spin.
pub fn backoff_delay(attempt: u32, initial: Duration, max: Duration, jitter: f64) -> Duration {
    let factor = 2u32.saturating_pow(attempt.min(20));
    let base = initial.saturating_mul(factor).min(max);
    let half = base / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cell::Cell;

    #[test]
    fn timeouts_are_bounded_and_deadlines_saturate() {
        assert_eq!(parse_timeout("90s").unwrap(), Duration::from_secs(90));
        assert!(parse_timeout("0s").unwrap_err().contains("more than zero"));
        assert!(parse_timeout("200000000000000d").is_err(), "no panic, and refused");
        assert!(parse_timeout("400d").unwrap_err().contains("at most"));
        parse_timeout("365d").unwrap();
        let now = Instant::now();
        assert_eq!(deadline_after(now, Duration::MAX), now + MAX_TIMEOUT);
        let t = tokio::time::Instant::now();
        assert_eq!(deadline_after(t, Duration::from_secs(5)), t + Duration::from_secs(5));
    }

    #[test]
    fn backoff_doubles_then_caps() {
        let (i, m) = (Duration::from_millis(100), Duration::from_secs(2));
        assert_eq!(backoff_delay(0, i, m, 1.0), Duration::from_millis(100));
        assert_eq!(backoff_delay(1, i, m, 1.0), Duration::from_millis(200));
        assert_eq!(backoff_delay(3, i, m, 0.0), Duration::from_millis(400));
        assert_eq!(backoff_delay(30, i, m, 1.0), m);
    }

    proptest! {
        #[test]
        fn backoff_stays_within_bounds(attempt in 0u32..100, jitter in 0.0f64..=1.0, init_ms in 1u64..5000, max_ms in 1u64..60000) {
            let (i, m) = (Duration::from_millis(init_ms), Duration::from_millis(max_ms));
            let d = backoff_delay(attempt, i, m, jitter);
            prop_assert!(d <= m);
            prop_assert!(d >= i.min(m) / 2);
        }
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap()
    }

    #[test]
    fn waits_until_ready() {
        let polls = Cell::new(0);
        let waiter = Waiter::new("thing", Duration::from_secs(60));
        let got = rt().block_on(waiter.wait(|| {
            polls.set(polls.get() + 1);
            let n = polls.get();
            async move { Ok(if n < 4 { Poll::Pending(format!("pending {n}")) } else { Poll::Ready(n) }) }
        }));
        assert_eq!(got.unwrap(), 4);
    }

    #[test]
    fn times_out_naming_the_last_state() {
        let waiter = Waiter::new("nat-123 to be available", Duration::from_secs(5));
        let err = rt().block_on(waiter.wait(|| async { Ok::<Poll<()>, Error>(Poll::Pending("pending".into())) })).unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }));
        assert_eq!(err.exit_code(), 1);
        let msg = err.to_string();
        assert!(msg.contains("nat-123 to be available (last state: pending)") && msg.contains("5s"), "{msg}");
    }

    #[test]
    fn poll_errors_stop_the_wait() {
        let waiter = Waiter::new("x", Duration::from_secs(5));
        let err = rt().block_on(waiter.wait(|| async { Err::<Poll<()>, _>(Error::failed("state failed")) })).unwrap_err();
        assert_eq!(err.to_string(), "state failed");
    }
}
