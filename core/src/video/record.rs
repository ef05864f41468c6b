//! The record of a consultation: when it connected and ended, reconnections, time spent audio-only,
//! the state timeline and a quality timeline (kept only where it changes, bounded).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::machine::CallState;

/// The most quality samples kept (a two-hour call reporting every 2 s changes far less often).
const MAX_SAMPLES: usize = 720;

/// One network-quality reading (Agora's 0-6 scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QualitySample {
    /// When it was reported.
    pub at: Timestamp,
    /// Uplink quality.
    pub uplink: u8,
    /// Downlink quality.
    pub downlink: u8,
}

/// One entry of a call's state timeline (stored as an `[at, state]` pair).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(from = "(Timestamp, String)", into = "(Timestamp, String)")]
pub struct StateChange {
    /// When the call entered the state.
    pub at: Timestamp,
    /// The state's word, e.g. `connected`.
    pub state: String,
}

impl From<(Timestamp, String)> for StateChange {
    fn from((at, state): (Timestamp, String)) -> Self {
        Self { at, state }
    }
}

impl From<StateChange> for (Timestamp, String) {
    fn from(change: StateChange) -> Self {
        (change.at, change.state)
    }
}

/// What happened in a call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallRecord {
    /// First time the call connected.
    pub connected_at: Option<Timestamp>,
    /// When it ended or failed.
    pub ended_at: Option<Timestamp>,
    /// Times the connection came back after dropping.
    pub reconnections: u32,
    /// Times the other participant joined.
    pub remote_joins: u32,
    /// Milliseconds spent audio-only.
    pub audio_only_ms: i64,
    /// Since when audio-only is on, while it is.
    pub audio_only_since: Option<Timestamp>,
    /// Every state change with its time.
    pub timeline: Vec<StateChange>,
    /// Quality readings where they changed.
    pub quality: Vec<QualitySample>,
}

impl CallRecord {
    /// Records a state change.
    pub(crate) fn transition(&mut self, at: Timestamp, state: CallState) {
        self.timeline.push(StateChange { at, state: format!("{state:?}").to_lowercase() });
    }

    /// Records a quality reading if it differs from the last one.
    pub(crate) fn sample(&mut self, at: Timestamp, uplink: u8, downlink: u8) {
        let changed = self.quality.last().is_none_or(|q| (q.uplink, q.downlink) != (uplink, downlink));
        if changed && self.quality.len() < MAX_SAMPLES {
            self.quality.push(QualitySample { at, uplink, downlink });
        }
    }

    /// Starts or stops the audio-only clock.
    pub(crate) fn audio_only(&mut self, on: bool, at: Timestamp) {
        match (on, self.audio_only_since) {
            (true, None) => self.audio_only_since = Some(at),
            (false, Some(since)) => {
                self.audio_only_ms += at.duration_since(since).as_millis() as i64;
                self.audio_only_since = None;
            }
            _ => {}
        }
    }

    /// How long the call was connected overall, if it connected.
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.ended_at?.duration_since(self.connected_at?).as_millis() as i64)
    }
}
