import PsyterKit
import SwiftUI

/// One appointment: provider, time, status, a pending badge, and Join / Cancel when they apply.
struct AppointmentRow: View {
    let view: AppointmentView
    var onJoin: (() -> Void)?
    var onCancel: (() -> Void)?
    @Environment(\.locale) private var locale

    var body: some View {
        TimelineView(.everyMinute) { context in
            HStack(alignment: .center, spacing: 12) {
                VStack(alignment: .leading, spacing: 4) {
                    Text(view.appointment.providerName)
                        .font(.headline)
                    Text(Formatting.when(view.appointment.start, locale: locale))
                        .font(.subheadline)
                    HStack(spacing: 6) {
                        Badge(key: Formatting.statusKey(view.appointment.status), tint: statusTint)
                        if let pending = view.pending {
                            Badge(key: Formatting.actionKey(pending.state), tint: pending.state == .failed ? .red : .orange)
                        }
                    }
                }
                .accessibilityElement(children: .combine)
                Spacer(minLength: 0)
                if let onJoin, view.isJoinable(at: context.date) {
                    Button("appointment-join", action: onJoin)
                        .buttonStyle(.borderedProminent)
                        .frame(minHeight: 44)
                }
            }
            .padding(.vertical, 4)
        }
        .swipeActions(edge: .trailing) {
            if let onCancel, view.isCancellable() {
                Button("appointment-cancel", role: .destructive, action: onCancel)
            }
        }
        .contextMenu {
            if let onCancel, view.isCancellable() {
                Button("appointment-cancel", role: .destructive, action: onCancel)
            }
        }
    }

    private var statusTint: Color {
        switch view.appointment.status {
        case .booked, .arrived, .checkedIn, .fulfilled: return .green
        case .cancelled, .noshow, .enteredInError: return .secondary
        case .proposed, .pending, .waitlist: return .orange
        }
    }
}
