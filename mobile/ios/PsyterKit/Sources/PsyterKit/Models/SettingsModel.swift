import Foundation
import Observation
import PsyterFFI

/// What the settings screen shows.
public struct SettingsState: Sendable, Equatable {
    /// The account.
    public var me: Me?
    /// This device's settings.
    public var local: LocalSettings?
    /// A call is running.
    public var busy = false
    /// The last failure (`unsent_actions` on sign-out means: offer to sign out anyway).
    public var error: KitError?
    /// Signing out finished.
    public var signedOut = false

    /// The initial state.
    public init() {}
}

/// The account's language, biometric unlock, auto-lock, and signing out.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class SettingsModel {
    /// The screen's state.
    public private(set) var state = SettingsState()
    private let kit: PsyterKit

    /// A model over `kit`.
    public init(kit: PsyterKit) {
        self.kit = kit
    }

    /// Loads the account and the device settings.
    public func load() async {
        let settings = kit.settings
        state.busy = true
        async let me = settings.me()
        async let local = settings.local()
        let (meResult, localResult) = await (me, local)
        state.busy = false
        state.me = meResult.value ?? state.me
        state.local = localResult.value ?? state.local
        state.error = meResult.error ?? localResult.error
    }

    /// Sets the account's language (`en-US` or `ar`): reminders and pre-call advice follow it.
    public func setLocale(_ tag: String) async {
        guard begin() else { return }
        let update = UpdateMe(displayName: nil, locale: tag, timeZone: nil, reminderMinutes: nil)
        finish(await kit.settings.update(update)) { $0.me = $1 }
    }

    /// Turns biometric unlock on (enrolling Face ID / Touch ID) or off.
    public func setBiometric(_ enabled: Bool) async {
        guard begin() else { return }
        finish(await kit.settings.setBiometric(enabled)) { $0.local = $1 }
    }

    /// Locks after `secs` idle seconds (0: never).
    public func setAutoLock(secs: UInt64) async {
        guard begin() else { return }
        finish(await kit.settings.setAutoLock(secs: secs)) { $0.local = $1 }
    }

    /// Signs out; with actions still queued it fails with `unsent_actions` unless `force`.
    public func signOut(force: Bool = false) async {
        guard begin() else { return }
        finish(await kit.session.signOut(force: force)) { state, _ in state.signedOut = true }
    }

    /// Forgets the last error.
    public func clearError() {
        state.error = nil
    }

    private func begin() -> Bool {
        guard !state.busy else { return false }
        state.busy = true
        state.error = nil
        return true
    }

    private func finish<T: Sendable>(_ result: Outcome<T>, apply: (inout SettingsState, T) -> Void) {
        state.busy = false
        switch result {
        case .ok(let value): apply(&state, value)
        case .err(let error): state.error = error
        }
    }
}
