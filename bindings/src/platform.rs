//! The platform services a shell implements (Keychain/Keystore, biometric prompt, network path,
//! local notifications) as foreign traits, and the adapters that hand them to the core as its own
//! traits. A service that throws becomes a typed core error, never a crash.

use std::sync::Arc;

use psyter_core::CoreError;
use psyter_core::platform::{
    BiometricGate as CoreBiometricGate, BiometricOutcome, NetworkMonitor as CoreNetworkMonitor,
    NotificationScheduler as CoreNotificationScheduler,
};
use psyter_core::reminders::Reminder;
use psyter_core::secret::{Secret, SecretStore as CoreSecretStore};

use crate::PlatformError;

/// The OS keychain: iOS Keychain Services, Android Keystore-wrapped storage.
#[uniffi::export(with_foreign)]
pub trait SecretStore: Send + Sync {
    /// The secret stored under `key`, or nothing.
    fn get(&self, key: String) -> Result<Option<Vec<u8>>, PlatformError>;
    /// Stores `value` under `key`, replacing any previous one.
    fn set(&self, key: String, value: Vec<u8>) -> Result<(), PlatformError>;
    /// Removes the secret under `key`; a missing key is not an error.
    fn delete(&self, key: String) -> Result<(), PlatformError>;
}

/// The biometric prompt (Face ID / Touch ID, BiometricPrompt); may block while it is shown.
#[uniffi::export(with_foreign)]
pub trait BiometricGate: Send + Sync {
    /// Shows the prompt with `reason` and returns what the user did.
    fn authenticate(&self, reason: String) -> BiometricOutcome;
}

/// The platform's network path (NWPathMonitor, ConnectivityManager); call
/// `PsyterClient::network_changed` when it changes.
#[uniffi::export(with_foreign)]
pub trait NetworkMonitor: Send + Sync {
    /// Whether a network path is available right now.
    fn is_online(&self) -> bool;
}

/// Local notifications (UNUserNotificationCenter, WorkManager/AlarmManager).
#[uniffi::export(with_foreign)]
pub trait NotificationScheduler: Send + Sync {
    /// Schedules (or replaces) the reminder with `reminder.id`.
    fn schedule(&self, reminder: Reminder) -> Result<(), PlatformError>;
    /// Withdraws the reminder with `id`; an unknown id is not an error.
    fn cancel(&self, id: String) -> Result<(), PlatformError>;
}

/// The shell's keychain as the core's `SecretStore`.
pub(crate) struct SecretsAdapter(pub Arc<dyn SecretStore>);

impl CoreSecretStore for SecretsAdapter {
    fn get(&self, key: &str) -> Result<Option<Secret>, CoreError> {
        self.0.get(key.to_owned()).map(|v| v.map(Secret::new)).map_err(PlatformError::into_keychain)
    }

    fn set(&self, key: &str, value: &Secret) -> Result<(), CoreError> {
        if value.is_empty() {
            return Err(CoreError::Keychain { detail: "refusing to store an empty secret".into() });
        }
        self.0.set(key.to_owned(), value.expose().to_vec()).map_err(PlatformError::into_keychain)
    }

    fn delete(&self, key: &str) -> Result<(), CoreError> {
        self.0.delete(key.to_owned()).map_err(PlatformError::into_keychain)
    }
}

/// The shell's biometric prompt as the core's `BiometricGate`.
pub(crate) struct BiometricAdapter(pub Arc<dyn BiometricGate>);

impl CoreBiometricGate for BiometricAdapter {
    fn authenticate(&self, reason: &str) -> BiometricOutcome {
        self.0.authenticate(reason.to_owned())
    }
}

/// The shell's network path as the core's `NetworkMonitor`.
pub(crate) struct NetworkAdapter(pub Arc<dyn NetworkMonitor>);

impl CoreNetworkMonitor for NetworkAdapter {
    fn is_online(&self) -> bool {
        self.0.is_online()
    }
}

/// The shell's notifications as the core's `NotificationScheduler`.
pub(crate) struct NotificationsAdapter(pub Arc<dyn NotificationScheduler>);

impl CoreNotificationScheduler for NotificationsAdapter {
    fn schedule(&self, reminder: &Reminder) -> Result<(), CoreError> {
        self.0.schedule(reminder.clone()).map_err(PlatformError::into_platform)
    }

    fn cancel(&self, id: &str) -> Result<(), CoreError> {
        self.0.cancel(id.to_owned()).map_err(PlatformError::into_platform)
    }
}
