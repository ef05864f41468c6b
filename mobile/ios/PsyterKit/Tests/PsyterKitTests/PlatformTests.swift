import Foundation
import Security
import Testing
@testable import PsyterKit

#if canImport(UserNotifications)
import UserNotifications
#endif
#if canImport(os)
import os
#endif

// The platform services' pure decisions (no keychain, prompt or notification center involved).
// Platform-specific suites sit in top-level `#if` blocks.

/// Keychain failures carry the OSStatus only; a missing keychain is `unavailable`.
@Suite("Keychain")
struct KeychainTests {
    /// The two families of keychain failure.
    @Test func keychainStatusesMapToPlatformErrors() {
        #expect(KeychainSecretStore.error(errSecMissingEntitlement, "reading") == .Unavailable(
            reason: "keychain reading failed (OSStatus \(errSecMissingEntitlement))"
        ))
        #expect(KeychainSecretStore.error(errSecInteractionNotAllowed, "writing") == .Failed(
            reason: "keychain writing failed (OSStatus \(errSecInteractionNotAllowed))"
        ))
    }
}

#if canImport(LocalAuthentication)
/// A failed match or a cancel is `failed`; the password button or no biometry is `unavailable`.
@Suite("Biometric gate")
struct BiometricGateTests {
    /// LocalAuthentication errors as the core's outcomes.
    @Test func biometricErrorsMapToOutcomes() {
        #expect(BiometricKeychainGate.outcome(of: .authenticationFailed) == .failed)
        #expect(BiometricKeychainGate.outcome(of: .userCancel) == .failed)
        #expect(BiometricKeychainGate.outcome(of: .userFallback) == .unavailable)
        #expect(BiometricKeychainGate.outcome(of: .biometryNotEnrolled) == .unavailable)
        #expect(BiometricKeychainGate.outcome(of: .biometryLockout) == .unavailable)
    }
}
#endif

#if canImport(UserNotifications)
/// Reminders within the hour fire by elapsed time; later ones at the calendar instant.
@Suite("Reminder triggers")
struct ReminderTriggerTests {
    /// Both kinds of trigger land on the reminder's instant.
    @Test func reminderTriggers() throws {
        let soon = UserNotificationScheduler.trigger(at: Foundation.Date().addingTimeInterval(600), wait: 600)
        let interval = try #require(soon as? UNTimeIntervalNotificationTrigger)
        #expect(interval.timeInterval == 600)
        #expect(!interval.repeats)
        let fireAt = Foundation.Date().addingTimeInterval(86_400)
        let later = UserNotificationScheduler.trigger(at: fireAt, wait: 86_400)
        let calendar = try #require(later as? UNCalendarNotificationTrigger)
        let next = try #require(calendar.nextTriggerDate())
        #expect(abs(next.timeIntervalSince(fireAt)) < 1)
    }
}
#endif

#if canImport(os)
/// The unified log has no warning level: warnings log as `default`.
@Suite("OSLog logger")
struct OSLogLoggerTests {
    /// Core levels as unified-log types.
    @Test func logLevelsMapToOSLogTypes() {
        #expect(OSLogLogger.osLogType(.error) == .error)
        #expect(OSLogLogger.osLogType(.warn) == .default)
        #expect(OSLogLogger.osLogType(.trace) == .debug)
    }
}
#endif
