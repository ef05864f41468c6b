import Foundation
import Observation
import PsyterFFI

/// What the appointments and history screens show.
public struct AppointmentsState: Sendable, Equatable {
    /// Appointments that have not ended, soonest first.
    public var upcoming: [AppointmentView] = []
    /// Past appointments, latest first (pages appended).
    public var history: [AppointmentView] = []
    /// The cursor of the next history page.
    public var historyNext: String?
    /// Actions not yet applied by the server (queued, sending, failed).
    public var pending: [PendingAction] = []
    /// The history search text.
    public var searchText = ""
    /// The offline history search's results.
    public var searchResults: [AppointmentView] = []
    /// A call is running.
    public var busy = false
    /// The last failure.
    public var error: KitError?
    /// How the last cancel went (applied, or queued offline).
    public var lastAction: ActionOutcome?

    /// The initial state.
    public init() {}

    /// The actions the server refused, which the user should see and dismiss.
    public var failed: [PendingAction] {
        pending.filter { $0.state == .failed }
    }
}

/// Upcoming appointments, history with offline search, cancelling, and the outbox's pending actions.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class AppointmentsModel {
    /// The screen's state.
    public private(set) var state = AppointmentsState()
    private let kit: PsyterKit
    @ObservationIgnored private var searchGeneration = 0

    /// A model over `kit`.
    public init(kit: PsyterKit) {
        self.kit = kit
    }

    /// Reloads the lists and the pending actions from the cache.
    public func refresh() async {
        let appointments = kit.appointments
        state.busy = true
        async let upcoming = appointments.upcoming()
        async let history = appointments.history()
        async let pending = appointments.pendingActions()
        let (upcomingResult, historyResult, pendingResult) = await (upcoming, history, pending)
        state.busy = false
        var error: KitError?
        switch upcomingResult {
        case .ok(let items): state.upcoming = items
        case .err(let failure): error = failure
        }
        switch historyResult {
        case .ok(let page):
            state.history = page.items
            state.historyNext = page.next
        case .err(let failure): error = error ?? failure
        }
        switch pendingResult {
        case .ok(let items): state.pending = items
        case .err(let failure): error = error ?? failure
        }
        state.error = error
    }

    /// Appends the next page of history.
    public func loadMoreHistory() async {
        guard let next = state.historyNext else { return }
        let result = await kit.appointments.history(before: next)
        switch result {
        case .ok(let page):
            state.history += page.items
            state.historyNext = page.next
        case .err(let error):
            state.error = error
        }
    }

    /// Searches the history offline; blank text clears the results.
    public func search(_ text: String) async {
        searchGeneration += 1
        let mine = searchGeneration
        state.searchText = text
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else {
            state.searchResults = []
            return
        }
        let result = await kit.appointments.searchHistory(text: query)
        guard mine == searchGeneration else { return }
        switch result {
        case .ok(let items): state.searchResults = items
        case .err(let error): state.error = error
        }
    }

    /// Cancels appointment `id`; offline the cancellation is queued (`lastAction` says which).
    public func cancel(id: String, reason: String) async {
        state.busy = true
        let result = await kit.appointments.cancel(id: id, reason: reason)
        state.busy = false
        switch result {
        case .ok(let outcome):
            state.lastAction = outcome
            await refresh()
        case .err(let error):
            state.error = error
        }
    }

    /// Dismisses a failed action the user has seen.
    public func dismiss(outboxId: Int64) async {
        let result = await kit.appointments.dismiss(outboxId: outboxId)
        if let error = result.error {
            state.error = error
        }
        await refresh()
    }

    /// Syncs with the server now, then reloads.
    public func sync() async {
        let result = await kit.appointments.sync()
        await refresh()
        if let error = result.error {
            state.error = error
        }
    }

    /// Forgets the last error and action notice.
    public func clearNotices() {
        state.error = nil
        state.lastAction = nil
    }

    /// Reloads whenever the core reports changes (sync, outbox); runs until the caller's task ends.
    public func observeEvents() async {
        for await event in kit.events {
            switch event {
            case .syncFinished, .outboxChanged, .actionFailed, .cacheRebuilt, .outboxLost:
                await refresh()
            default:
                break
            }
        }
    }
}

extension AppointmentView {
    /// The appointment's id.
    public var id: String { appointment.id }

    /// Whether its consultation can be joined at `now`: booked or arrived, from `lead` seconds
    /// before the start (10 minutes, as the server allows) until the end.
    public func isJoinable(at now: Foundation.Date = Foundation.Date(), lead: TimeInterval = 600) -> Bool {
        let status = appointment.status
        guard pending == nil, status == .booked || status == .arrived || status == .checkedIn else { return false }
        return now >= appointment.start.addingTimeInterval(-lead) && now < appointment.end
    }

    /// Whether the patient can still ask to cancel it (not started, not cancelled, nothing queued).
    public func isCancellable(at now: Foundation.Date = Foundation.Date()) -> Bool {
        let open: Set<AppointmentStatus> = [.proposed, .pending, .booked, .waitlist]
        return pending == nil && open.contains(appointment.status) && appointment.start > now
    }
}

extension AppointmentView: Identifiable {}
