import Foundation
import PsyterFFI

/// Sign-in, lock, unlock and sign-out, with the session phase as a stream.
public final class SessionRepository: Sendable {
    private let auth: AuthApi
    private let settings: SettingsApi
    private let enrollment: (any BiometricEnrollment)?
    private let phaseFeed: Broadcast<SessionPhase>

    init(auth: AuthApi, settings: SettingsApi, enrollment: (any BiometricEnrollment)?) {
        self.auth = auth
        self.settings = settings
        self.enrollment = enrollment
        phaseFeed = Broadcast(replaying: auth.phase())
    }

    /// The phase now and on every change (refreshed after each call and on lock or session end);
    /// every access is a new subscription.
    public var phase: AsyncStream<SessionPhase> {
        phaseFeed.stream()
    }

    /// The phase right now.
    public var currentPhase: SessionPhase {
        auth.phase()
    }

    /// Signs in; `totp_required` means: ask for the authenticator code and call again with it.
    public func signIn(email: String, password: String, totp: String? = nil) async -> Outcome<Me> {
        let result = await outcome {
            try await auth.login(email: email, password: password, totpCode: totp.nonBlank)
        }
        refreshPhase()
        return result
    }

    /// How a locked session unlocks on this device (biometric when enabled and available).
    public func unlockMethod() async -> Outcome<UnlockMethod> {
        await outcome { try await auth.unlockMethod() }
    }

    /// Unlocks with the biometric prompt; `biometric_unavailable` means: ask for the password.
    public func unlockWithBiometric(reason: String) async -> Outcome<Void> {
        let result = await outcome { try await auth.unlockWithBiometric(reason: reason) }
        refreshPhase()
        return result
    }

    /// Unlocks with the password (checked by the server, so it needs the network), then re-enrolls
    /// the biometric credential if biometric unlock is on (a new face or finger invalidates it).
    public func unlockWithPassword(_ password: String, totp: String? = nil) async -> Outcome<Void> {
        let result = await outcome {
            try await auth.unlockWithPassword(password: password, totpCode: totp.nonBlank)
        }
        refreshPhase()
        if result.error == nil, let enrollment, (try? await settings.local())?.biometric == true {
            try? enrollment.enroll()
        }
        return result
    }

    /// Locks the session now (the app went to the background, or the user asked).
    public func lock() {
        try? auth.lock()
        refreshPhase()
    }

    /// Signs out and wipes this profile's data; `unsent_actions` unless `force` while actions are
    /// queued. The value says whether the server confirmed the sign-out.
    public func signOut(force: Bool = false) async -> Outcome<Bool> {
        let result = await outcome { try await auth.logout(force: force) }
        if result.error == nil {
            enrollment?.unenroll()
        }
        refreshPhase()
        return result
    }

    /// Publishes the core's phase if it changed.
    func refreshPhase() {
        phaseFeed.sendIfChanged(auth.phase())
    }

    /// Ends the phase stream (the kit is closing).
    func finish() {
        phaseFeed.finish()
    }
}

extension Optional where Wrapped == String {
    /// The trimmed text, or nil when it is empty.
    var nonBlank: String? {
        guard let text = self?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
