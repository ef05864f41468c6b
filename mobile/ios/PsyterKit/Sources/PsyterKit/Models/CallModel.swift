import Foundation
import Observation
import PsyterFFI

/// What the call screen shows.
public struct CallScreenState: Sendable, Equatable {
    /// The call's state, why it ended, and whether video is paused (audio-only).
    public var view: CallView?
    /// The microphone is muted.
    public var audioMuted = false
    /// The camera is off (the user's choice).
    public var videoMuted = false
    /// Sound goes to the loudspeaker (else the earpiece).
    public var speakerOn = true
    /// The front camera is in use.
    public var frontCamera = true
    /// The call's record, once it has ended.
    public var record: CallRecord?
    /// The call could not start, or a control failed.
    public var error: KitError?

    /// The initial state.
    public init() {}

    /// The call is connecting again after a network drop.
    public var isReconnecting: Bool {
        view?.state == .reconnecting
    }

    /// The call is over (ended or failed, or never started).
    public var isOver: Bool {
        record != nil || (view?.state.isTerminal ?? false) || (view == nil && error != nil)
    }
}

/// A consultation: joins, follows the call's view until it ends, and drives the controls.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class CallModel {
    /// The screen's state.
    public private(set) var state = CallScreenState()
    private let kit: PsyterKit
    @ObservationIgnored private var controller: CallController?

    /// A model over `kit`.
    public init(kit: PsyterKit) {
        self.kit = kit
    }

    /// Joins the consultation of `appointmentId` and follows it until it ends; run it in the call
    /// screen's `.task`. If that task is cancelled (the screen went away) the call is left cleanly.
    public func join(appointmentId: String, engine: any MediaEngine) async {
        guard controller == nil else { return }
        state = CallScreenState()
        let joined = await kit.video.join(appointmentId: appointmentId, engine: engine)
        guard case .ok(let call) = joined else {
            state.error = joined.error
            return
        }
        controller = call
        for await view in call.view {
            state.view = view
        }
        if !(state.view?.state.isTerminal ?? false) {
            call.leave()
        }
        let finished = await call.finished()
        switch finished {
        case .ok(let record): state.record = record
        case .err(let error): state.error = state.error ?? error
        }
        call.close()
        controller = nil
    }

    /// Mutes or unmutes the microphone.
    public func toggleAudio() {
        guard let controller else { return }
        let muted = !state.audioMuted
        apply(controller.muteAudio(muted)) { $0.audioMuted = muted }
    }

    /// Turns the camera off or on.
    public func toggleVideo() {
        guard let controller else { return }
        let muted = !state.videoMuted
        apply(controller.muteVideo(muted)) { $0.videoMuted = muted }
    }

    /// Switches between the front and back cameras.
    public func switchCamera() {
        guard let controller else { return }
        let front = !state.frontCamera
        apply(controller.switchDevice(.camera, deviceId: front ? "front" : "back")) { $0.frontCamera = front }
    }

    /// Moves the sound between the loudspeaker and the earpiece.
    public func toggleSpeaker() {
        guard let controller else { return }
        let speaker = !state.speakerOn
        apply(controller.switchDevice(.speaker, deviceId: speaker ? "speaker" : "earpiece")) { $0.speakerOn = speaker }
    }

    /// Leaves the call; the view then ends and `join` returns with the record.
    public func leave() {
        controller?.leave()
    }

    /// Whether a call is live (joined and not yet over).
    public var isLive: Bool {
        controller != nil
    }

    private func apply(_ result: Outcome<Void>, change: (inout CallScreenState) -> Void) {
        switch result {
        case .ok:
            change(&state)
            state.error = nil
        case .err(let error):
            state.error = error
        }
    }
}
