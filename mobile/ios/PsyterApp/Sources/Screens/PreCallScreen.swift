import PsyterKit
import SwiftUI

/// The pre-call check: asks for microphone and camera access, checks them and the network, and
/// lets the patient join unless something failed.
struct PreCallScreen: View {
    let kit: PsyterKit
    let appointment: AppointmentView
    @Environment(AppModel.self) private var app
    @Environment(\.dismiss) private var dismiss
    @Environment(\.locale) private var locale
    @State private var model: PreCallModel
    @State private var inCall = false

    /// The check before joining `appointment`.
    init(kit: PsyterKit, appointment: AppointmentView) {
        self.kit = kit
        self.appointment = appointment
        _model = State(initialValue: PreCallModel(kit: kit))
    }

    var body: some View {
        NavigationStack {
            List {
                Section {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(appointment.appointment.providerName)
                            .font(.headline)
                        Text(Formatting.when(appointment.appointment.start, locale: locale))
                            .foregroundStyle(.secondary)
                    }
                    .accessibilityElement(children: .combine)
                }
                Section("precall-title") {
                    if model.state.busy {
                        HStack(spacing: 12) {
                            ProgressView()
                            Text("call-state-checking")
                        }
                    }
                    if let report = model.state.report {
                        ForEach(report.items) { result in
                            CheckRow(result: result)
                        }
                    }
                    if let error = model.state.error {
                        ErrorBanner(error: error)
                    }
                }
                Section {
                    Button {
                        inCall = true
                    } label: {
                        Label("precall-join", systemImage: "video.fill")
                            .frame(maxWidth: .infinity, minHeight: 44)
                    }
                    .buttonStyle(.borderedProminent)
                    .disabled(!model.state.canJoin)
                    Button("precall-retry") {
                        Task { await runCheck() }
                    }
                    .frame(minHeight: 44)
                    .disabled(model.state.busy)
                }
            }
            .navigationTitle("precall-title")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("common-close") { dismiss() }
                }
            }
            .task { await runCheck() }
            .fullScreenCover(isPresented: $inCall) {
                CallScreen(kit: kit, appointment: appointment)
            }
        }
    }

    private func runCheck() async {
        await MediaDevices.requestAccess()
        await model.run(engine: app.engine)
    }
}

/// One line of the check: the item, its verdict, and the advice in the UI's language.
private struct CheckRow: View {
    let result: CheckResult
    @Environment(\.locale) private var locale

    var body: some View {
        HStack(alignment: .top, spacing: 12) {
            Image(systemName: icon)
                .foregroundStyle(tint)
                .font(.title3)
                .accessibilityHidden(true)
            VStack(alignment: .leading, spacing: 4) {
                Text(LocalizedStringKey(itemKey))
                    .font(.headline)
                // The core's message id, localised here; the core's own text when the app lacks it.
                Text(L10n.lookup(result.messageId, locale: locale) ?? result.message)
                    .font(.subheadline)
                    .foregroundStyle(.secondary)
                    .fixedSize(horizontal: false, vertical: true)
            }
        }
        .accessibilityElement(children: .combine)
        .accessibilityValue(Text(LocalizedStringKey(verdictKey)))
    }

    private var itemKey: String {
        switch result.item {
        case .microphone: return "check-microphone"
        case .camera: return "check-camera"
        case .network: return "check-network"
        }
    }

    private var verdictKey: String {
        switch result.verdict {
        case .pass: return "verdict-pass"
        case .warn: return "verdict-warn"
        case .fail: return "verdict-fail"
        }
    }

    private var icon: String {
        switch result.verdict {
        case .pass: return "checkmark.circle.fill"
        case .warn: return "exclamationmark.triangle.fill"
        case .fail: return "xmark.octagon.fill"
        }
    }

    private var tint: Color {
        switch result.verdict {
        case .pass: return .green
        case .warn: return .orange
        case .fail: return .red
        }
    }
}
