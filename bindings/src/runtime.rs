//! The core's tokio runtime and the guards every exported call goes through: async calls run as tasks
//! on the runtime (the foreign executor only polls the join handle), sync calls run under
//! `catch_unwind`; either way a panic comes back as `PsyterError::Internal`, never as a crash.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};

use psyter_core::CoreError;
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::PsyterError;

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The shared runtime, built on first use (`init_platform` builds it up front).
pub(crate) fn runtime() -> &'static Runtime {
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("psyter-core")
            .enable_all()
            .build()
            .expect("the core cannot run without a tokio runtime")
    })
}

/// Runs `work` on the core's runtime and waits for it, turning a panic into an error.
pub(crate) async fn run<T, F>(work: F) -> Result<T, PsyterError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, CoreError>> + Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    // Boxed to one type, so tokio's task machinery is instantiated once rather than once per exported
    // method (that alone was most of a megabyte of the shipped library).
    let task: Pin<Box<dyn Future<Output = ()> + Send>> = Box::pin(async move {
        let _ = tx.send(work.await);
    });
    match runtime().spawn(task).await {
        Ok(()) => match rx.await {
            Ok(result) => result.map_err(PsyterError::from),
            Err(_) => Err(cancelled()),
        },
        Err(join) if join.is_panic() => {
            tracing::error!("a core task panicked; the call fails with `internal`");
            Err(PsyterError::panicked())
        }
        Err(_) => Err(cancelled()),
    }
}

/// The error for a task the runtime dropped without finishing (only at shutdown).
fn cancelled() -> PsyterError {
    PsyterError::Internal { code: "internal".into(), detail: "the call was cancelled".into() }
}

/// Runs a synchronous call, turning a panic into an error.
pub(crate) fn guard<T>(work: impl FnOnce() -> Result<T, CoreError>) -> Result<T, PsyterError> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(result) => result.map_err(PsyterError::from),
        Err(_) => {
            tracing::error!("a core call panicked; the call fails with `internal`");
            Err(PsyterError::panicked())
        }
    }
}

/// A running subscription (sync status, events, call state): `cancel()` or dropping it stops it.
#[derive(uniffi::Object)]
pub struct TaskHandle {
    task: Mutex<Option<JoinHandle<()>>>,
}

impl TaskHandle {
    /// Spawns `work` on the runtime and returns the handle that owns it.
    pub(crate) fn spawn(work: impl Future<Output = ()> + Send + 'static) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self { task: Mutex::new(Some(runtime().spawn(work))) })
    }
}

#[uniffi::export]
impl TaskHandle {
    /// Stops the subscription; no callback runs after this returns (idempotent).
    pub fn cancel(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|p| p.into_inner()).take() {
            task.abort();
        }
    }

    /// Whether the subscription has stopped (cancelled, or its source closed).
    pub fn is_finished(&self) -> bool {
        self.task.lock().unwrap_or_else(|p| p.into_inner()).as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_call_is_an_internal_error() {
        let err = guard::<()>(|| panic!("boom")).expect_err("a panic is an error");
        assert!(matches!(err, PsyterError::Internal { ref code, .. } if code == "internal"), "{err:?}");
        let err = runtime().block_on(run::<(), _>(async { panic!("boom") })).expect_err("a panic is an error");
        assert!(matches!(err, PsyterError::Internal { .. }), "{err:?}");
    }

    #[test]
    fn dropping_a_handle_stops_its_task() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let handle = TaskHandle::spawn(async move {
            let _tx = tx; // dropped when the task is aborted
            std::future::pending::<()>().await;
        });
        assert!(!handle.is_finished());
        drop(handle);
        let outcome = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(outcome, Err(std::sync::mpsc::RecvTimeoutError::Disconnected), "the task still holds its sender");
    }
}
