//! One background follower per service (the window that follows the chat
//! or the history): starting a new one stops the last, as a view mounted
//! again replaces the one before. What it is not: the updates themselves.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::runtime::Handle;
use tokio::task::AbortHandle;

/// The running follower, if any, and where followers run. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct OneFollower {
    current: Arc<Mutex<Option<AbortHandle>>>,
    /// The runtime the owner was made on (commands may call from outside it).
    runtime: Option<Handle>,
}

impl OneFollower {
    /// A slot on the current runtime, when there is one.
    pub(crate) fn new() -> Self {
        Self {
            current: Arc::default(),
            runtime: Handle::try_current().ok(),
        }
    }

    /// Runs `work` as the follower, stopping the one before.
    pub(crate) fn replace(&self, work: impl Future<Output = ()> + Send + 'static) {
        let task = match &self.runtime {
            Some(runtime) => runtime.spawn(work),
            None => tokio::spawn(work),
        };
        let previous = self
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(task.abort_handle());
        if let Some(previous) = previous {
            previous.abort();
        }
    }
}
