import Foundation
import PsyterFFI

/// The patient's appointments: lists and history from the encrypted cache, actions via the outbox.
public final class AppointmentRepository: Sendable {
    private let api: AppointmentsApi
    private let syncApi: SyncApi

    init(api: AppointmentsApi, sync: SyncApi) {
        self.api = api
        syncApi = sync
    }

    /// No filter: every status, every provider, any time.
    private static let everything = AppointmentFilter(statuses: [], providerId: nil, from: nil, to: nil)

    /// Appointments that have not ended, soonest first (first page of `limit`).
    public func upcoming(limit: Int = 50) async -> Outcome<[AppointmentView]> {
        await outcome {
            try await api.upcoming(filter: Self.everything, limit: UInt32(clamping: limit), after: nil).items
        }
    }

    /// The history, latest first; pass `before` from the previous page's `next`.
    public func history(limit: Int = 50, before: String? = nil) async -> Outcome<ViewPage> {
        await outcome { try await api.past(filter: Self.everything, limit: UInt32(clamping: limit), before: before) }
    }

    /// Full-text search over the history (provider, reason), offline.
    public func searchHistory(text: String, limit: Int = 50) async -> Outcome<[AppointmentView]> {
        await outcome { try await api.search(query: text, limit: UInt32(clamping: limit)) }
    }

    /// One appointment from the cache.
    public func get(id: String) async -> Outcome<AppointmentView> {
        await outcome { try await api.get(id: id) }
    }

    /// Books a slot; offline the booking is queued and shows as pending (`BookOutcome.queued`).
    public func book(providerId: String, start: Foundation.Date, reason: String) async -> Outcome<BookOutcome> {
        await outcome { try await api.book(providerId: providerId, start: start, reason: reason) }
    }

    /// Cancels an appointment (the cut-off policy is checked first); offline it is queued.
    public func cancel(id: String, reason: String) async -> Outcome<ActionOutcome> {
        await outcome { try await api.cancel(id: id, reason: reason) }
    }

    /// Actions the server has not applied yet (queued, sending, or failed with a code).
    public func pendingActions() async -> Outcome<[PendingAction]> {
        await outcome { try await api.pendingActions() }
    }

    /// Dismisses a failed action the user has seen.
    public func dismiss(outboxId: Int64) async -> Outcome<Void> {
        await outcome { try await api.dismiss(outboxId: outboxId) }
    }

    /// Sends the outbox, then pulls the server's changes until caught up.
    public func sync() async -> Outcome<SyncReport> {
        await outcome { try await syncApi.run() }
    }
}
