import Foundation
import Testing
@testable import PsyterKit

/// The pure logic the screens build on: queries, plurals, slot days, join windows, verdicts.
@Suite("Model logic")
struct ModelLogicTests {
    /// Blank text fields are left out of the search instead of being sent as empty strings.
    @Test func providerQueryDropsBlankFields() {
        let query = ProviderQuery(text: "  ", specialty: "anxiety", language: "", maxPriceCents: 9000, limit: 20)
        let search = query.search
        #expect(search.q == nil)
        #expect(search.specialty == "anxiety")
        #expect(search.language == nil)
        #expect(search.maxPriceCents == 9000)
        #expect(search.limit == 20)
        #expect(query.hasFilters)
        #expect(!ProviderQuery(text: "Dr").hasFilters)
        #expect(query.page(after: "c2").search.cursor == "c2")
    }

    /// CLDR plural categories, including Arabic's last-two-digit rules.
    @Test func pluralCategories() {
        #expect(PluralCategory.of(1, languageCode: "en") == .one)
        #expect(PluralCategory.of(0, languageCode: "en") == .other)
        #expect(PluralCategory.of(2, languageCode: "en-US") == .other)
        let arabic: [(Int, PluralCategory)] = [
            (0, .zero), (1, .one), (2, .two), (3, .few), (10, .few), (11, .many), (99, .many),
            (100, .other), (102, .other), (103, .few), (111, .many), (1000, .other),
        ]
        for (count, category) in arabic {
            #expect(PluralCategory.of(count, languageCode: "ar") == category)
        }
    }

    /// The overall verdict is the worst one; a call may not start on `fail`.
    @Test func preCallOverallVerdict() {
        func item(_ item: CheckItem, _ verdict: Verdict) -> CheckResult {
            CheckResult(item: item, verdict: verdict, messageId: "precall-x", message: "x")
        }
        let warn = PreCallReport(items: [item(.microphone, .pass), item(.camera, .warn), item(.network, .pass)])
        let fail = PreCallReport(items: [item(.microphone, .fail), item(.camera, .warn), item(.network, .pass)])
        #expect(warn.overall == .warn)
        #expect(fail.overall == .fail)
        #expect(PreCallReport(items: []).overall == .pass)
        var state = PreCallState()
        #expect(!state.canJoin)
        state.report = warn
        #expect(state.canJoin)
        state.report = fail
        #expect(!state.canJoin)
    }

    /// Slots group by the calendar day of their start, in order.
    @Test func slotsGroupByDay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let day = Foundation.Date(timeIntervalSince1970: 1_900_000_000 - 1_900_000_000 % 86_400)
        /// A 50-minute free slot `hours` after midnight.
        func slot(_ hours: Double) -> Slot {
            let start = day.addingTimeInterval(hours * 3600)
            return Slot(start: start, end: start.addingTimeInterval(3000), status: .free)
        }
        let days = SlotDay.group([slot(26), slot(9), slot(10), slot(27)], calendar: calendar)
        #expect(days.count == 2)
        #expect(days[0].day == day)
        #expect(days[0].slots.map(\.start) == [slot(9).start, slot(10).start])
        #expect(days[1].slots.count == 2)
    }

    /// A booked appointment is joinable from 10 minutes before its start until its end.
    @Test func joinWindow() {
        let start = Foundation.Date(timeIntervalSince1970: 1_900_000_000)
        let view = AppointmentView(appointment: Fixtures.appointment(start: start, status: .booked), pending: nil)
        #expect(!view.isJoinable(at: start.addingTimeInterval(-601)))
        #expect(view.isJoinable(at: start.addingTimeInterval(-600)))
        #expect(view.isJoinable(at: start.addingTimeInterval(2999)))
        #expect(!view.isJoinable(at: start.addingTimeInterval(3000)))
        #expect(!view.isJoinable(at: start.addingTimeInterval(3000 + 600)))
        let cancelled = AppointmentView(appointment: Fixtures.appointment(start: start, status: .cancelled), pending: nil)
        #expect(!cancelled.isJoinable(at: start))
        #expect(view.isCancellable(at: start.addingTimeInterval(-60)))
        #expect(!view.isCancellable(at: start))
        let queued = PendingAction(outboxId: 4, appointmentId: view.id, kind: .cancel, state: .queued, errorCode: nil)
        #expect(!AppointmentView(appointment: view.appointment, pending: queued).isCancellable(at: start.addingTimeInterval(-60)))
    }

    /// Failed outbox actions are the ones the user must see and dismiss.
    @Test func failedActionsAreListed() {
        var state = AppointmentsState()
        state.pending = [
            PendingAction(outboxId: 1, appointmentId: "a", kind: .book, state: .queued, errorCode: nil),
            PendingAction(outboxId: 2, appointmentId: "b", kind: .cancel, state: .failed, errorCode: "cancel_cutoff"),
        ]
        #expect(state.failed.map(\.outboxId) == [2])
    }

    /// A call is over once it ended, failed, or never started.
    @Test func callStateIsOver() {
        var state = CallScreenState()
        #expect(!state.isOver)
        state.view = CallView(state: .reconnecting, reason: nil, audioOnly: true)
        #expect(state.isReconnecting)
        #expect(!state.isOver)
        state.view = CallView(state: .ended, reason: "call_left", audioOnly: false)
        #expect(state.isOver)
        #expect(CallState.failed.isTerminal)
        #expect(!CallState.connected.isTerminal)
    }
}

/// Records for tests.
enum Fixtures {
    /// A 50-minute appointment at `start` with `status`.
    static func appointment(start: Foundation.Date, status: AppointmentStatus) -> Appointment {
        Appointment(
            id: "appt-1",
            patientId: "patient-1",
            patientName: "Omar",
            providerId: "provider-1",
            providerName: "Dr. Layla",
            providerTimeZone: "Asia/Riyadh",
            start: start,
            end: start.addingTimeInterval(3000),
            status: status,
            reason: "",
            cancelReason: nil,
            cancelledBy: nil,
            priceCents: 20000,
            currency: "SAR",
            createdAt: start.addingTimeInterval(-86_400),
            updatedAt: start.addingTimeInterval(-86_400),
            version: 1
        )
    }
}
