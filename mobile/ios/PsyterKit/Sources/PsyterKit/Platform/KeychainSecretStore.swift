import Foundation
import PsyterFFI
import Security

/// Keychain Services as the core's secret store: generic passwords under one service, one account
/// per key (the refresh token, the cache and outbox keys).
///
/// Items are `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`: readable while the phone is locked
/// once it has been unlocked after boot, so a call or a background sync that wakes a locked phone
/// still works, and never migrated to another device by a backup. Errors carry the `OSStatus` only.
public final class KeychainSecretStore: SecretStore {
    private let service: String
    private let accessGroup: String?

    /// A store under `service` (and a shared `accessGroup`, if the app has one).
    public init(service: String = "app.psyter.patient.core", accessGroup: String? = nil) {
        self.service = service
        self.accessGroup = accessGroup
    }

    /// The secret under `key`, or nil when there is none.
    public func get(key: String) throws -> Data? {
        var query = baseQuery(key)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data else {
                throw PlatformError.Failed(reason: "keychain item is not data")
            }
            return data
        case errSecItemNotFound:
            return nil
        default:
            throw Self.error(status, "reading")
        }
    }

    /// Stores `value` under `key`, replacing what was there.
    public func set(key: String, value: Data) throws {
        let attributes: [String: Any] = [
            kSecValueData as String: value,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        var status = SecItemUpdate(baseQuery(key) as CFDictionary, attributes as CFDictionary)
        if status == errSecItemNotFound {
            let item = baseQuery(key).merging(attributes) { _, new in new }
            status = SecItemAdd(item as CFDictionary, nil)
        }
        guard status == errSecSuccess else {
            throw Self.error(status, "writing")
        }
    }

    /// Removes the secret under `key`; a missing key is not an error.
    public func delete(key: String) throws {
        let status = SecItemDelete(baseQuery(key) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw Self.error(status, "deleting")
        }
    }

    private func baseQuery(_ key: String) -> [String: Any] {
        var query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: key,
            kSecUseDataProtectionKeychain as String: true,
        ]
        if let accessGroup {
            query[kSecAttrAccessGroup as String] = accessGroup
        }
        return query
    }

    /// A keychain failure as a platform error: no keychain at all is `unavailable` (the core then
    /// cannot keep anyone signed in), anything else `failed` (try again). Never includes secrets.
    static func error(_ status: OSStatus, _ action: String) -> PlatformError {
        let reason = "keychain \(action) failed (OSStatus \(status))"
        switch status {
        case errSecNotAvailable, errSecMissingEntitlement:
            return .Unavailable(reason: reason)
        default:
            return .Failed(reason: reason)
        }
    }
}
