//! Runs over many independent items (instances, images, regions) where one item's
//! failure must not stop the rest: each failure is logged on its own line as it happens,
//! and the run as a whole fails (status 1) at the end if any item did.

use crate::error::{Error, Outcome, Result};

/// Runs the futures at most `limit` at a time (at least one), results in input order:
/// `--jobs 1` is a sequential run, a higher limit keeps throttling at bay on big runs.
pub async fn at_most<F: std::future::Future>(futures: impl IntoIterator<Item = F>, limit: usize) -> Vec<F::Output> {
    use futures_util::stream::{self, StreamExt};
    stream::iter(futures).buffered(limit.max(1)).collect().await
}

#[derive(Debug, Default)]
pub struct Batch {
    done: usize,
    failed: Vec<String>,
}

impl Batch {
    pub fn new() -> Self {
        Batch::default()
    }

    /// Keeps an item's value, or logs its failure and goes on. Interrupts and a closed
    /// stdout are not an item's failure: they end the run, so they are handed back.
    pub fn record<T>(&mut self, item: &str, result: Result<T>) -> Result<Option<T>> {
        match result {
            Ok(v) => {
                self.done += 1;
                Ok(Some(v))
            }
            Err(e @ (Error::Interrupted | Error::ClosedStdout)) => Err(e),
            Err(e) => {
                tracing::error!("{item}: {e}");
                self.failed.push(item.to_owned());
                Ok(None)
            }
        }
    }

    pub fn failures(&self) -> &[String] {
        &self.failed
    }

    /// Success when nothing failed; otherwise one error counting and naming the failures.
    pub fn finish(self) -> Result<Outcome> {
        if self.failed.is_empty() {
            return Ok(Outcome::Success);
        }
        let total = self.done + self.failed.len();
        Err(Error::failed(format!("{} of {total} items failed: {}", self.failed.len(), self.failed.join(", "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_counted_and_the_rest_kept() {
        let mut batch = Batch::new();
        assert_eq!(batch.record("a", Ok(1)).unwrap(), Some(1));
        assert_eq!(batch.record::<i32>("b", Err(Error::failed("boom"))).unwrap(), None);
        assert_eq!(batch.record("c", Ok(3)).unwrap(), Some(3));
        assert_eq!(batch.failures(), ["b"]);
        let err = batch.finish().unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert_eq!(err.to_string(), "1 of 3 items failed: b");
    }

    #[tokio::test]
    async fn at_most_keeps_the_order_and_the_limit() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (running, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let tasks = (0..10u64).map(|i| {
            let (running, peak) = (&running, &peak);
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(10 - i)).await;
                running.fetch_sub(1, Ordering::SeqCst);
                i
            }
        });
        assert_eq!(at_most(tasks, 3).await, (0..10).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 3);
        assert_eq!(at_most(std::iter::once(async { 1 }), 0).await, vec![1], "a limit of 0 still runs");
    }

    #[test]
    fn interrupts_end_the_run() {
        let mut batch = Batch::new();
        assert!(matches!(batch.record::<()>("a", Err(Error::Interrupted)), Err(Error::Interrupted)));
        assert!(matches!(batch.record::<()>("a", Err(Error::ClosedStdout)), Err(Error::ClosedStdout)));
        assert_eq!(Batch::new().finish().unwrap(), Outcome::Success);
    }
}
