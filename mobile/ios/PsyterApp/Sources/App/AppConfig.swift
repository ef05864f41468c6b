import Foundation
import PsyterKit

/// The build's configuration (Info.plist keys filled from build settings, see project.yml) and the
/// app's data directory.
enum AppConfig {
    /// Whether this is a debug build.
    static var isDebug: Bool {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }

    /// The server's base URL (`PSYTER_SERVER_URL`; the demo server on loopback in debug builds).
    static var serverURL: String {
        info("PsyterServerURL") ?? "http://127.0.0.1:8080"
    }

    /// The Agora App ID for the pre-call probe (`PSYTER_AGORA_APP_ID`); nil: sandbox video only.
    static var agoraAppId: String? {
        info("PsyterAgoraAppID")
    }

    /// Server key pins (`PSYTER_SERVER_PINS`, space-separated `sha256/<base64>`).
    static var pins: [String] {
        (info("PsyterServerPins") ?? "").split(separator: " ").map(String.init)
    }

    /// The kit's configuration for this build.
    static func kitConfig() throws -> KitConfig {
        KitConfig(
            baseUrl: serverURL,
            dataDir: try dataDirectory().path(percentEncoded: false),
            pins: pins,
            logLevel: isDebug ? .debug : .info
        )
    }

    /// `Application Support/Psyter`: readable after the first unlock (like the keychain items, so a
    /// call or sync on a locked phone works) and excluded from backups (its keys never leave the
    /// device, so a restored copy could not be decrypted anyway).
    static func dataDirectory() throws -> URL {
        let files = FileManager.default
        let base = try files.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var directory = base.appendingPathComponent("Psyter", isDirectory: true)
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        try files.setAttributes(
            [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication],
            ofItemAtPath: directory.path(percentEncoded: false)
        )
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try directory.setResourceValues(values)
        return directory
    }

    /// A non-empty string from Info.plist (unset build settings arrive as empty strings).
    private static func info(_ key: String) -> String? {
        guard let value = Bundle.main.object(forInfoDictionaryKey: key) as? String else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
