import Foundation
import PsyterFFI

/// A media engine without media, for the demo server's `sandbox` video credentials and the
/// simulator: joining reports connecting then connected, leaving reports disconnected, and the
/// probe reports an excellent network. It lets the whole call flow run without the Agora SDK.
public final class SandboxMediaEngine: MediaEngine {
    private let sink = Locked<EngineListener?>(nil)
    private let delay: TimeInterval

    /// An engine that answers after `delay` seconds, as a network would.
    public init(delay: TimeInterval = 0.3) {
        self.delay = delay
    }

    /// Where events go from now on.
    public func setListener(listener: EngineListener) {
        sink.withLock { $0 = listener }
    }

    /// Reports connecting at once and connected after the delay.
    public func join(params: JoinParams) throws {
        emit(.connection(state: .connecting, reason: .normal), after: 0)
        emit(.connection(state: .connected, reason: .normal), after: delay)
    }

    /// Reports the channel left.
    public func leave() throws {
        emit(.connection(state: .disconnected, reason: .left), after: 0)
    }

    /// Accepts the new token.
    public func renewToken(token: String) throws {}

    /// Nothing to mute.
    public func setAudioMuted(muted: Bool) throws {}

    /// Nothing to stop.
    public func setVideoMuted(muted: Bool) throws {}

    /// Nothing to switch.
    public func switchDevice(device: Device, deviceId: String) throws {}

    /// Nothing to pause.
    public func setAudioOnly(audioOnly: Bool) throws {}

    /// Reports an excellent network after the delay.
    public func startProbe() throws {
        emit(.probe(ProbeResult(uplink: 1, downlink: 1, rttMs: 20)), after: delay)
    }

    /// The real devices and permissions where AVFoundation exists, else all present and allowed.
    public func devices() throws -> DeviceStatus {
        #if canImport(AVFoundation)
        return MediaDevices.status()
        #else
        return DeviceStatus(microphone: true, microphoneAllowed: true, camera: true, cameraAllowed: true)
        #endif
    }

    private func emit(_ event: EngineEvent, after seconds: TimeInterval) {
        let target = sink.current
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            target?.onEvent(event: event)
        }
    }
}

/// Chooses the engine per call from the credentials the core fetched: `sandbox` ones go to the
/// sandbox engine, Agora ones to Agora. The pre-call check uses Agora when the build has it.
public final class RoutingMediaEngine: MediaEngine {
    /// The Agora engine, when this build and configuration have one.
    public let agora: (any MediaEngine)?
    private let sandbox: any MediaEngine
    private let active = Locked<(any MediaEngine)?>(nil)

    /// A router over `agora` (nil: sandbox only) and `sandbox`.
    public init(agora: (any MediaEngine)?, sandbox: any MediaEngine = SandboxMediaEngine()) {
        self.agora = agora
        self.sandbox = sandbox
    }

    /// The app id the core's credentials use for the sandbox engine.
    public static let sandboxAppId = "sandbox"

    /// Both engines report to `listener`.
    public func setListener(listener: EngineListener) {
        agora?.setListener(listener: listener)
        sandbox.setListener(listener: listener)
    }

    /// Joins with the engine the credentials are for.
    public func join(params: JoinParams) throws {
        let engine: any MediaEngine
        if params.appId == Self.sandboxAppId {
            engine = sandbox
        } else if let agora {
            engine = agora
        } else {
            throw PlatformError.Unavailable(reason: "this build has no Agora engine for the call's credentials")
        }
        active.withLock { $0 = engine }
        try engine.join(params: params)
    }

    /// Leaves with the engine in use.
    public func leave() throws {
        try current.leave()
    }

    /// Renews the token of the engine in use.
    public func renewToken(token: String) throws {
        try current.renewToken(token: token)
    }

    /// Mutes the microphone of the engine in use.
    public func setAudioMuted(muted: Bool) throws {
        try current.setAudioMuted(muted: muted)
    }

    /// Stops the camera of the engine in use.
    public func setVideoMuted(muted: Bool) throws {
        try current.setVideoMuted(muted: muted)
    }

    /// Switches a device of the engine in use.
    public func switchDevice(device: Device, deviceId: String) throws {
        try current.switchDevice(device: device, deviceId: deviceId)
    }

    /// Pauses video on the engine in use.
    public func setAudioOnly(audioOnly: Bool) throws {
        try current.setAudioOnly(audioOnly: audioOnly)
    }

    /// Probes with Agora when available (it measures the real network), else the sandbox.
    public func startProbe() throws {
        try (agora ?? sandbox).startProbe()
    }

    /// The devices, as the probing engine sees them.
    public func devices() throws -> DeviceStatus {
        try (agora ?? sandbox).devices()
    }

    private var current: any MediaEngine {
        active.current ?? agora ?? sandbox
    }
}

extension RoutingMediaEngine {
    /// The app's engine: Agora for `agoraAppId` when this build has the SDK (iOS with the Agora
    /// package), the sandbox engine for everything else.
    public static func standard(agoraAppId: String?) -> RoutingMediaEngine {
        #if canImport(AgoraRtcKit) && canImport(UIKit)
        if let agoraAppId, !agoraAppId.isEmpty {
            return RoutingMediaEngine(agora: AgoraMediaEngine(appId: agoraAppId))
        }
        #endif
        return RoutingMediaEngine(agora: nil)
    }
}
