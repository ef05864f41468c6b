import Foundation

/// Fans values out to any number of `AsyncStream`s: each `stream()` call is a new subscriber.
///
/// Two flavours mirror Kotlin's flows: `replaying` keeps the latest value and hands it to every new
/// subscriber (a `StateFlow`); `backlog` keeps what arrived before the first subscriber and hands it
/// to that one (a `SharedFlow` that does not lose what happened while the app was still starting).
final class Broadcast<Element: Sendable>: Sendable {
    private struct State: Sendable {
        var subscribers: [UInt64: AsyncStream<Element>.Continuation] = [:]
        var nextId: UInt64 = 0
        var latest: Element?
        var backlog: [Element] = []
        var finished = false
    }

    private let state = Locked(State())
    private let replaysLatest: Bool
    private let backlogLimit: Int
    private let bufferSize: Int

    /// A broadcast that remembers the latest value (starting with `initial`) for new subscribers.
    init(replaying initial: Element?, bufferSize: Int = 8) {
        replaysLatest = true
        backlogLimit = 0
        self.bufferSize = bufferSize
        state.withLock { $0.latest = initial }
    }

    /// A broadcast that keeps up to `backlog` values sent before the first subscriber for it.
    init(backlog: Int, bufferSize: Int = 128) {
        replaysLatest = false
        backlogLimit = backlog
        self.bufferSize = bufferSize
    }

    /// The last value sent (or the initial one).
    var latest: Element? {
        state.current.latest
    }

    /// A new subscription; it ends when the broadcast finishes or the consumer stops iterating.
    func stream() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let registered: UInt64? = state.withLock { state in
            // Replayed values are yielded under the lock so a concurrent `send` cannot overtake them.
            if replaysLatest, let latest = state.latest {
                continuation.yield(latest)
            }
            for value in state.backlog {
                continuation.yield(value)
            }
            state.backlog.removeAll()
            if state.finished {
                return nil
            }
            let id = state.nextId
            state.nextId += 1
            state.subscribers[id] = continuation
            return id
        }
        if let id = registered {
            continuation.onTermination = { @Sendable [weak self] _ in
                self?.remove(id)
            }
        } else {
            continuation.finish()
        }
        return stream
    }

    /// Delivers `value` to every subscriber (or keeps it for the first one).
    func send(_ value: Element) {
        publish(value, unlessLatest: { _ in false })
    }

    /// Ends every subscription; later `stream()` calls replay the latest value and end at once.
    func finish() {
        let subscribers = state.withLock { state -> [AsyncStream<Element>.Continuation] in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        // Outside the lock: finishing runs `onTermination`, which takes the lock again.
        for continuation in subscribers {
            continuation.finish()
        }
    }

    private func remove(_ id: UInt64) {
        state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
    }

    /// Sends `value` unless `isSame(latest)` holds, checked and sent under one lock.
    fileprivate func publish(_ value: Element, unlessLatest isSame: (Element) -> Bool) {
        state.withLock { state in
            guard !state.finished else { return }
            if let latest = state.latest, isSame(latest) { return }
            state.latest = value
            if state.subscribers.isEmpty, backlogLimit > 0 {
                state.backlog.append(value)
                if state.backlog.count > backlogLimit {
                    state.backlog.removeFirst(state.backlog.count - backlogLimit)
                }
            }
            for continuation in state.subscribers.values {
                continuation.yield(value)
            }
        }
    }
}

extension Broadcast where Element: Equatable {
    /// Delivers `value` unless it equals the latest one (state semantics: no repeats).
    func sendIfChanged(_ value: Element) {
        publish(value, unlessLatest: { $0 == value })
    }
}
