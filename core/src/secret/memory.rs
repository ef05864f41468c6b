//! An in-memory [`SecretStore`] for tests of the modules that use one. NOT for production: nothing
//! survives the process and nothing is protected by the operating system.

use super::{Secret, SecretStore, check_entry};
use crate::CoreError;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A test double for the keychain (only with `cfg(test)` or the `test-support` feature).
#[derive(Default)]
pub struct MemoryStore {
    /// Secrets by key.
    entries: Mutex<HashMap<String, Secret>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The keys currently stored, sorted (to assert that logout removed everything).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.lock().keys().cloned().collect();
        keys.sort();
        keys
    }

    /// The map, even if a panicking test poisoned the lock.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Secret>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").field("keys", &self.keys()).finish()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Secret>, CoreError> {
        check_entry(key, None)?;
        Ok(self.lock().get(key).cloned())
    }

    fn set(&self, key: &str, value: &Secret) -> Result<(), CoreError> {
        check_entry(key, Some(value))?;
        self.lock().insert(key.to_string(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), CoreError> {
        check_entry(key, None)?;
        self.lock().remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretKey;

    #[test]
    fn behaves_like_a_keychain() {
        let store = MemoryStore::new();
        let key = SecretKey::refresh_token("p");
        assert!(store.get(key.as_str()).expect("get").is_none());
        store.set(key.as_str(), &Secret::from(b"one".to_vec())).expect("set");
        store.set(key.as_str(), &Secret::from(b"two".to_vec())).expect("overwrite");
        assert_eq!(store.get(key.as_str()).expect("get").map(|s| s.expose().to_vec()), Some(b"two".to_vec()));
        assert_eq!(store.keys(), vec!["p/refresh_token".to_string()]);
        store.delete(key.as_str()).expect("delete");
        store.delete(key.as_str()).expect("delete again");
        assert!(store.get(key.as_str()).expect("get").is_none());
        assert!(!format!("{store:?}").contains("two"));
    }
}
