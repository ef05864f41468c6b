#if canImport(AgoraRtcKit) && canImport(UIKit)
import AgoraRtcKit
import AVFoundation
import Foundation
import PsyterFFI
import UIKit

/// The Agora RTC SDK (4.5+) as the core's media engine: it joins, renews, mutes, switches and
/// probes as the core asks, and reports the SDK's callbacks as `EngineEvent`s mapped the way the
/// core maps Agora's numbers (`AgoraMapping`). The call screen attaches its video views with
/// `attachLocalVideo(_:)` / `attachRemoteVideo(_:)`.
///
/// `@unchecked Sendable`: the SDK is thread-safe; this object's own state is behind `lock`.
public final class AgoraMediaEngine: NSObject, MediaEngine, VideoRendering, AgoraRtcEngineDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private let defaultAppId: String?
    private var kit: AgoraRtcEngineKit?
    private var kitAppId: String?
    private var listener: EngineListener?
    private var remoteMedia: [UInt32: RemoteMedia] = [:]
    private var remoteUid: UInt?
    private var videoMuted = false
    private var audioOnly = false
    private var frontCamera = true
    private weak var localView: UIView?
    private weak var remoteView: UIView?

    /// What the other participant sends.
    private struct RemoteMedia: Equatable {
        var audio = false
        var video = false
    }

    /// An engine for `appId` (the pre-call probe uses it; a call uses its credentials' app id).
    public init(appId: String?) {
        defaultAppId = appId
        super.init()
    }

    // MARK: MediaEngine

    /// Where events go from now on.
    public func setListener(listener: EngineListener) {
        locked { self.listener = listener }
    }

    /// Joins as a publisher with the camera unless it is off or the call is audio-only.
    public func join(params: JoinParams) throws {
        let kit = try engine(appId: params.appId)
        kit.stopLastmileProbeTest()
        let (videoOff, audioOnly) = locked { (self.videoMuted || self.audioOnly, self.audioOnly) }
        let options = AgoraRtcChannelMediaOptions()
        options.channelProfile = .communication
        options.clientRoleType = .broadcaster
        options.publishMicrophoneTrack = true
        options.publishCameraTrack = !videoOff
        options.autoSubscribeAudio = true
        options.autoSubscribeVideo = !audioOnly
        kit.enableLocalVideo(!videoOff)
        applyLocalCanvas(kit)
        let code = kit.joinChannel(
            byToken: params.token, channelId: params.channel, uid: UInt(params.uid), mediaOptions: options, joinSuccess: nil
        )
        try Self.check(code, "joinChannel")
    }

    /// Leaves the channel (idempotent).
    public func leave() throws {
        guard let current = locked({ self.kit }) else { return }
        current.stopPreview()
        try Self.check(current.leaveChannel(nil), "leaveChannel")
        locked {
            remoteMedia.removeAll()
            remoteUid = nil
        }
    }

    /// Hands the SDK a fresh token.
    public func renewToken(token: String) throws {
        try Self.check(try running().renewToken(token), "renewToken")
    }

    /// Mutes or unmutes the microphone.
    public func setAudioMuted(muted: Bool) throws {
        try Self.check(try running().muteLocalAudioStream(muted), "muteLocalAudioStream")
    }

    /// Stops or restarts the camera (capture too, so the camera light goes off).
    public func setVideoMuted(muted: Bool) throws {
        let audioOnly = locked { () -> Bool in
            videoMuted = muted
            return self.audioOnly
        }
        try applyVideo(videoOff: muted || audioOnly, remoteOff: audioOnly)
    }

    /// The audio-only fallback: no camera sent, no remote video received.
    public func setAudioOnly(audioOnly: Bool) throws {
        let videoMuted = locked { () -> Bool in
            self.audioOnly = audioOnly
            return self.videoMuted
        }
        try applyVideo(videoOff: audioOnly || videoMuted, remoteOff: audioOnly)
    }

    /// Camera `front`/`back`, speaker `speaker`/`earpiece`, microphone by `AVAudioSessionPortDescription.uid`.
    public func switchDevice(device: Device, deviceId: String) throws {
        let current = try running()
        switch device {
        case .camera:
            let wantFront = deviceId != "back"
            let isFront = locked { self.frontCamera }
            if wantFront != isFront {
                try Self.check(current.switchCamera(), "switchCamera")
                locked { frontCamera = wantFront }
            }
        case .speaker:
            try Self.check(current.setEnableSpeakerphone(deviceId != "earpiece"), "setEnableSpeakerphone")
        case .microphone:
            let session = AVAudioSession.sharedInstance()
            guard let input = session.availableInputs?.first(where: { $0.uid == deviceId }) else {
                throw PlatformError.Unavailable(reason: "no audio input with that id")
            }
            do {
                try session.setPreferredInput(input)
            } catch {
                throw PlatformError.Failed(reason: "choosing the audio input failed (\((error as NSError).code))")
            }
        }
    }

    /// Starts Agora's last-mile probe; `lastmileQuality` arrives in about 2 s as the probe event.
    public func startProbe() throws {
        let kit = try engine(appId: nil)
        let config = AgoraLastmileProbeConfig()
        config.probeUplink = true
        config.probeDownlink = true
        config.expectedUplinkBitrate = 1_000_000
        config.expectedDownlinkBitrate = 1_000_000
        try Self.check(kit.startLastmileProbeTest(config), "startLastmileProbeTest")
    }

    /// The microphone and camera, present and allowed.
    public func devices() throws -> DeviceStatus {
        MediaDevices.status()
    }

    // MARK: Video views

    /// Shows this device's camera in `view` (nil detaches it).
    @MainActor
    public func attachLocalVideo(_ view: UIView?) {
        let current = locked { () -> AgoraRtcEngineKit? in
            localView = view
            return self.kit
        }
        if let current {
            applyLocalCanvas(current)
        }
    }

    /// Shows the other participant's video in `view` (nil detaches it).
    @MainActor
    public func attachRemoteVideo(_ view: UIView?) {
        let (current, uid) = locked { () -> (AgoraRtcEngineKit?, UInt?) in
            remoteView = view
            return (self.kit, remoteUid)
        }
        if let current, let uid {
            current.setupRemoteVideo(Self.canvas(uid: uid, view: view))
        }
    }

    /// Releases the SDK (after the last call of the app's session).
    public func destroy() {
        let hadEngine = locked { () -> Bool in
            defer {
                kit = nil
                kitAppId = nil
            }
            return kit != nil
        }
        if hadEngine {
            AgoraRtcEngineKit.destroy()
        }
    }

    // MARK: AgoraRtcEngineDelegate

    /// The connection state changed.
    public func rtcEngine(
        _ engine: AgoraRtcEngineKit, connectionChangedTo state: AgoraConnectionState, reason: AgoraConnectionChangedReason
    ) {
        emit(AgoraMapping.connection(state: Int(state.rawValue), reason: Int(reason.rawValue)))
    }

    /// Periodic network quality; uid 0 is this device.
    public func rtcEngine(
        _ engine: AgoraRtcEngineKit, networkQuality uid: UInt, txQuality: AgoraNetworkQuality, rxQuality: AgoraNetworkQuality
    ) {
        guard uid == 0 else { return }
        emit(AgoraMapping.quality(uplink: Int(txQuality.rawValue), downlink: Int(rxQuality.rawValue)))
    }

    /// The last-mile probe's quick verdict (about 2 s after the start): the pre-call probe result.
    public func rtcEngine(_ engine: AgoraRtcEngineKit, lastmileQuality quality: AgoraNetworkQuality) {
        emit(AgoraMapping.probe(quality: Int(quality.rawValue)))
    }

    /// The probe's detailed result (about 30 s later): the probe is done.
    public func rtcEngine(_ engine: AgoraRtcEngineKit, lastmileProbeTest result: AgoraLastmileProbeResult) {
        engine.stopLastmileProbeTest()
    }

    /// The token expires in 30 s (a backstop: the core renews on its own timer).
    public func rtcEngine(_ engine: AgoraRtcEngineKit, tokenPrivilegeWillExpire token: String) {
        emit(.tokenWillExpire)
    }

    /// The token has expired.
    public func rtcEngineRequestToken(_ engine: AgoraRtcEngineKit) {
        emit(.tokenExpired)
    }

    /// The other participant joined: show their video where the call screen asked.
    public func rtcEngine(_ engine: AgoraRtcEngineKit, didJoinedOfUid uid: UInt, elapsed: Int) {
        let view = locked { () -> UIView? in
            remoteUid = uid
            return remoteView
        }
        engine.setupRemoteVideo(Self.canvas(uid: uid, view: view))
        emit(.remoteJoined(uid: UInt32(truncatingIfNeeded: uid)))
    }

    /// The other participant left or dropped.
    public func rtcEngine(_ engine: AgoraRtcEngineKit, didOfflineOfUid uid: UInt, reason: AgoraUserOfflineReason) {
        locked {
            remoteMedia[UInt32(truncatingIfNeeded: uid)] = nil
            if remoteUid == uid { remoteUid = nil }
        }
        engine.setupRemoteVideo(Self.canvas(uid: uid, view: nil))
        emit(.remoteLeft(uid: UInt32(truncatingIfNeeded: uid)))
    }

    /// The other participant's video started or stopped.
    public func rtcEngine(
        _ engine: AgoraRtcEngineKit, remoteVideoStateChangedOfUid uid: UInt, state: AgoraVideoRemoteState,
        reason: AgoraVideoRemoteReason, elapsed: Int
    ) {
        guard let sending = AgoraMapping.remotePublishing(state: Int(state.rawValue)) else { return }
        updateRemote(uid) { $0.video = sending }
    }

    /// The other participant's audio started or stopped.
    public func rtcEngine(
        _ engine: AgoraRtcEngineKit, remoteAudioStateChangedOfUid uid: UInt, state: AgoraAudioRemoteState,
        reason: AgoraAudioRemoteReason, elapsed: Int
    ) {
        guard let sending = AgoraMapping.remotePublishing(state: Int(state.rawValue)) else { return }
        updateRemote(uid) { $0.audio = sending }
    }

    /// The microphone failed or was refused.
    public func rtcEngine(
        _ engine: AgoraRtcEngineKit, localAudioStateChanged state: AgoraAudioLocalState, reason: AgoraAudioLocalReason
    ) {
        if let event = AgoraMapping.localAudio(reason: Int(reason.rawValue)) {
            emit(event)
        }
    }

    /// The camera failed or was refused.
    public func rtcEngine(
        _ engine: AgoraRtcEngineKit, localVideoStateChangedOf state: AgoraVideoLocalState,
        reason: AgoraLocalVideoStreamReason, sourceType: AgoraVideoSourceType
    ) {
        if let event = AgoraMapping.localVideo(reason: Int(reason.rawValue)) {
            emit(event)
        }
    }

    // MARK: Internals

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func emit(_ event: EngineEvent) {
        locked { self.listener }?.onEvent(event: event)
    }

    /// The engine for `appId` (nil: the configured one), created or recreated as needed.
    private func engine(appId: String?) throws -> AgoraRtcEngineKit {
        guard let wanted = appId ?? defaultAppId, !wanted.isEmpty, wanted != RoutingMediaEngine.sandboxAppId else {
            throw PlatformError.Unavailable(reason: "no Agora App ID configured")
        }
        let (existing, existingId) = locked { (self.kit, self.kitAppId) }
        if let existing, existingId == wanted {
            return existing
        }
        if existing != nil {
            AgoraRtcEngineKit.destroy()
        }
        let config = AgoraRtcEngineConfig()
        config.appId = wanted
        config.channelProfile = .communication
        let created = AgoraRtcEngineKit.sharedEngine(with: config, delegate: self)
        created.enableAudio()
        created.enableVideo()
        created.setDefaultAudioRouteToSpeakerphone(true)
        locked {
            kit = created
            kitAppId = wanted
        }
        return created
    }

    /// The engine of the current call, or `unavailable` before any join or probe.
    private func running() throws -> AgoraRtcEngineKit {
        guard let current = locked({ self.kit }) else {
            throw PlatformError.Unavailable(reason: "the Agora engine has not started")
        }
        return current
    }

    private func applyVideo(videoOff: Bool, remoteOff: Bool) throws {
        guard let current = locked({ self.kit }) else { return }
        try Self.check(current.enableLocalVideo(!videoOff), "enableLocalVideo")
        try Self.check(current.muteLocalVideoStream(videoOff), "muteLocalVideoStream")
        try Self.check(current.muteAllRemoteVideoStreams(remoteOff), "muteAllRemoteVideoStreams")
    }

    private func applyLocalCanvas(_ kit: AgoraRtcEngineKit) {
        let view = locked { self.localView }
        kit.setupLocalVideo(Self.canvas(uid: 0, view: view))
        if view != nil {
            kit.startPreview()
        }
    }

    private func updateRemote(_ uid: UInt, change: (inout RemoteMedia) -> Void) {
        let id = UInt32(truncatingIfNeeded: uid)
        let changed = locked { () -> RemoteMedia? in
            var media = remoteMedia[id] ?? RemoteMedia()
            let before = media
            change(&media)
            remoteMedia[id] = media
            return media == before ? nil : media
        }
        if let media = changed {
            emit(.remotePublished(uid: id, audio: media.audio, video: media.video))
        }
    }

    private static func canvas(uid: UInt, view: UIView?) -> AgoraRtcVideoCanvas {
        let canvas = AgoraRtcVideoCanvas()
        canvas.uid = uid
        canvas.view = view
        canvas.renderMode = .hidden
        return canvas
    }

    /// Agora's methods return 0 or a negative error code; the code (no data) goes to the core.
    private static func check(_ code: Int32, _ call: String) throws {
        guard code >= 0 else {
            throw PlatformError.Failed(reason: "Agora \(call) returned \(code)")
        }
    }
}
#endif
