import PsyterKit
import SwiftUI

/// A provider's profile and free slots; pick a slot, then confirm (the third tap books).
struct ProviderProfileScreen: View {
    let provider: ProviderProfile
    @State private var model: BookingModel
    @State private var reason = ""
    @Environment(\.locale) private var locale
    @Environment(\.calendar) private var calendar

    /// Booking with `provider`.
    init(kit: PsyterKit, provider: ProviderProfile) {
        self.provider = provider
        _model = State(initialValue: BookingModel(kit: kit, providerId: provider.id))
    }

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 20) {
                ProviderHeader(provider: model.state.profile ?? provider)
                if let error = model.state.error {
                    ErrorBanner(error: error)
                }
                if let booked = model.state.booked {
                    BookedCard(outcome: booked, providerName: provider.displayName)
                } else {
                    slotPicker
                }
            }
            .padding()
        }
        .safeAreaInset(edge: .bottom) {
            if let slot = model.state.selected, model.state.booked == nil {
                confirmBar(for: slot)
            }
        }
        .navigationTitle(provider.displayName)
        .navigationBarTitleDisplayMode(.inline)
        .task { await model.load() }
        .refreshable { await model.load() }
    }

    @ViewBuilder
    private var slotPicker: some View {
        Text("booking-choose-slot")
            .font(.title3.bold())
        if model.state.busy && model.state.slots.isEmpty {
            ProgressView()
                .frame(maxWidth: .infinity)
        } else if model.state.slots.isEmpty {
            Text("booking-no-slots")
                .foregroundStyle(.secondary)
        }
        ForEach(SlotDay.group(model.state.slots, calendar: calendar)) { day in
            VStack(alignment: .leading, spacing: 8) {
                Text(Formatting.day(day.day, locale: locale))
                    .font(.headline)
                    .accessibilityAddTraits(.isHeader)
                LazyVGrid(columns: [GridItem(.adaptive(minimum: 96), spacing: 8)], spacing: 8) {
                    ForEach(day.slots) { slot in
                        SlotButton(slot: slot, selected: slot == model.state.selected) {
                            model.select(slot == model.state.selected ? nil : slot)
                        }
                    }
                }
            }
        }
    }

    private func confirmBar(for slot: Slot) -> some View {
        VStack(spacing: 10) {
            TextField("booking-reason", text: $reason, axis: .vertical)
                .lineLimit(1...3)
                .textFieldStyle(.roundedBorder)
            Button {
                Task { await model.book(reason: reason) }
            } label: {
                Group {
                    if model.state.busy {
                        ProgressView()
                    } else {
                        Text(L10n.format("booking-confirm", locale: locale, Formatting.when(slot.start, locale: locale)))
                            .bold()
                    }
                }
                .frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .disabled(model.state.busy)
        }
        .padding()
        .background(.bar)
    }
}

/// Name, title, rating, price, languages, session length and bio.
private struct ProviderHeader: View {
    let provider: ProviderProfile
    @Environment(\.locale) private var locale

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(provider.displayName)
                .font(.title2.bold())
            Text(provider.title)
                .foregroundStyle(.secondary)
            HStack(spacing: 16) {
                Label(Formatting.rating(provider.rating, locale: locale), systemImage: "star.fill")
                Text(Formatting.price(cents: provider.priceCents, currency: provider.currency, locale: locale))
                Text(L10n.plural("minutes", count: Int(provider.sessionMinutes), locale: locale))
            }
            .font(.subheadline)
            .accessibilityElement(children: .combine)
            if !provider.specialties.isEmpty {
                Text(provider.specialties.joined(separator: " · "))
                    .font(.subheadline)
            }
            if !provider.bio.isEmpty {
                Text(provider.bio)
                    .font(.body)
            }
        }
    }
}

/// One slot's start time; selected slots are filled.
private struct SlotButton: View {
    let slot: Slot
    let selected: Bool
    let action: () -> Void
    @Environment(\.locale) private var locale

    var body: some View {
        Button(action: action) {
            Text(Formatting.time(slot.start, locale: locale))
                .frame(maxWidth: .infinity, minHeight: 44)
                .foregroundStyle(selected ? Color.white : Color.accentColor)
                .background(
                    selected ? Color.accentColor : Color.accentColor.opacity(0.12),
                    in: RoundedRectangle(cornerRadius: 10)
                )
        }
        .buttonStyle(.plain)
        .accessibilityLabel(Text(Formatting.when(slot.start, locale: locale)))
        .accessibilityAddTraits(selected ? .isSelected : [])
    }
}

/// The booking's confirmation: booked, or queued until the device is back online.
private struct BookedCard: View {
    let outcome: BookOutcome
    let providerName: String
    @Environment(\.locale) private var locale

    var body: some View {
        Label {
            Text(message)
                .fixedSize(horizontal: false, vertical: true)
        } icon: {
            Image(systemName: isQueued ? "clock.arrow.circlepath" : "checkmark.seal.fill")
                .foregroundStyle(isQueued ? Color.orange : Color.green)
        }
        .font(.body)
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(Color(uiColor: .secondarySystemBackground), in: RoundedRectangle(cornerRadius: 12))
        .accessibilityElement(children: .combine)
    }

    private var isQueued: Bool {
        if case .queued = outcome { return true }
        return false
    }

    private var message: String {
        switch outcome {
        case .booked(let appointment):
            return L10n.format("booked-confirmation", locale: locale, providerName, Formatting.when(appointment.start, locale: locale))
        case .queued(let view):
            return L10n.format("booking-queued-offline", locale: locale, providerName, Formatting.when(view.appointment.start, locale: locale))
        }
    }
}
