//! Access tokens (HS256 JWTs, algorithm pinned) and opaque rotating refresh tokens with reuse detection.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use psyter_domain::{Role, UserId};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// The audience every access token is minted for.
pub const AUDIENCE: &str = "psyter-api";
/// The issuer named in every access token.
pub const ISSUER: &str = "psyter-server";

/// Claims carried by an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: String,
    /// The session (refresh-token family) id.
    pub sid: String,
    /// The user's role.
    pub role: Role,
    /// Audience.
    pub aud: String,
    /// Issuer.
    pub iss: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expiry (Unix seconds).
    pub exp: i64,
}

/// The audience of sandbox signalling tokens.
pub const SIGNALLING_AUDIENCE: &str = "psyter-signalling";

/// Claims of a sandbox signalling token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignallingClaims {
    /// The user id.
    pub sub: String,
    /// The channel this token admits to.
    pub channel: String,
    /// The user's uid in the channel.
    pub uid: u32,
    /// Audience.
    pub aud: String,
    /// Issuer.
    pub iss: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expiry (Unix seconds).
    pub exp: i64,
}

/// HMAC key material for access tokens.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Keys {
    /// Builds keys from a secret of at least 32 bytes.
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = 5;
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation }
    }

    /// Loads the server's signing secret from the database, creating it on first start.
    pub fn load_or_create(conn: &rusqlite::Connection) -> anyhow::Result<Self> {
        let existing: Option<Vec<u8>> =
            conn.query_row("SELECT value FROM server_secrets WHERE name = 'jwt_hs256'", [], |r| r.get(0)).optional()?;
        let secret = match existing {
            Some(s) => s,
            None => {
                let s: [u8; 32] = rand::random();
                conn.execute("INSERT INTO server_secrets (name, value) VALUES ('jwt_hs256', ?1)", [&s[..]])?;
                s.to_vec()
            }
        };
        Ok(Self::from_secret(&secret))
    }

    /// Mints an access token for `user` in session `sid`.
    pub fn mint(&self, user: UserId, role: Role, sid: &str, now: Timestamp, ttl: SignedDuration) -> ApiResult<String> {
        let claims = AccessClaims {
            sub: user.to_string(),
            sid: sid.to_owned(),
            role,
            aud: AUDIENCE.to_owned(),
            iss: ISSUER.to_owned(),
            iat: now.as_second(),
            exp: (now + ttl).as_second(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(e.into()))
    }

    /// Mints a sandbox signalling token for `channel` (audience `psyter-signalling`), valid until `exp`.
    pub fn mint_signalling(
        &self,
        user: UserId,
        channel: &str,
        uid: u32,
        now: Timestamp,
        exp: Timestamp,
    ) -> ApiResult<String> {
        let claims = SignallingClaims {
            sub: user.to_string(),
            channel: channel.to_owned(),
            uid,
            aud: SIGNALLING_AUDIENCE.to_owned(),
            iss: ISSUER.to_owned(),
            iat: now.as_second(),
            exp: exp.as_second(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(e.into()))
    }

    /// Verifies a sandbox signalling token: signature, algorithm, its own audience, issuer, expiry.
    pub fn verify_signalling(&self, token: &str, now: Timestamp) -> Option<SignallingClaims> {
        let mut validation = self.validation.clone();
        validation.validate_exp = false;
        validation.set_audience(&[SIGNALLING_AUDIENCE]);
        let data = jsonwebtoken::decode::<SignallingClaims>(token, &self.decoding, &validation).ok()?;
        (data.claims.exp > now.as_second() - validation.leeway as i64).then_some(data.claims)
    }

    /// Verifies signature, algorithm, audience, issuer and expiry against `now`.
    pub fn verify(&self, token: &str, now: Timestamp) -> Option<AccessClaims> {
        let mut validation = self.validation.clone();
        validation.validate_exp = false;
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation).ok()?;
        (data.claims.exp > now.as_second() - validation.leeway as i64).then_some(data.claims)
    }
}

/// A fresh opaque refresh token (256 random bits, base64url).
fn new_refresh_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Only hashes of refresh tokens are stored.
fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn refresh_error() -> ApiError {
    ApiError::Unauthorized { code: "invalid_refresh_token", detail: "the refresh token is invalid or expired" }
}

