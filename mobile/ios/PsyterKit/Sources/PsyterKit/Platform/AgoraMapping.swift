import Foundation
import PsyterFFI

/// Agora's native numbers mapped onto the core's engine events, exactly as the core's `agora.rs`
/// maps them (`native_connection`, `quality`); that table is not exported through UniFFI, so the
/// shell repeats it here, next to its tests. Pure and SDK-free so it is testable on macOS.
public enum AgoraMapping {
    /// A `connectionChangedTo(state, reason)` from AgoraRtcKit (`AgoraConnectionState` 1–5,
    /// `AgoraConnectionChangedReason` 0–22) as an engine event.
    public static func connection(state: Int, reason: Int) -> EngineEvent {
        let connection: EngineConnection
        switch state {
        case 1: connection = .disconnected
        case 2: connection = .connecting
        case 3: connection = .connected
        case 4: connection = .reconnecting
        case 5: connection = .failed
        default: connection = .reconnecting
        }
        let why: ConnectionReason
        switch reason {
        // connecting, join success, renew token, rejoin success, echo test, setting proxy
        case 0, 1, 11, 12, 15, 17: why = .normal
        // interrupted, IP changed, keep-alive timeout, lost, IP changed by user
        case 2, 13, 14, 16, 18: why = .network
        case 3, 10: why = .banned
        case 4: why = .joinFailed
        case 5: why = .left
        case 6, 7, 20: why = .config
        case 8: why = .tokenInvalid
        case 9: why = .tokenExpired
        case 19: why = .sameUidElsewhere
        default: why = .network
        }
        return .connection(state: connection, reason: why)
    }

    /// A network-quality report (`AgoraNetworkQuality`, 0 unknown … 6 down; 7+ count as unknown).
    public static func quality(uplink: Int, downlink: Int) -> EngineEvent {
        .quality(uplink: clampQuality(uplink), downlink: clampQuality(downlink))
    }

    /// The probe result from `lastmileQuality` (one quality for both directions) and, when the
    /// detailed result has arrived, its round-trip time.
    public static func probe(quality: Int, rttMs: Int = 0) -> EngineEvent {
        let q = clampQuality(quality)
        return .probe(ProbeResult(uplink: q, downlink: q, rttMs: UInt32(clamping: max(rttMs, 0))))
    }

    /// A local audio state change's reason (`AgoraAudioLocalReason` raw value) as an engine event:
    /// 2 no permission, 1/3/4 failure, busy, recording failure; nil when nothing is wrong.
    public static func localAudio(reason: Int) -> EngineEvent? {
        switch reason {
        case 2: return .permissionDenied(device: .microphone)
        case 1, 3, 4: return .deviceError(device: .microphone)
        default: return nil
        }
    }

    /// A local video state change's reason (`AgoraLocalVideoStreamReason` raw value) as an engine
    /// event: 2 no permission, 1/3/4/8/9 failure, busy, capture failure, not found, disconnected.
    public static func localVideo(reason: Int) -> EngineEvent? {
        switch reason {
        case 2: return .permissionDenied(device: .camera)
        case 1, 3, 4, 8, 9: return .deviceError(device: .camera)
        default: return nil
        }
    }

    /// Whether a remote stream state (`AgoraVideoRemoteState` / `AgoraAudioRemoteState` raw value:
    /// 0 stopped, 1 starting, 2 decoding, 3 frozen, 4 failed) means the stream is sent; nil when
    /// it says nothing new (frozen: still sent, just stalled).
    public static func remotePublishing(state: Int) -> Bool? {
        switch state {
        case 1, 2: return true
        case 0, 4: return false
        default: return nil
        }
    }

    private static func clampQuality(_ value: Int) -> UInt8 {
        (0...6).contains(value) ? UInt8(value) : 0
    }
}
