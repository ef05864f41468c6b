import PsyterKit
import SwiftUI

/// Upcoming appointments with their pending badges, actions the server refused (to dismiss),
/// the sync status, and the way to the history.
struct AppointmentsScreen: View {
    let kit: PsyterKit
    @Environment(AppModel.self) private var app
    @Environment(\.locale) private var locale
    @State private var model: AppointmentsModel
    @State private var cancelling: AppointmentView?
    @State private var showCancel = false
    @State private var cancelReason = ""
    @State private var joining: AppointmentView?

    /// A screen over `kit`.
    init(kit: PsyterKit) {
        self.kit = kit
        _model = State(initialValue: AppointmentsModel(kit: kit))
    }

    var body: some View {
        List {
            Section {
                SyncStatusBar(status: app.syncStatus) {
                    Task { await model.sync() }
                }
            }
            if let error = model.state.error {
                Section { ErrorBanner(error: error) }
            }
            if let action = model.state.lastAction {
                Section { ActionNotice(outcome: action) }
            }
            if !model.state.failed.isEmpty {
                Section("appointments-failed-heading") {
                    ForEach(model.state.failed) { action in
                        FailedActionRow(action: action) {
                            Task { await model.dismiss(outboxId: action.outboxId) }
                        }
                    }
                }
            }
            Section("upcoming-heading") {
                if model.state.upcoming.isEmpty && !model.state.busy {
                    Text("no-appointments")
                        .foregroundStyle(.secondary)
                }
                ForEach(model.state.upcoming) { view in
                    AppointmentRow(view: view, onJoin: { joining = view }, onCancel: { askToCancel(view) })
                }
            }
            Section {
                NavigationLink("history-heading") {
                    HistoryScreen(model: model)
                }
                .frame(minHeight: 44)
            }
        }
        .navigationTitle("tab-appointments")
        .refreshable { await model.sync() }
        .task { await model.refresh() }
        .task { await model.observeEvents() }
        .alert("cancel-title", isPresented: $showCancel, presenting: cancelling) { view in
            TextField("cancel-reason", text: $cancelReason)
            Button("cancel-confirm", role: .destructive) {
                let reason = cancelReason
                cancelReason = ""
                Task { await model.cancel(id: view.id, reason: reason) }
            }
            Button("common-keep", role: .cancel) { cancelReason = "" }
        } message: { view in
            Text(L10n.format("cancel-message", locale: locale, view.appointment.providerName, Formatting.when(view.appointment.start, locale: locale)))
        }
        .sheet(item: $joining) { view in
            PreCallScreen(kit: kit, appointment: view)
        }
    }

    private func askToCancel(_ view: AppointmentView) {
        cancelling = view
        cancelReason = ""
        showCancel = true
    }
}

/// How the last cancellation went: done, or queued until the device is online.
private struct ActionNotice: View {
    let outcome: ActionOutcome

    var body: some View {
        switch outcome {
        case .applied:
            Label("cancelled-confirmation", systemImage: "checkmark.circle.fill")
        case .queued:
            Label("cancel-queued-offline", systemImage: "clock.arrow.circlepath")
        }
    }
}

/// An action the server refused: what and why, with a dismiss button.
private struct FailedActionRow: View {
    let action: PendingAction
    let dismiss: () -> Void
    @Environment(\.locale) private var locale

    var body: some View {
        HStack(alignment: .top, spacing: 12) {
            VStack(alignment: .leading, spacing: 4) {
                Text(LocalizedStringKey(kindKey))
                    .font(.headline)
                Text(ErrorText.message(code: action.errorCode ?? "unknown", locale: locale))
                    .font(.subheadline)
                    .foregroundStyle(.secondary)
                    .fixedSize(horizontal: false, vertical: true)
            }
            Spacer(minLength: 0)
            Button("action-dismiss", action: dismiss)
                .buttonStyle(.bordered)
                .frame(minHeight: 44)
        }
        .accessibilityElement(children: .contain)
    }

    private var kindKey: String {
        switch action.kind {
        case .book: return "outbox-book"
        case .cancel: return "outbox-cancel"
        case .reschedule: return "outbox-reschedule"
        case .status: return "outbox-status"
        case .note: return "outbox-note"
        }
    }
}