/// Starts a new session for `user` and returns `(session_id, refresh_token)`.
pub fn start_session(
    tx: &Transaction<'_>,
    user: UserId,
    now: Timestamp,
    ttl: SignedDuration,
) -> ApiResult<(String, String)> {
    let sid = uuid::Uuid::now_v7().to_string();
    tx.prepare_cached("INSERT INTO sessions (id, user_id, created_at) VALUES (?1, ?2, ?3)")?.execute(params![
        sid,
        user.to_string(),
        now.as_second()
    ])?;
    let token = insert_token(tx, &sid, now, ttl)?;
    Ok((sid, token))
}

fn insert_token(tx: &Transaction<'_>, sid: &str, now: Timestamp, ttl: SignedDuration) -> ApiResult<String> {
    let token = new_refresh_token();
    tx.prepare_cached("INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![digest(&token), sid, now.as_second(), (now + ttl).as_second()])?;
    Ok(token)
}

/// Revokes a whole session (token family).
pub fn revoke_session(tx: &Transaction<'_>, sid: &str, now: Timestamp, reason: &str) -> ApiResult<()> {
    tx.prepare_cached("UPDATE sessions SET revoked_at = ?2, revoked_reason = ?3 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![sid, now.as_second(), reason])?;
    Ok(())
}

/// Outcome of presenting a refresh token.
pub enum Rotation {
    /// A new token was issued for this user and session.
    Rotated {
        /// The user.
        user: UserId,
        /// The session id.
        sid: String,
        /// The replacement refresh token.
        token: String,
    },
    /// The token had already been used outside the grace window: the family is now revoked.
    ReuseDetected,
}

/// Exchanges `presented` for a new refresh token (RFC 9700 rotation). A token used again within `grace`
/// of its rotation (a lost response being retried) is exchanged once more, provided its replacement has
/// not itself been used; that replacement is then spent. Any other reuse (including of a spent
/// replacement) revokes the whole family.
pub fn rotate(
    tx: &Transaction<'_>,
    presented: &str,
    now: Timestamp,
    ttl: SignedDuration,
    grace: SignedDuration,
) -> ApiResult<Rotation> {
    let hash = digest(presented);
    let row = tx
        .query_row(
            "SELECT t.session_id, t.expires_at, t.used_at, t.replaced_by, s.user_id, s.revoked_at
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?1",
            [&hash],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<Vec<u8>>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((sid, expires_at, used_at, replaced_by, user, revoked_at)) = row else { return Err(refresh_error()) };
    if revoked_at.is_some() {
        return Err(refresh_error());
    }
    let user: UserId = user.parse().map_err(|_| ApiError::Internal(anyhow::anyhow!("bad user id in sessions")))?;
    // Reuse is checked before expiry: presenting a spent token is an alarm whenever it happens.
    if let Some(used_at) = used_at {
        let replacement_unused = match &replaced_by {
            Some(r) => tx
                .query_row("SELECT used_at IS NULL FROM refresh_tokens WHERE hash = ?1", [r], |row| {
                    row.get::<_, bool>(0)
                })
                .optional()?
                .unwrap_or(false),
            None => false,
        };
        if now.as_second() - used_at > grace.as_secs() || !replacement_unused {
            revoke_session(tx, &sid, now, "refresh_token_reuse")?;
            tracing::warn!(session = %sid, "refresh token reuse detected; session revoked");
            return Ok(Rotation::ReuseDetected);
        }
        // The unused replacement is spent; presenting it later counts as reuse and ends the family.
        if let Some(r) = &replaced_by {
            tx.prepare_cached("UPDATE refresh_tokens SET used_at = ?2 WHERE hash = ?1")?
                .execute(params![r, now.as_second()])?;
        }
    } else if expires_at <= now.as_second() {
        return Err(refresh_error());
    }
    let token = insert_token(tx, &sid, now, ttl)?;
    tx.prepare_cached("UPDATE refresh_tokens SET used_at = COALESCE(used_at, ?2), replaced_by = ?3 WHERE hash = ?1")?
        .execute(params![hash, now.as_second(), digest(&token)])?;
    Ok(Rotation::Rotated { user, sid, token })
}

/// Finds the session a refresh token belongs to, if it is live.
pub fn session_of(tx: &Transaction<'_>, presented: &str) -> ApiResult<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT t.session_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
             WHERE t.hash = ?1 AND s.revoked_at IS NULL",
            [digest(presented)],
            |r| r.get(0),
        )
        .optional()?)
}
