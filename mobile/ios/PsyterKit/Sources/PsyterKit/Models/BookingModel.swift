import Foundation
import Observation
import PsyterFFI

/// What the provider profile and booking screen shows.
public struct BookingState: Sendable, Equatable {
    /// The provider.
    public var profile: ProviderProfile?
    /// The free slots still ahead, soonest first.
    public var slots: [Slot] = []
    /// The slot the patient picked.
    public var selected: Slot?
    /// A call is running.
    public var busy = false
    /// The booking made (or queued offline).
    public var booked: BookOutcome?
    /// The last failure.
    public var error: KitError?

    /// The initial state.
    public init() {}
}

/// One provider's profile and free slots; booking takes three taps: provider, slot, confirm.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class BookingModel {
    /// The screen's state.
    public private(set) var state = BookingState()
    /// The provider being booked.
    public let providerId: String
    private let kit: PsyterKit

    /// A model for booking `providerId`.
    public init(kit: PsyterKit, providerId: String) {
        self.kit = kit
        self.providerId = providerId
    }

    /// Loads the profile and the free slots together.
    public func load() async {
        let providers = kit.providers
        let id = providerId
        state.busy = true
        state.error = nil
        async let profile = providers.profile(id: id)
        async let slots = providers.slots(id: id)
        let (profileResult, slotResult) = await (profile, slots)
        state.busy = false
        switch profileResult {
        case .ok(let value): state.profile = value
        case .err(let error): state.error = error
        }
        switch slotResult {
        case .ok(let list): applySlots(list.slots)
        case .err(let error): state.error = state.error ?? error
        }
    }

    /// Picks a slot (or clears the pick with nil).
    public func select(_ slot: Slot?) {
        state.selected = slot
        state.error = nil
    }

    /// Books the picked slot with an optional `reason`. A slot taken meanwhile reloads the slots.
    public func book(reason: String) async {
        guard let slot = state.selected, !state.busy else { return }
        state.busy = true
        state.error = nil
        let result = await kit.appointments.book(providerId: providerId, start: slot.start, reason: reason)
        state.busy = false
        switch result {
        case .ok(let outcome):
            state.booked = outcome
        case .err(let error):
            state.error = error
            if Self.slotGoneCodes.contains(error.code) {
                state.selected = nil
                if case .ok(let list) = await kit.providers.slots(id: providerId) {
                    applySlots(list.slots)
                }
            }
        }
    }

    /// Codes after which the picked slot is no longer bookable.
    private static let slotGoneCodes: Set<String> = [
        "slot_taken", "slot_unaligned", "slot_too_soon", "daily_limit_reached",
    ]

    private func applySlots(_ slots: [Slot]) {
        let now = Foundation.Date()
        state.slots = slots.filter { $0.status == .free && $0.start > now }.sorted { $0.start < $1.start }
        if let selected = state.selected, !state.slots.contains(selected) {
            state.selected = nil
        }
    }
}

/// The slots of one calendar day, for a day-by-day slot picker.
public struct SlotDay: Sendable, Hashable, Identifiable {
    /// The start of the day, in the calendar's time zone.
    public let day: Foundation.Date
    /// The day's slots, in order.
    public let slots: [Slot]

    /// The day identifies the group.
    public var id: Foundation.Date { day }

    /// Groups `slots` (in order) by their start's day in `calendar`.
    public static func group(_ slots: [Slot], calendar: Calendar) -> [SlotDay] {
        var days: [SlotDay] = []
        for slot in slots.sorted(by: { $0.start < $1.start }) {
            let day = calendar.startOfDay(for: slot.start)
            if let last = days.last, last.day == day {
                days[days.count - 1] = SlotDay(day: day, slots: last.slots + [slot])
            } else {
                days.append(SlotDay(day: day, slots: [slot]))
            }
        }
        return days
    }
}
