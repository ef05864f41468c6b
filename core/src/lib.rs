//! Psyter's client core: everything a shell shows comes from here and everything a user does goes
//! through here. `Psyter::open(config)` gives the object tree (auth, providers, appointments,
//! availability, sync, reminders, settings) of one profile; below it sit the API client, the session,
//! the keychain, the encrypted cache and the outbox.

pub mod api;
pub mod cache;
mod client;
pub mod error;
pub mod events;
pub mod platform;
pub mod profile;
pub mod reminders;
pub mod secret;
mod session;
pub mod video;

pub use client::{
    ActionOutcome, AppointmentView, Appointments, Auth, Availability, BookOutcome, CallControls, CallView,
    ChangePolicy, Config, LocalSettings, PendingAction, ProviderResults, Providers, Psyter, Reminders, Settings, Stats,
    SyncEngine, SyncLoop, SyncReport, UnlockMethod, Video, VideoCall, ViewPage,
};
pub use error::{CoreError, ErrorKind};
pub use psyter_i18n as i18n;
pub use session::SessionPhase;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
uniffi::use_remote_type!(psyter_domain::Timestamp);
#[cfg(feature = "uniffi")]
use jiff::Timestamp;
