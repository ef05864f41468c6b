//! A user profile on this device: its directory, files and keychain entries, and the small plain record
//! saying who is signed in there. The record holds no secret and no health data: an opaque user id, the
//! role and the server URL, so the core knows on start which keys and files belong together.

use std::path::{Path, PathBuf};

use psyter_domain::{Role, UserId};
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::secret::SecretKey;

/// The longest profile name.
const MAX_NAME: usize = 64;

/// Where one profile's data lives.
#[derive(Debug, Clone)]
pub struct ProfilePaths {
    /// The profile's name (also the keychain namespace).
    pub name: String,
    /// The profile's directory.
    pub dir: PathBuf,
}

/// Who is signed in on a profile (stored as `profile.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRecord {
    /// The signed-in user.
    pub user_id: UserId,
    /// Their role.
    pub role: Role,
    /// The server they signed in to.
    pub server: String,
}

impl ProfilePaths {
    /// The paths of profile `name` under `data_dir`. Names are 1-64 characters of `a-z`, `0-9`, `-` and
    /// `_`, so they are safe as directory names and keychain namespaces.
    pub fn new(data_dir: &Path, name: &str) -> Result<Self, CoreError> {
        let valid = !name.is_empty()
            && name.len() <= MAX_NAME
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !valid {
            return Err(CoreError::Validation {
                code: "invalid_profile".into(),
                detail: "a profile name is 1-64 characters of a-z, 0-9, - and _".into(),
            });
        }
        Ok(Self { name: name.to_owned(), dir: data_dir.join("profiles").join(name) })
    }

    /// The encrypted cache.
    pub fn cache(&self) -> PathBuf {
        self.dir.join("cache.db")
    }

    /// The encrypted outbox.
    pub fn outbox(&self) -> PathBuf {
        self.dir.join("outbox.db")
    }

    /// The plain record of who is signed in.
    pub fn record(&self) -> PathBuf {
        self.dir.join("profile.json")
    }

    /// Keychain entry of the refresh token.
    pub fn refresh_key(&self) -> SecretKey {
        SecretKey::refresh_token(&self.name)
    }

    /// Keychain entry of the cache key.
    pub fn cache_key(&self) -> SecretKey {
        SecretKey::cache_key(&self.name)
    }

    /// Keychain entry of the outbox key.
    pub fn outbox_key(&self) -> SecretKey {
        SecretKey::outbox_key(&self.name)
    }

    /// Creates the directory (private to the user on Unix).
    pub fn ensure_dir(&self) -> Result<(), CoreError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error("creating the profile directory", &e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io_error("protecting the profile directory", &e))?;
        }
        Ok(())
    }

    /// Reads the record, `None` when nobody has signed in on this profile (or it was signed out).
    pub fn read_record(&self) -> Result<Option<ProfileRecord>, CoreError> {
        match std::fs::read(self.record()) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|_| CoreError::Storage { detail: "the profile record does not decode".into() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("reading the profile record", &e)),
        }
    }

    /// Writes the record atomically (a temporary file renamed over the old one).
    pub fn write_record(&self, record: &ProfileRecord) -> Result<(), CoreError> {
        self.ensure_dir()?;
        let bytes = serde_json::to_vec_pretty(record)
            .map_err(|_| CoreError::Internal { detail: "the profile record does not encode".into() })?;
        let tmp = self.dir.join("profile.json.tmp");
        std::fs::write(&tmp, bytes).map_err(|e| io_error("writing the profile record", &e))?;
        std::fs::rename(&tmp, self.record()).map_err(|e| io_error("writing the profile record", &e))
    }

    /// Deletes the record; a missing one is not an error.
    pub fn delete_record(&self) -> Result<(), CoreError> {
        match std::fs::remove_file(self.record()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error("deleting the profile record", &e)),
            _ => Ok(()),
        }
    }
}

/// A file-system failure, described by operation and error kind only (paths can name the user).
fn io_error(what: &str, e: &std::io::Error) -> CoreError {
    CoreError::Storage { detail: format!("{what} failed: {}", e.kind()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_for_paths_and_keychains() {
        let base = Path::new("/data");
        let p = ProfilePaths::new(base, "qa-provider_2").expect("valid");
        assert_eq!(p.cache(), Path::new("/data/profiles/qa-provider_2/cache.db"));
        assert_eq!(p.outbox_key().as_str(), "qa-provider_2/outbox_key");
        for bad in ["", "../x", "A", "a b", "a/b", &"x".repeat(65), "é"] {
            assert_eq!(ProfilePaths::new(base, bad).expect_err(bad).code(), "invalid_profile", "{bad:?}");
        }
    }

    #[test]
    fn the_record_round_trips_and_deletes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = ProfilePaths::new(dir.path(), "default").expect("valid");
        assert_eq!(p.read_record().expect("read"), None);
        let rec = ProfileRecord { user_id: UserId::new(), role: Role::Patient, server: "http://127.0.0.1:1".into() };
        p.write_record(&rec).expect("write");
        assert_eq!(p.read_record().expect("read"), Some(rec));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p.dir).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
        p.delete_record().expect("delete");
        p.delete_record().expect("delete twice");
        assert_eq!(p.read_record().expect("read"), None);
    }
}
