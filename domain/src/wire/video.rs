//! Video credentials on the wire.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Which media engine the client should use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Agora RTC with an AccessToken2.
    Agora,
    /// The local sandbox WebRTC engine signalled through this server.
    Sandbox,
}

/// Credentials to join the consultation's channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VideoCredentials {
    /// Engine to use.
    pub engine: Engine,
    /// Agora App ID (or "sandbox").
    pub app_id: String,
    /// Channel name, unique per appointment.
    pub channel: String,
    /// The caller's numeric uid in the channel.
    pub uid: u32,
    /// The token to join with.
    pub token: String,
    /// When the token stops working; fetch a new one before then (same endpoint).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    /// When the join window closes (the appointment's end).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub window_ends_at: Timestamp,
}
