//! psyter-ffi: the one thin UniFFI layer over psyter-core. It exposes the core's object tree
//! (`PsyterClient` -> auth, providers, appointments, availability, sync, reminders, settings, video)
//! with async methods that run on the core's tokio runtime, the core's own records and enums (derived
//! under its `uniffi` feature), one error enum with stable codes (`PsyterError`), and the platform
//! services the shells implement as foreign traits (`SecretStore`, `BiometricGate`,
//! `NotificationScheduler`, `NetworkMonitor`, `MediaEngine`, `Logger`). No panic crosses the boundary:
//! every call runs inside a guard that turns one into `PsyterError::Internal`.

mod api;
mod client;
mod error;
mod logging;
mod media;
mod platform;
mod runtime;
mod video;

pub use api::{AppointmentsApi, AuthApi, AvailabilityApi, ProvidersApi, RemindersApi, SettingsApi, SyncApi};
pub use client::{ClientConfig, CoreEventListener, PsyterClient, SyncStatusListener};
pub use error::{PlatformError, PsyterError};
pub use logging::{LogLevel, Logger, PlatformConfig, init_platform};
pub use media::{EngineListener, MediaEngine};
pub use platform::{BiometricGate, NetworkMonitor, NotificationScheduler, SecretStore};
pub use runtime::TaskHandle;
pub use video::{CallSession, CallViewListener, VideoApi};

uniffi::setup_scaffolding!();
uniffi::use_remote_type!(psyter_domain::Timestamp);
use jiff::Timestamp;

/// Panics inside the core on purpose, through the same guard every call uses (test builds only).
#[cfg(feature = "test-hooks")]
#[uniffi::export]
pub async fn trigger_panic(message: String) -> Result<(), PsyterError> {
    runtime::run(async move { panic!("{message}") }).await
}

/// Panics on the calling thread on purpose, through the synchronous guard (test builds only).
#[cfg(feature = "test-hooks")]
#[uniffi::export]
pub fn trigger_panic_blocking(message: String) -> Result<(), PsyterError> {
    runtime::guard(move || panic!("{message}"))
}
