import Foundation
import PsyterFFI

/// The pre-call check and joining consultations.
public final class VideoRepository: Sendable {
    private let api: VideoApi

    init(api: VideoApi) {
        self.api = api
    }

    /// Checks microphone, camera and network through `engine` (waits at most ~5 s for the probe).
    public func check(engine: any MediaEngine) async -> Outcome<PreCallReport> {
        await outcome { try await api.check(engine: engine) }
    }

    /// Joins the consultation of `appointmentId` (inside its join window) with `engine`.
    public func join(appointmentId: String, engine: any MediaEngine) async -> Outcome<CallController> {
        await outcome {
            let session = try await api.join(appointmentId: appointmentId, engine: engine)
            return CallController(call: session)
        }
    }
}

/// A live consultation: its view as a stream, the controls, and its record once it has ended.
/// `close()` (or the end of the call) ends the view stream; leaving is always `leave()`.
public final class CallController: Sendable {
    private let call: CallSession
    private let viewFeed: Broadcast<CallView>
    private let subscription: Locked<TaskHandle?>

    init(call: CallSession) {
        let feed = Broadcast<CallView>(replaying: call.view())
        self.call = call
        viewFeed = feed
        subscription = Locked<TaskHandle?>(call.subscribe(listener: CallViewSink(feed: feed)))
    }

    /// The call's view now and on every change, until the call ends; each access subscribes anew.
    public var view: AsyncStream<CallView> {
        viewFeed.stream()
    }

    /// The call's view right now.
    public var currentView: CallView {
        call.view()
    }

    /// Leaves the call (always possible, always clean); the view then moves to `ended`.
    public func leave() {
        try? call.leave()
    }

    /// Mutes or unmutes the microphone.
    @discardableResult
    public func muteAudio(_ muted: Bool) -> Outcome<Void> {
        Outcome { try call.muteAudio(muted: muted) }
    }

    /// Stops or restarts sending the camera.
    @discardableResult
    public func muteVideo(_ muted: Bool) -> Outcome<Void> {
        Outcome { try call.muteVideo(muted: muted) }
    }

    /// Switches the microphone, camera or speaker to the platform's `deviceId`.
    @discardableResult
    public func switchDevice(_ device: Device, deviceId: String) -> Outcome<Void> {
        Outcome { try call.switchDevice(device: device, deviceId: deviceId) }
    }

    /// Waits until the call has ended or failed and returns its record (once per call).
    public func finished() async -> Outcome<CallRecord> {
        await outcome { try await call.finished() }
    }

    /// Stops the view subscription and ends the stream (does not leave the call).
    public func close() {
        let handle = subscription.withLock { handle -> TaskHandle? in
            defer { handle = nil }
            return handle
        }
        handle?.cancel()
        viewFeed.finish()
    }
}
