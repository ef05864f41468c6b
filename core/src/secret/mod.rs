//! Secret storage in the OS keychain: the refresh token and the cache key live here and nowhere else.
//!
//! [`SecretStore`] is the one interface the core uses. It is synchronous and object safe so that the
//! mobile shells can implement it over the iOS Keychain and the Android Keystore through the bindings
//! (UniFFI foreign traits); on desktop Linux the core brings its own, [`KeyringStore`]. Keychain calls
//! may block (D-Bus round trips, an unlock prompt): async code calls them from
//! `tokio::task::spawn_blocking`.
//!
//! Values are [`Secret`]s: bytes that are wiped from memory when dropped and never printed. Keys are
//! per-profile account names built by [`SecretKey`], so two signed-in profiles never share a secret.

mod keyring;
#[cfg(any(test, feature = "test-support"))]
mod memory;

pub use keyring::{Backends, KeyringStore};
#[cfg(any(test, feature = "test-support"))]
pub use memory::MemoryStore;

use crate::CoreError;
use rand::TryRngCore;
use zeroize::{ZeroizeOnDrop, Zeroizing};

/// The keychain service name the apps store their secrets under.
pub const SERVICE: &str = "app.psyter";

/// A platform keychain: stores small secrets by key, for one service (app).
pub trait SecretStore: Send + Sync {
    /// Reads the secret stored under `key`; `Ok(None)` when there is none.
    fn get(&self, key: &str) -> Result<Option<Secret>, CoreError>;
    /// Stores `value` under `key`, replacing any previous value. Empty values are refused.
    fn set(&self, key: &str, value: &Secret) -> Result<(), CoreError>;
    /// Removes the secret stored under `key`; removing a key that does not exist is not an error.
    fn delete(&self, key: &str) -> Result<(), CoreError>;
}

/// Secret bytes (a token or a key): zeroed on drop, never shown by `Debug`, not `Display`able.
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<Vec<u8>>);

// `Zeroizing` wipes the buffer when a `Secret` is dropped.
impl ZeroizeOnDrop for Secret {}

impl Secret {
    /// Wraps bytes, taking ownership so no unzeroed copy is left behind.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// `len` random bytes from the operating system's CSPRNG (e.g. a 32-byte cache key).
    pub fn random(len: usize) -> Result<Self, CoreError> {
        let mut bytes = Zeroizing::new(vec![0u8; len]);
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| CoreError::Internal { detail: format!("the system random generator failed: {e}") })?;
        Ok(Self(bytes))
    }

    /// The secret bytes, for handing to the one place that needs them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The secret as text (tokens are ASCII), or `None` if it is not UTF-8.
    pub fn expose_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for Secret {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for Secret {
    fn from(text: String) -> Self {
        Self::new(text.into_bytes())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(**redacted**)")
    }
}

/// A keychain account name, namespaced by profile: `<profile>/refresh_token`, `<profile>/cache_key`,
/// `<profile>/outbox_key`.
///
/// The profile should be the core's opaque profile id, not an email: key names are not secret and
/// show in keychain managers such as Seahorse.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey(String);

impl SecretKey {
    /// Where a profile's refresh token is kept.
    pub fn refresh_token(profile: &str) -> Self {
        Self(format!("{profile}/refresh_token"))
    }

    /// Where a profile's encrypted-cache key is kept.
    pub fn cache_key(profile: &str) -> Self {
        Self(format!("{profile}/cache_key"))
    }

    /// Where a profile's outbox key is kept (separate from the cache key, so a cache rebuild after a
    /// wrong key never takes the queued actions with it).
    pub fn outbox_key(profile: &str) -> Self {
        Self(format!("{profile}/outbox_key"))
    }

    /// Every key a profile owns, for logout and account removal.
    pub fn all_for(profile: &str) -> [Self; 3] {
        [Self::refresh_token(profile), Self::cache_key(profile), Self::outbox_key(profile)]
    }

    /// The account name to pass to a [`SecretStore`].
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SecretKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The error for an empty key or value, shared by the stores.
fn check_entry(key: &str, value: Option<&Secret>) -> Result<(), CoreError> {
    if key.is_empty() {
        return Err(CoreError::Keychain { detail: "the keychain key is empty".into() });
    }
    if value.is_some_and(Secret::is_empty) {
        return Err(CoreError::Keychain { detail: "refusing to store an empty secret".into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let secret = Secret::from("hunter2-canary".to_string());
        let shown = format!("{secret:?} {:?} {secret:#?}", Some(&secret));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("Secret(**redacted**)"));
        assert_eq!(secret.expose_str(), Some("hunter2-canary"));
    }

    #[test]
    fn random_secrets_have_the_length_and_differ() {
        let a = Secret::random(32).expect("os rng");
        let b = Secret::random(32).expect("os rng");
        assert_eq!((a.len(), b.len()), (32, 32));
        assert_ne!(a.expose(), b.expose());
        assert!(Secret::random(0).expect("os rng").is_empty());
    }

    #[test]
    fn keys_are_namespaced_per_profile() {
        assert_eq!(SecretKey::refresh_token("p1").as_str(), "p1/refresh_token");
        assert_eq!(SecretKey::cache_key("p1").to_string(), "p1/cache_key");
        assert_ne!(SecretKey::cache_key("p1"), SecretKey::cache_key("p2"));
        assert_eq!(SecretKey::all_for("p1")[0], SecretKey::refresh_token("p1"));
    }

    #[test]
    fn empty_keys_and_values_are_refused() {
        assert_eq!(check_entry("", None).map_err(|e| e.code().to_string()), Err("keychain".into()));
        assert!(check_entry("k", Some(&Secret::default())).is_err());
        assert!(check_entry("k", Some(&Secret::from(vec![1]))).is_ok());
    }
}
