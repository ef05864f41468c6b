//! The desktop [`SecretStore`]: the OS keychain through the keyring crate family (`keyring-core` 1.x).
//!
//! **Linux** (the only platform wired here):
//! - First choice, the **Secret Service** (`org.freedesktop.secrets` on the session bus: gnome-keyring,
//!   KWallet, KeePassXC) through `zbus-secret-service-keyring-store`: pure-Rust D-Bus (zbus), secrets
//!   encrypted on the bus with the Diffie-Hellman session and RustCrypto AES (`crypto-rust`, no OpenSSL).
//!   Items go to the default ("login") collection with the attributes `service` and `username` (the
//!   [`SecretKey`](super::SecretKey)), labelled `keyring:<key>@<service>`; they persist on disk,
//!   encrypted with the user's login password. The runtime feature is `rt-async-io`: zbus then drives
//!   its connection on its own executor thread and its blocking calls are plain `block_on`s, so they
//!   work from any thread, including a tokio worker. The `rt-tokio` feature would instead block on a
//!   private tokio runtime, which panics when called from inside the app's runtime. Either way the calls
//!   block: async code uses `spawn_blocking`.
//! - Fallback, **kernel keyutils** (`linux-keyutils-keyring-store`) when no Secret Service answers, e.g.
//!   on a headless machine. Keyutils keys live in kernel memory, in the session keyring (linked to the
//!   user's persistent keyring when the kernel allows): they do **not** survive a reboot, so the user
//!   signs in again and the encrypted cache is rebuilt from the server. A secret written while the
//!   Secret Service was unreachable is not seen once it is back (and vice versa).
//!
//! **Other platforms**: [`KeyringStore::open`] returns `KeychainUnavailable`; the macOS and Windows
//! stores of the keyring family are not wired in this build, and the mobile (and any other) shells
//! supply their own [`SecretStore`] through the bindings.
//!
//! Zeroing is best effort: [`Secret`] wipes the core's copies, but the D-Bus transport and the keychain
//! crates hold short-lived copies of their own. Errors and logs never contain secret bytes; they name
//! the failed operation and the platform's reason only (not even the key, which names a profile).

use super::{Secret, SecretStore, check_entry};
use crate::CoreError;
use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use std::sync::Arc;

/// Which keychain backends [`KeyringStore::open_with`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backends {
    /// The Secret Service, else kernel keyutils (what [`KeyringStore::open`] does).
    Auto,
    /// Only the Secret Service: fail when it does not answer.
    SecretService,
    /// Only kernel keyutils (skips the Secret Service); secrets are lost on reboot.
    Keyutils,
}

/// The OS keychain behind [`SecretStore`], for one service (app) name such as [`super::SERVICE`].
#[derive(Clone)]
pub struct KeyringStore {
    /// The keychain service the secrets are filed under.
    service: String,
    /// The backend chosen at open: [`KeyringStore::SECRET_SERVICE`] or [`KeyringStore::KEYUTILS`].
    backend: &'static str,
    /// The keyring-core store of that backend.
    store: Arc<CredentialStore>,
}

impl KeyringStore {
    /// [`KeyringStore::backend`] of a store on the Secret Service.
    pub const SECRET_SERVICE: &'static str = "secret-service";
    /// [`KeyringStore::backend`] of a store on kernel keyutils.
    pub const KEYUTILS: &'static str = "keyutils";

    /// Opens the best keychain available: the Secret Service, else keyutils; `KeychainUnavailable`
    /// with the reasons of both when neither works.
    pub fn open(service: &str) -> Result<Self, CoreError> {
        Self::open_with(service, Backends::Auto)
    }

    /// Opens the keychain restricted to `backends`, probing each candidate with a lookup.
    pub fn open_with(service: &str, backends: Backends) -> Result<Self, CoreError> {
        if service.is_empty() {
            return Err(CoreError::Keychain { detail: "the keychain service name is empty".into() });
        }
        let store = platform::open(service, backends)?;
        tracing::info!(backend = store.backend, "keychain opened");
        Ok(store)
    }

