import Foundation
import Observation
import PsyterFFI

/// What the sign-in and unlock screens show.
public struct SignInState: Sendable, Equatable {
    /// A call is running.
    public var busy = false
    /// The last failure, shown by its code.
    public var error: KitError?
    /// Signing in (or unlocking) succeeded.
    public var signedIn = false
    /// How the locked session unlocks, once loaded.
    public var unlockMethod: UnlockMethod?
    /// The account wants an authenticator code (`totp_required` or `totp_invalid` was answered).
    public var needsTotp = false

    /// The initial state.
    public init() {}
}

/// Sign-in with email, password and (when asked) a TOTP code; unlocking with Face ID or the password.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class SignInModel {
    /// The screen's state.
    public private(set) var state = SignInState()
    private let kit: PsyterKit

    /// A model over `kit`.
    public init(kit: PsyterKit) {
        self.kit = kit
    }

    /// Signs in; a `totp_required` answer turns `needsTotp` on for the next try.
    public func signIn(email: String, password: String, totp: String? = nil) async {
        guard begin() else { return }
        let result = await kit.session.signIn(email: email, password: password, totp: totp)
        finish(result.discardingValue)
    }

    /// Loads how the locked session unlocks.
    public func loadUnlockMethod() async {
        let result = await kit.session.unlockMethod()
        switch result {
        case .ok(let method): state.unlockMethod = method
        case .err(let error): state.error = error
        }
    }

    /// Unlocks with Face ID / Touch ID; when that is unavailable, switches to the password.
    public func unlockWithBiometric(reason: String) async {
        guard begin() else { return }
        let result = await kit.session.unlockWithBiometric(reason: reason)
        if result.error?.code == "biometric_unavailable" {
            state.unlockMethod = .password
        }
        finish(result)
    }

    /// Unlocks with the account password (and TOTP code when the account has one).
    public func unlockWithPassword(_ password: String, totp: String? = nil) async {
        guard begin() else { return }
        let result = await kit.session.unlockWithPassword(password, totp: totp)
        finish(result)
    }

    /// Forgets the last error (the user edited the form).
    public func clearError() {
        state.error = nil
    }

    private func begin() -> Bool {
        guard !state.busy else { return false }
        state.busy = true
        state.error = nil
        return true
    }

    private func finish(_ result: Outcome<Void>) {
        state.busy = false
        switch result {
        case .ok:
            state.signedIn = true
            state.needsTotp = false
        case .err(let error):
            state.error = error
            if error.code == "totp_required" || error.code == "totp_invalid" {
                state.needsTotp = true
            }
        }
    }
}
