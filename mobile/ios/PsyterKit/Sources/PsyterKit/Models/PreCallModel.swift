import Foundation
import Observation
import PsyterFFI

/// What the pre-call check screen shows.
public struct PreCallState: Sendable, Equatable {
    /// The check's result, microphone first.
    public var report: PreCallReport?
    /// The check is running (up to ~5 s for the network probe).
    public var busy = false
    /// The check could not run.
    public var error: KitError?

    /// The initial state.
    public init() {}

    /// Whether the call may start: the check ran and nothing failed.
    public var canJoin: Bool {
        guard let report else { return false }
        return report.overall != .fail
    }
}

/// The pre-call check: microphone, camera and network, each with a verdict and advice.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class PreCallModel {
    /// The screen's state.
    public private(set) var state = PreCallState()
    private let kit: PsyterKit

    /// A model over `kit`.
    public init(kit: PsyterKit) {
        self.kit = kit
    }

    /// Runs the check through `engine`.
    public func run(engine: any MediaEngine) async {
        guard !state.busy else { return }
        state.busy = true
        state.error = nil
        let result = await kit.video.check(engine: engine)
        state.busy = false
        switch result {
        case .ok(let report): state.report = report
        case .err(let error): state.error = error
        }
    }
}

extension PreCallReport {
    /// The worst verdict (as the core judges it): a call should not start on `fail`.
    public var overall: Verdict {
        if items.contains(where: { $0.verdict == .fail }) { return .fail }
        if items.contains(where: { $0.verdict == .warn }) { return .warn }
        return .pass
    }
}

extension CheckResult: Identifiable {
    /// The item checked identifies the line.
    public var id: CheckItem { item }
}
