import PsyterKit
import SwiftUI

/// Email and password, and the authenticator code when the account asks for it.
struct SignInScreen: View {
    @State private var model: SignInModel
    @State private var email = ""
    @State private var password = ""
    @State private var totp = ""

    /// Sign-in to `kit`'s profile.
    init(kit: PsyterKit) {
        _model = State(initialValue: SignInModel(kit: kit))
    }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField("signin-email", text: $email)
                        .textContentType(.username)
                        .keyboardType(.emailAddress)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                    SecureField("signin-password", text: $password)
                        .textContentType(.password)
                    if model.state.needsTotp {
                        TextField("signin-totp", text: $totp)
                            .textContentType(.oneTimeCode)
                            .keyboardType(.numberPad)
                    }
                }
                if let error = model.state.error {
                    Section {
                        ErrorBanner(error: error)
                    }
                }
                Section {
                    Button {
                        signIn()
                    } label: {
                        HStack {
                            Spacer()
                            if model.state.busy {
                                ProgressView()
                            } else {
                                Text("signin-submit").bold()
                            }
                            Spacer()
                        }
                        .frame(minHeight: 44)
                    }
                    .disabled(!canSubmit)
                }
            }
            .navigationTitle("signin-title")
            .onSubmit { signIn() }
        }
    }

    private var canSubmit: Bool {
        !model.state.busy && !email.isEmpty && !password.isEmpty && (!model.state.needsTotp || !totp.isEmpty)
    }

    private func signIn() {
        guard canSubmit else { return }
        Task { await model.signIn(email: email, password: password, totp: model.state.needsTotp ? totp : nil) }
    }
}
