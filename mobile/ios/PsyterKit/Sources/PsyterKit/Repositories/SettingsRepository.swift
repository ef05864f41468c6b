import Foundation
import PsyterFFI

/// The account (name, language, reminders) and this device's settings (biometric unlock, auto-lock).
public final class SettingsRepository: Sendable {
    private let api: SettingsApi
    private let enrollment: (any BiometricEnrollment)?

    init(api: SettingsApi, enrollment: (any BiometricEnrollment)?) {
        self.api = api
        self.enrollment = enrollment
    }

    /// The signed-in account as last seen (works offline).
    public func me() async -> Outcome<Me> {
        await outcome { try await api.me() }
    }

    /// Changes the account (only the fields set); needs the server.
    public func update(_ update: UpdateMe) async -> Outcome<Me> {
        await outcome { try await api.update(update: update) }
    }

    /// This device's settings.
    public func local() async -> Outcome<LocalSettings> {
        await outcome { try await api.local() }
    }

    /// Turns biometric unlock on or off. Turning it on first enrolls the biometric credential, so
    /// a device without Face ID / Touch ID gets `biometric_unavailable` instead of a setting that
    /// can never unlock.
    public func setBiometric(_ enabled: Bool) async -> Outcome<LocalSettings> {
        if enabled, let enrollment {
            do {
                try enrollment.enroll()
            } catch {
                return .err(KitError(kind: .device, code: "biometric_unavailable", message: "enrolling failed: \(error)"))
            }
        }
        let result = await outcome { try await api.setBiometric(enabled: enabled) }
        if !enabled, result.error == nil {
            enrollment?.unenroll()
        }
        return result
    }

    /// Locks the session after `secs` idle seconds (0: never).
    public func setAutoLock(secs: UInt64) async -> Outcome<LocalSettings> {
        await outcome { try await api.setAutoLock(secs: secs) }
    }
}
