//! The delta feed on the wire.

use serde::{Deserialize, Serialize};

use super::{Appointment, Note};
use crate::ProviderProfile;

/// What kind of entity changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// An appointment (record attached).
    Appointment,
    /// A provider's session note (record attached unless a tombstone).
    Note,
}

/// Whether the entity is live or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// Created or updated: replace the local copy.
    Upsert,
    /// Removed from the active set: a deleted note (no record), or a cancelled / entered-in-error
    /// appointment (its final record is attached so history keeps it; withdraw reminders).
    Tombstone,
}

/// One entry of the feed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Position in the change sequence.
    pub seq: i64,
    /// Entity kind.
    pub kind: ChangeKind,
    /// Entity id (for notes, the appointment id).
    pub id: String,
    /// Upsert or tombstone.
    pub op: ChangeOp,
    /// The appointment, for appointment entries.
    pub appointment: Option<Appointment>,
    /// The note, for live note entries.
    pub note: Option<Note>,
}

/// One page of the feed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncPage {
    /// Changes in sequence order.
    pub changes: Vec<Change>,
    /// Profiles of providers referenced by this page's appointments.
    pub providers: Vec<ProviderProfile>,
    /// Pass as `since` next time.
    pub cursor: i64,
    /// Whether more changes follow immediately.
    pub has_more: bool,
}
