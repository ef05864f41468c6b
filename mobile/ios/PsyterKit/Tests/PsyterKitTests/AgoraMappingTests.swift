import Foundation
import Testing
@testable import PsyterKit

/// The Swift copy of the core's Agora table (`core/src/video/agora.rs`) must stay identical to it:
/// these are the core's own test cases.
@Suite("Agora mapping")
struct AgoraMappingTests {
    /// Native connection states and reasons, as in `native_states_and_reasons`.
    @Test func nativeStatesAndReasonsMatchTheCore() {
        let table: [(Int, Int, EngineConnection, ConnectionReason)] = [
            (3, 1, .connected, .normal),
            (4, 2, .reconnecting, .network),
            (5, 4, .failed, .joinFailed),
            (1, 5, .disconnected, .left),
            (5, 3, .failed, .banned),
            (5, 19, .failed, .sameUidElsewhere),
            (4, 9, .reconnecting, .tokenExpired),
            (5, 8, .failed, .tokenInvalid),
            (99, -1, .reconnecting, .network),
            (2, 0, .connecting, .normal),
            (4, 13, .reconnecting, .network),
            (5, 6, .failed, .config),
            (3, 15, .connected, .normal),
        ]
        for (state, reason, connection, why) in table {
            #expect(AgoraMapping.connection(state: state, reason: reason) == .connection(state: connection, reason: why))
        }
    }

    /// Quality is clamped to Agora's 0–6 scale, as in `quality_is_clamped_to_the_scale`.
    @Test func qualityIsClampedToTheScale() {
        #expect(AgoraMapping.quality(uplink: 1, downlink: 6) == .quality(uplink: 1, downlink: 6))
        #expect(AgoraMapping.quality(uplink: -3, downlink: 9) == .quality(uplink: 0, downlink: 0))
        #expect(AgoraMapping.quality(uplink: 8, downlink: 2) == .quality(uplink: 0, downlink: 2))
    }

    /// The probe's quick verdict reports one quality both ways.
    @Test func probeUsesTheLastMileQualityBothWays() {
        #expect(AgoraMapping.probe(quality: 3, rttMs: 40) == .probe(ProbeResult(uplink: 3, downlink: 3, rttMs: 40)))
        #expect(AgoraMapping.probe(quality: 8) == .probe(ProbeResult(uplink: 0, downlink: 0, rttMs: 0)))
    }

    /// Local device failures: no permission is `permissionDenied`, failures are `deviceError`.
    @Test func localDeviceReasons() {
        #expect(AgoraMapping.localAudio(reason: 0) == nil)
        #expect(AgoraMapping.localAudio(reason: 2) == .permissionDenied(device: .microphone))
        #expect(AgoraMapping.localAudio(reason: 4) == .deviceError(device: .microphone))
        #expect(AgoraMapping.localVideo(reason: 2) == .permissionDenied(device: .camera))
        #expect(AgoraMapping.localVideo(reason: 3) == .deviceError(device: .camera))
        #expect(AgoraMapping.localVideo(reason: 6) == nil)
    }

    /// Remote stream states: starting/decoding send, stopped/failed do not, frozen says nothing.
    @Test func remoteStreamStates() {
        #expect(AgoraMapping.remotePublishing(state: 2) == true)
        #expect(AgoraMapping.remotePublishing(state: 0) == false)
        #expect(AgoraMapping.remotePublishing(state: 3) == nil)
    }
}
