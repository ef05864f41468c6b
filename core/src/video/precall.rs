//! The pre-call check: devices present and allowed, and the network probe, each turned into a verdict
//! with an explanation and what to do, in the user's language.

use super::engine::{DeviceStatus, ProbeResult};
use crate::i18n::Localizer;

/// How one item of the check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Fine.
    Pass,
    /// Usable, with a limitation the user should know.
    Warn,
    /// Not usable for a call until fixed.
    Fail,
}

/// What was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CheckItem {
    /// The microphone (required).
    Microphone,
    /// The camera (optional: audio-only works without it).
    Camera,
    /// The network, from the engine's probe.
    Network,
}

/// One line of the check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckResult {
    /// What was checked.
    pub item: CheckItem,
    /// How it came out.
    pub verdict: Verdict,
    /// The message id (`precall-…`), for shells that localise themselves.
    pub message_id: String,
    /// The explanation and what to do, in the user's language.
    pub message: String,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PreCallReport {
    /// One result per item, microphone first.
    pub items: Vec<CheckResult>,
}

impl PreCallReport {
    /// The worst verdict: the call should not start on `Fail`.
    pub fn overall(&self) -> Verdict {
        let worst = |v: Verdict| match v {
            Verdict::Pass => 0,
            Verdict::Warn => 1,
            Verdict::Fail => 2,
        };
        self.items.iter().map(|i| i.verdict).max_by_key(|v| worst(*v)).unwrap_or(Verdict::Pass)
    }
}

/// Judges the devices and the probe (`None`: the probe did not answer in time).
pub fn judge(devices: DeviceStatus, probe: Option<ProbeResult>, l10n: &Localizer) -> PreCallReport {
    let mic = if devices.microphone && devices.microphone_allowed { Verdict::Pass } else { Verdict::Fail };
    let camera = if devices.camera && devices.camera_allowed { Verdict::Pass } else { Verdict::Warn };
    // Agora's scale: 0 unknown, 1 excellent, 2 good, 3 poor, 4 bad, 5 very bad, 6 down.
    let (network, network_id) = match probe.map(|p| p.uplink.max(p.downlink)) {
        None | Some(0) => (Verdict::Warn, "precall-network-unknown"),
        Some(1 | 2) => (Verdict::Pass, "precall-network-pass"),
        Some(3 | 4) => (Verdict::Warn, "precall-network-warn"),
        Some(_) => (Verdict::Fail, "precall-network-fail"),
    };
    let result =
        |item, verdict, id: &str| CheckResult { item, verdict, message_id: id.into(), message: l10n.message(id, &[]) };
    PreCallReport {
        items: vec![
            result(
                CheckItem::Microphone,
                mic,
                if mic == Verdict::Pass { "precall-microphone-pass" } else { "precall-microphone-fail" },
            ),
            result(
                CheckItem::Camera,
                camera,
                if camera == Verdict::Pass { "precall-camera-pass" } else { "precall-camera-warn" },
            ),
            result(CheckItem::Network, network, network_id),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: DeviceStatus =
        DeviceStatus { microphone: true, microphone_allowed: true, camera: true, camera_allowed: true };

    fn probe(up: u8, down: u8) -> Option<ProbeResult> {
        Some(ProbeResult { uplink: up, downlink: down, rtt_ms: 50 })
    }

    #[test]
    fn verdicts_follow_devices_and_the_probe() {
        let en = Localizer::negotiate(&["en-US"]).with_isolating(false);
        let good = judge(ALL, probe(1, 2), &en);
        assert_eq!(good.overall(), Verdict::Pass);
        assert_eq!(good.items[2].message, "Your connection looks good.");
        let no_camera = DeviceStatus { camera_allowed: false, ..ALL };
        assert_eq!(judge(no_camera, probe(1, 1), &en).overall(), Verdict::Warn);
        let no_mic = DeviceStatus { microphone: false, ..ALL };
        assert_eq!(judge(no_mic, probe(1, 1), &en).items[0].verdict, Verdict::Fail);
        assert_eq!(judge(ALL, probe(1, 4), &en).items[2].verdict, Verdict::Warn);
        assert_eq!(judge(ALL, probe(6, 1), &en).overall(), Verdict::Fail);
        assert_eq!(judge(ALL, None, &en).items[2].message_id, "precall-network-unknown");
    }

    #[test]
    fn explanations_come_in_arabic_too() {
        let ar = Localizer::negotiate(&["ar"]).with_isolating(false);
        let report = judge(DeviceStatus { microphone_allowed: false, ..ALL }, probe(5, 5), &ar);
        assert!(report.items.iter().all(|i| !i.message.starts_with('[') && !i.message.is_ascii()), "{report:?}");
    }
}
