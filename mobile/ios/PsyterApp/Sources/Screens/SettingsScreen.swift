import PsyterKit
import SwiftUI

/// The account, the app's language, Face ID unlock, auto-lock, and signing out.
struct SettingsScreen: View {
    @Environment(AppModel.self) private var app
    @Environment(\.locale) private var locale
    @State private var model: SettingsModel
    @State private var language: AppLanguage = .saved
    @State private var biometric = false
    @State private var autoLock: UInt64 = 0
    @State private var confirmForce = false

    /// Auto-lock choices, in seconds (0: never).
    private static let autoLockChoices: [UInt64] = [0, 60, 300, 900, 3600]

    /// Settings of `kit`'s profile.
    init(kit: PsyterKit) {
        _model = State(initialValue: SettingsModel(kit: kit))
    }

    var body: some View {
        Form {
            if let me = model.state.me {
                Section("settings-account") {
                    LabeledContent("settings-name", value: me.displayName)
                    LabeledContent("settings-email", value: me.email)
                }
            }
            Section("settings-language") {
                Picker("settings-language", selection: $language) {
                    ForEach(AppLanguage.allCases) { choice in
                        Text(choice.titleKey).tag(choice)
                    }
                }
            }
            Section {
                Toggle("settings-biometric", isOn: $biometric)
                    .disabled(model.state.local == nil || model.state.busy)
                Picker("settings-auto-lock", selection: $autoLock) {
                    ForEach(Self.autoLockChoices, id: \.self) { secs in
                        Text(autoLockLabel(secs)).tag(secs)
                    }
                }
                .disabled(model.state.local == nil || model.state.busy)
            } header: {
                Text("settings-security")
            } footer: {
                Text("settings-biometric-footer")
            }
            if let error = model.state.error, error.code != "unsent_actions" {
                Section { ErrorBanner(error: error) }
            }
            Section {
                Button("settings-sign-out", role: .destructive) {
                    Task { await model.signOut() }
                }
                .frame(minHeight: 44)
            }
        }
        .navigationTitle("tab-settings")
        .task {
            language = app.language
            await model.load()
        }
        // The device settings as stored (also after a refused change, which puts the switch back).
        .onChange(of: model.state.local, initial: true) { _, local in
            biometric = local?.biometric ?? false
            autoLock = local?.autoLockSecs ?? 0
        }
        .onChange(of: language) { _, choice in
            guard choice != app.language else { return }
            app.setLanguage(choice)
            Task { await model.setLocale(choice.accountTag) }
        }
        .onChange(of: biometric) { _, enabled in
            guard let local = model.state.local, enabled != local.biometric else { return }
            Task {
                await model.setBiometric(enabled)
                biometric = model.state.local?.biometric ?? false
            }
        }
        .onChange(of: autoLock) { _, secs in
            guard let local = model.state.local, secs != local.autoLockSecs else { return }
            Task {
                await model.setAutoLock(secs: secs)
                autoLock = model.state.local?.autoLockSecs ?? 0
            }
        }
        .onChange(of: model.state.error) { _, error in
            confirmForce = error?.code == "unsent_actions"
        }
        .alert("settings-sign-out-anyway-title", isPresented: $confirmForce) {
            Button("settings-sign-out-anyway", role: .destructive) {
                Task { await model.signOut(force: true) }
            }
            Button("common-cancel", role: .cancel) { model.clearError() }
        } message: {
            Text("error-unsent-actions")
        }
    }

    private func autoLockLabel(_ secs: UInt64) -> String {
        secs == 0
            ? L10n.string("settings-auto-lock-never", locale: locale)
            : L10n.plural("minutes", count: Int(secs / 60), locale: locale)
    }
}
