import Foundation
import PsyterFFI

/// Receives the core's sync status (on a core thread) and broadcasts it.
final class SyncStatusSink: SyncStatusListener {
    private let feed: Broadcast<SyncStatus>

    /// A sink into `feed`.
    init(feed: Broadcast<SyncStatus>) {
        self.feed = feed
    }

    /// One status from the core.
    func onStatus(status: SyncStatus) {
        feed.sendIfChanged(status)
    }
}

/// Receives the core's events (on a core thread), broadcasts them and keeps the session phase fresh.
final class CoreEventSink: CoreEventListener {
    private let feed: Broadcast<CoreEvent>
    private let onSessionChange: @Sendable () -> Void

    /// A sink into `feed` that calls `onSessionChange` when the session locks or ends.
    init(feed: Broadcast<CoreEvent>, onSessionChange: @escaping @Sendable () -> Void) {
        self.feed = feed
        self.onSessionChange = onSessionChange
    }

    /// One event from the core.
    func onEvent(event: CoreEvent) {
        switch event {
        case .locked, .sessionEnded:
            onSessionChange()
        default:
            break
        }
        feed.send(event)
    }
}

/// Receives a call's view (on a core thread), broadcasts it, and ends the broadcast at the end.
final class CallViewSink: CallViewListener {
    private let feed: Broadcast<CallView>

    /// A sink into `feed`.
    init(feed: Broadcast<CallView>) {
        self.feed = feed
    }

    /// The call's latest view.
    func onView(view: CallView) {
        feed.sendIfChanged(view)
        if view.state.isTerminal {
            feed.finish()
        }
    }
}

extension CallState {
    /// Whether the call is over (ended or failed): no later view follows.
    public var isTerminal: Bool {
        self == .ended || self == .failed
    }
}
