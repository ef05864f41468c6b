#if canImport(Network)
import Foundation
import Network
import PsyterFFI

/// The network hint from `NWPathMonitor`: `isOnline()` answers from the latest path, and `onChange`
/// runs when the device goes on- or offline or moves between Wi-Fi, cellular and wired (the app
/// then calls `kit.networkChanged()`, so sync runs and a live call rejoins at once).
///
/// `@unchecked Sendable`: `NWPathMonitor` is driven on its own queue and the path state is locked.
public final class PathNetworkMonitor: NetworkMonitor, @unchecked Sendable {
    /// What matters of a path: reachability and the kind of link.
    private struct PathState: Sendable, Equatable {
        var online = true
        var wifi = false
        var cellular = false
        var wired = false
    }

    private let monitor = NWPathMonitor()
    private let queue = DispatchQueue(label: "app.psyter.network-path")
    private let latest = Locked<PathState?>(nil)
    private let onChange: @Sendable () -> Void

    /// Starts monitoring; `onChange` runs on a private queue after each meaningful change.
    public init(onChange: @escaping @Sendable () -> Void) {
        self.onChange = onChange
        monitor.pathUpdateHandler = { [weak self] path in
            self?.update(path)
        }
        monitor.start(queue: queue)
    }

    deinit {
        monitor.cancel()
    }

    /// Whether a network path is available (true until the first path arrives).
    public func isOnline() -> Bool {
        latest.current?.online ?? true
    }

    /// Stops monitoring (the app is closing the kit).
    public func stop() {
        monitor.cancel()
    }

    private func update(_ path: NWPath) {
        let next = PathState(
            online: path.status == .satisfied,
            wifi: path.usesInterfaceType(.wifi),
            cellular: path.usesInterfaceType(.cellular),
            wired: path.usesInterfaceType(.wiredEthernet)
        )
        let changed = latest.withLock { previous -> Bool in
            defer { previous = next }
            guard let known = previous else { return false }
            return known != next
        }
        if changed {
            onChange()
        }
    }
}
#endif
