import Foundation
import PsyterFFI

/// Where the server and the app's data are.
public struct KitConfig: Sendable, Hashable {
    /// The server's base URL (HTTPS; plain HTTP only on loopback).
    public var baseUrl: String
    /// The app's private data directory (the encrypted cache and outbox live under it).
    public var dataDir: String
    /// The profile: one signed-in account per profile.
    public var profile: String
    /// Accepted server key pins (`sha256/<base64>`); empty means no pinning.
    public var pins: [String]
    /// Longest time one request attempt may take, in seconds.
    public var requestTimeoutSecs: UInt32
    /// The most verbose level the core logs, applied once per process.
    public var logLevel: LogLevel

    /// A configuration; only the server and the data directory have no default.
    public init(
        baseUrl: String,
        dataDir: String,
        profile: String = "default",
        pins: [String] = [],
        requestTimeoutSecs: UInt32 = 30,
        logLevel: LogLevel = .info
    ) {
        self.baseUrl = baseUrl
        self.dataDir = dataDir
        self.profile = profile
        self.pins = pins
        self.requestTimeoutSecs = requestTimeoutSecs
        self.logLevel = logLevel
    }

    /// The core's configuration record.
    var clientConfig: ClientConfig {
        ClientConfig(
            baseUrl: baseUrl,
            dataDir: dataDir,
            profile: profile,
            pins: pins,
            requestTimeoutSecs: requestTimeoutSecs
        )
    }
}

/// The platform services the core uses: only the keychain is required.
public struct PlatformServices: Sendable {
    /// The OS keychain (`KeychainSecretStore`).
    public var secrets: any SecretStore
    /// The biometric prompt (`BiometricKeychainGate`), if the device has one.
    public var biometric: (any BiometricGate)?
    /// The network hint (`PathNetworkMonitor`).
    public var network: (any NetworkMonitor)?
    /// Local notifications for reminders (`UserNotificationScheduler`).
    public var notifications: (any NotificationScheduler)?
    /// Where the core's log records go (`OSLogLogger`).
    public var logger: (any PsyterFFI.Logger)?

    /// The services; the optional ones default to none.
    public init(
        secrets: any SecretStore,
        biometric: (any BiometricGate)? = nil,
        network: (any NetworkMonitor)? = nil,
        notifications: (any NotificationScheduler)? = nil,
        logger: (any PsyterFFI.Logger)? = nil
    ) {
        self.secrets = secrets
        self.biometric = biometric
        self.network = network
        self.notifications = notifications
        self.logger = logger
    }
}

/// A biometric gate that unlocks with a credential enrolled on this device (the keychain item of
/// `BiometricKeychainGate`); the kit enrolls it when the user turns biometric unlock on, and again
/// after a password unlock (a new face or finger invalidates it).
public protocol BiometricEnrollment: Sendable {
    /// Creates (or replaces) the biometric-protected credential.
    func enroll() throws
    /// Removes it (biometric unlock turned off, or signed out).
    func unenroll()
}