    /// Which backend was chosen: `"secret-service"` or `"keyutils"`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The keychain service the secrets are filed under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Wraps a backend's store after checking that it answers a lookup.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn probed(service: &str, backend: &'static str, store: Arc<CredentialStore>) -> Result<Self, String> {
        let this = Self { service: service.to_string(), backend, store };
        let entry = this.store.build(&this.service, "psyter-keychain-probe", None).map_err(|e| describe(&e))?;
        match entry.get_secret() {
            Ok(_) | Err(KeyringError::NoEntry) => Ok(this),
            Err(e) => Err(describe(&e)),
        }
    }

    /// The keyring entry for `key` (no keychain access yet).
    fn entry(&self, key: &str) -> Result<Entry, CoreError> {
        self.store.build(&self.service, key, None).map_err(|e| map_error("address the keychain entry", e))
    }
}

impl std::fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringStore").field("service", &self.service).field("backend", &self.backend).finish()
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<Secret>, CoreError> {
        check_entry(key, None)?;
        self.run(key, |entry| match entry.get_secret() {
            Ok(bytes) => Ok(Some(Secret::new(bytes))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map_error("read a secret", e)),
        })
    }

    fn set(&self, key: &str, value: &Secret) -> Result<(), CoreError> {
        check_entry(key, Some(value))?;
        let value = value.clone();
        self.run(key, move |entry| entry.set_secret(value.expose()).map_err(|e| map_error("store a secret", e)))
    }

    fn delete(&self, key: &str) -> Result<(), CoreError> {
        check_entry(key, None)?;
        self.run(key, |entry| match entry.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(map_error("delete a secret", e)),
        })
    }
}

impl KeyringStore {
    /// Runs `op` on the entry for `key`: on the keyutils thread for keyutils (see
    /// [`on_keyutils_thread`]), else right here.
    fn run<T: Send + 'static>(
        &self,
        key: &str,
        op: impl FnOnce(&Entry) -> Result<T, CoreError> + Send + 'static,
    ) -> Result<T, CoreError> {
        if self.backend != Self::KEYUTILS {
            return op(&self.entry(key)?);
        }
        let (this, key) = (self.clone(), key.to_owned());
        on_keyutils_thread(move || op(&this.entry(&key)?))?
    }
}

/// A job for the keyutils thread.
type Job = Box<dyn FnOnce() + Send>;

/// Runs `f` on the one thread of this process that talks to keyutils, and waits for its result.
///
/// Kernel keyrings are per-thread credentials: a thread without a session keyring gets a new anonymous
/// one the first time the keyutils store links the persistent keyring, so keys stored from one thread
/// may be invisible, or stale, from another (seen with tokio's blocking pool). One thread keeps one
/// session keyring for the whole process.
fn on_keyutils_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, CoreError> {
    static JOBS: std::sync::OnceLock<Option<std::sync::Mutex<std::sync::mpsc::Sender<Job>>>> =
        std::sync::OnceLock::new();
    let unavailable = || CoreError::KeychainUnavailable { detail: "the keyutils thread is not running".into() };
    let jobs = JOBS.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("psyter-keyutils".into())
            .spawn(move || rx.into_iter().for_each(|job| job()))
            .ok()
            .map(|_| std::sync::Mutex::new(tx))
    });
    let (done_tx, done_rx) = std::sync::mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        let _ = done_tx.send(f());
    });
    jobs.as_ref()
        .ok_or_else(unavailable)?
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .send(job)
        .map_err(|_| unavailable())?;
    done_rx.recv().map_err(|_| unavailable())
}

/// Converts a keyring error into the core's, keeping the platform's reason but never data.
fn map_error(op: &str, err: KeyringError) -> CoreError {
    match err {
        KeyringError::NoStorageAccess(e) => CoreError::KeychainUnavailable {
            detail: format!("could not {op}: the keychain is locked or refused access ({e})"),
        },
        other => CoreError::Keychain { detail: format!("could not {op}: {}", describe(&other)) },
    }
}

/// A keyring error in words, without the secret bytes some variants carry.
fn describe(err: &KeyringError) -> String {
    match err {
        KeyringError::PlatformFailure(e) => format!("platform failure: {e}"),
        KeyringError::NoStorageAccess(e) => format!("no access to the keychain: {e}"),
        KeyringError::NoEntry => "no such entry".into(),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => "the stored data is malformed".into(),
        KeyringError::BadStoreFormat(why) => format!("the keychain is malformed: {why}"),
        KeyringError::TooLong(what, limit) => format!("{what} is longer than the keychain's limit of {limit}"),
        KeyringError::Invalid(what, why) => format!("invalid {what}: {why}"),
        KeyringError::Ambiguous(entries) => format!("{} keychain items match the key", entries.len()),
        KeyringError::NotSupportedByStore(why) => format!("not supported by this keychain: {why}"),
        _ => "unexpected keychain error".into(),
    }
}

