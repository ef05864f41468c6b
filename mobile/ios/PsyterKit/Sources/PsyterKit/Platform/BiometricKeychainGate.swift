#if canImport(LocalAuthentication)
import Foundation
import LocalAuthentication
import PsyterFFI
import Security

/// Face ID / Touch ID for unlocking: a keychain item protected by `.biometryCurrentSet`, read with
/// an `LAContext` that has just evaluated the biometric policy with the core's reason.
///
/// Enrolling a new face or finger deletes the item, so the next unlock answers `unavailable` and
/// the core falls back to the password (after which the kit enrolls again). The core calls
/// `authenticate` from a background thread and waits; it blocks on a semaphore and never runs on
/// the main thread.
public final class BiometricKeychainGate: BiometricGate, BiometricEnrollment {
    private let service: String
    private let account = "biometric-unlock"

    /// A gate whose item lives under `service`.
    public init(service: String = "app.psyter.patient.biometric") {
        self.service = service
    }

    /// Shows the biometric prompt with `reason` and reads the protected item with it.
    public func authenticate(reason: String) -> BiometricOutcome {
        // Blocking the main thread would freeze the UI behind the prompt; the core never does this.
        guard !Thread.isMainThread else { return .unavailable }
        let context = LAContext()
        var policyError: NSError?
        guard context.canEvaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, error: &policyError) else {
            return .unavailable
        }
        context.localizedReason = reason
        if let failure = evaluate(context, reason: reason) {
            return Self.outcome(of: failure)
        }
        var query = baseQuery()
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        query[kSecUseAuthenticationContext as String] = context
        var item: CFTypeRef?
        switch SecItemCopyMatching(query as CFDictionary, &item) {
        case errSecSuccess:
            return .passed
        case errSecUserCanceled:
            return .failed
        default:
            // errSecItemNotFound / errSecAuthFailed: the enrolment changed (or was never made).
            return .unavailable
        }
    }

    /// Creates the biometric-protected item (replacing an old one); throws when the device has no
    /// usable Face ID / Touch ID.
    public func enroll() throws {
        var policyError: NSError?
        guard LAContext().canEvaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, error: &policyError) else {
            throw PlatformError.Unavailable(reason: "no biometric enrolment (LAError \(policyError?.code ?? 0))")
        }
        unenroll()
        var cfError: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .biometryCurrentSet, &cfError
        ) else {
            _ = cfError?.takeRetainedValue()
            throw PlatformError.Unavailable(reason: "biometric access control is not available")
        }
        var item = baseQuery()
        item[kSecAttrAccessControl as String] = access
        item[kSecValueData as String] = Self.randomToken()
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw KeychainSecretStore.error(status, "enrolling biometric unlock")
        }
    }

    /// Deletes the item (no prompt needed to delete).
    public func unenroll() {
        SecItemDelete(baseQuery() as CFDictionary)
    }

    /// Evaluates the biometric policy, waiting for the answer; nil when it passed.
    private func evaluate(_ context: LAContext, reason: String) -> LAError.Code? {
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<Int?>(nil)
        context.evaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, localizedReason: reason) { success, error in
            if !success {
                let code = (error as? LAError)?.code ?? .authenticationFailed
                failure.withLock { $0 = code.rawValue }
            }
            done.signal()
        }
        done.wait()
        return failure.current.map { LAError.Code(rawValue: $0) ?? .authenticationFailed }
    }

    /// What a failed evaluation means to the core: the user's "Enter Password" choice and a missing
    /// or locked-out biometry send the user to the password; a failed match or cancel does not.
    static func outcome(of code: LAError.Code) -> BiometricOutcome {
        switch code {
        case .authenticationFailed, .userCancel, .systemCancel, .appCancel:
            return .failed
        default:
            return .unavailable
        }
    }

    private func baseQuery() -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    private static func randomToken() -> Data {
        var bytes = [UInt8](repeating: 0, count: 32)
        let status = SecRandomCopyBytes(kSecRandomDefault, bytes.count, &bytes)
        if status != errSecSuccess {
            bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        }
        return Data(bytes)
    }
}
#endif
