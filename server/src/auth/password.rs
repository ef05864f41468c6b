//! argon2id password hashing, run off the async executor.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{ApiError, ApiResult};

/// OWASP's minimum recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` into a PHC string (blocking; call from a blocking context).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Hashes `password` on the blocking pool.
pub async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(ApiError::Internal)
}

/// Checks `password` against `phc`; with no stored hash it still spends the same time (and fails), so
/// response time does not reveal whether an account exists.
pub async fn verify(password: String, phc: Option<String>) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || {
        let real = phc.is_some();
        let phc = match phc {
            Some(p) => p,
            None => hash_blocking("decoy-password-for-timing").unwrap_or_default(),
        };
        let ok =
            PasswordHash::new(&phc).map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false);
        real && ok
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}
