import PsyterKit
import SwiftUI

/// The locked session: Face ID / Touch ID first when it is on, the password always possible.
struct UnlockScreen: View {
    @State private var model: SignInModel
    @State private var password = ""
    @State private var totp = ""
    @State private var usePassword = false
    @State private var prompted = false
    @Environment(\.locale) private var locale
    @Environment(\.scenePhase) private var scenePhase

    /// Unlocking `kit`'s session.
    init(kit: PsyterKit) {
        _model = State(initialValue: SignInModel(kit: kit))
    }

    var body: some View {
        VStack(spacing: 24) {
            Image(systemName: "lock.fill")
                .font(.largeTitle)
                .foregroundStyle(.secondary)
                .accessibilityHidden(true)
            Text("session-locked")
                .font(.title3)
                .multilineTextAlignment(.center)
            if model.state.unlockMethod == .biometric && !usePassword {
                biometricButtons
            } else {
                passwordForm
            }
            if let error = model.state.error {
                ErrorBanner(error: error)
            }
        }
        .padding()
        .frame(maxWidth: 480)
        .task(id: scenePhase) {
            // Prompt once the app is on screen: a prompt while it is still in the background fails.
            guard scenePhase == .active else { return }
            if model.state.unlockMethod == nil {
                await model.loadUnlockMethod()
            }
            if model.state.unlockMethod == .biometric && !prompted {
                prompted = true
                unlockWithBiometric()
            }
        }
    }

    private var biometricButtons: some View {
        VStack(spacing: 12) {
            Button {
                unlockWithBiometric()
            } label: {
                Label("unlock-biometric", systemImage: "faceid")
                    .frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .disabled(model.state.busy)
            Button("unlock-use-password") { usePassword = true }
                .frame(minHeight: 44)
        }
    }

    private var passwordForm: some View {
        VStack(spacing: 12) {
            SecureField("signin-password", text: $password)
                .textContentType(.password)
                .textFieldStyle(.roundedBorder)
                .frame(minHeight: 44)
            if model.state.needsTotp {
                TextField("signin-totp", text: $totp)
                    .textContentType(.oneTimeCode)
                    .keyboardType(.numberPad)
                    .textFieldStyle(.roundedBorder)
                    .frame(minHeight: 44)
            }
            Button {
                unlockWithPassword()
            } label: {
                Group {
                    if model.state.busy {
                        ProgressView()
                    } else {
                        Text("session-locked-action")
                    }
                }
                .frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .disabled(password.isEmpty || model.state.busy)
        }
        .onSubmit { unlockWithPassword() }
    }

    private func unlockWithBiometric() {
        let reason = L10n.string("unlock-biometric-reason", locale: locale)
        Task { await model.unlockWithBiometric(reason: reason) }
    }

    private func unlockWithPassword() {
        guard !password.isEmpty, !model.state.busy else { return }
        Task { await model.unlockWithPassword(password, totp: model.state.needsTotp ? totp : nil) }
    }
}