#[cfg(target_os = "linux")]
mod platform {
    //! Linux: the Secret Service, else kernel keyutils.

    use super::{Backends, KeyringStore, describe};
    use crate::CoreError;

    /// Opens the first backend of `backends` that answers.
    pub(super) fn open(service: &str, backends: Backends) -> Result<KeyringStore, CoreError> {
        let secret_service_failed = match backends {
            Backends::Keyutils => None,
            Backends::Auto | Backends::SecretService => match secret_service(service) {
                Ok(store) => return Ok(store),
                Err(why) => Some(why),
            },
        };
        if let (Backends::SecretService, Some(why)) = (backends, &secret_service_failed) {
            return Err(CoreError::KeychainUnavailable {
                detail: format!(
                    "no Secret Service on the session bus (is gnome-keyring or KWallet running, and \
                     DBUS_SESSION_BUS_ADDRESS set?): {why}"
                ),
            });
        }
        match (keyutils(service), secret_service_failed) {
            (Ok(store), None) => Ok(store),
            (Ok(store), Some(why)) => {
                tracing::warn!(
                    reason = %why,
                    "no Secret Service; keeping secrets in kernel keyutils, which are lost on reboot"
                );
                Ok(store)
            }
            (Err(keyutils_why), Some(why)) => Err(CoreError::KeychainUnavailable {
                detail: format!(
                    "no Secret Service on the session bus (is gnome-keyring or KWallet running, and \
                     DBUS_SESSION_BUS_ADDRESS set?) and kernel keyutils unavailable (is the keyctl \
                     system call blocked, e.g. by a container's seccomp profile?). Secret Service: \
                     {why}; keyutils: {keyutils_why}"
                ),
            }),
            (Err(keyutils_why), None) => Err(CoreError::KeychainUnavailable {
                detail: format!(
                    "kernel keyutils unavailable (is the keyctl system call blocked, e.g. by a \
                     container's seccomp profile?): {keyutils_why}"
                ),
            }),
        }
    }

    /// Connects to the Secret Service and checks that it answers.
    fn secret_service(service: &str) -> Result<KeyringStore, String> {
        let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| describe(&e))?;
        KeyringStore::probed(service, KeyringStore::SECRET_SERVICE, store)
    }

    /// Opens kernel keyutils and checks that the session keyring can be searched.
    fn keyutils(service: &str) -> Result<KeyringStore, String> {
        let service = service.to_owned();
        super::on_keyutils_thread(move || {
            let store = linux_keyutils_keyring_store::Store::new().map_err(|e| describe(&e))?;
            KeyringStore::probed(&service, KeyringStore::KEYUTILS, store)
        })
        .map_err(|e| e.to_string())?
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    //! Not wired on this platform: the shell supplies its own SecretStore.

    use super::{Backends, KeyringStore};
    use crate::CoreError;

    /// Always unavailable here.
    pub(super) fn open(_service: &str, _backends: Backends) -> Result<KeyringStore, CoreError> {
        Err(CoreError::KeychainUnavailable {
            detail: "this build wires only the Linux keychains (Secret Service, keyutils); on this \
                     platform the app supplies its own SecretStore"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_carry_secret_bytes() {
        let leaky = [
            KeyringError::BadEncoding(b"canary-secret".to_vec()),
            KeyringError::BadDataFormat(b"canary-secret".to_vec(), "canary-secret".into()),
        ];
        for err in leaky {
            let mapped = map_error("read a secret", err);
            assert_eq!(mapped.code(), "keychain");
            assert!(!format!("{mapped} {mapped:?}").contains("canary"), "{mapped:?}");
        }
    }

    #[test]
    fn locked_keychains_are_unavailable_and_say_why() {
        let err = map_error("store a secret", KeyringError::NoStorageAccess("collection is locked".into()));
        assert_eq!(err.code(), "keychain_unavailable");
        assert!(err.to_string().contains("could not store a secret"), "{err}");
        assert!(err.to_string().contains("collection is locked"), "{err}");
    }

    #[test]
    fn an_empty_service_is_refused() {
        assert_eq!(
            KeyringStore::open_with("", Backends::Keyutils).map(|s| s.backend()).map_err(|e| e.code().to_string()),
            Err("keychain".into())
        );
    }
}
