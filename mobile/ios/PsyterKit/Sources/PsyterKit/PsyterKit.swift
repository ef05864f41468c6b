import Foundation
import PsyterFFI

/// One profile of the Psyter core: open it with the platform's services, use its repositories,
/// watch `syncStatus` and `events`, and `close()` it when the app is done with it.
public final class PsyterKit: Sendable {
    /// Sign-in, lock, unlock, sign-out.
    public let session: SessionRepository
    /// Provider search, profiles, slots.
    public let providers: ProviderRepository
    /// Appointments, history, booking, cancelling, the outbox.
    public let appointments: AppointmentRepository
    /// The pre-call check and consultations.
    public let video: VideoRepository
    /// Account and device settings.
    public let settings: SettingsRepository

    private let client: PsyterClient
    private let statusFeed: Broadcast<SyncStatus>
    private let eventFeed: Broadcast<CoreEvent>
    private let running: Locked<Running>

    /// What `close()` stops.
    private struct Running: Sendable {
        var subscriptions: [TaskHandle] = []
        var background: BackgroundSync?
        var closed = false
    }

    /// Whether `initPlatform` has run in this process (the core sets up logging once).
    private static let platformReady = Locked(false)

    /// Opens the profile in `config.dataDir`, restoring a stored session (locked when biometric
    /// unlock is on). Fails with `account_mismatch` when the profile belongs to another server.
    public static func open(config: KitConfig, services: PlatformServices) async -> Outcome<PsyterKit> {
        initPlatformOnce(level: config.logLevel, logger: services.logger)
        return await outcome {
            let client = try await PsyterClient.open(
                config: config.clientConfig,
                secrets: services.secrets,
                biometric: services.biometric,
                network: services.network,
                notifications: services.notifications
            )
            return PsyterKit(client: client, enrollment: services.biometric as? any BiometricEnrollment)
        }
    }

    private init(client: PsyterClient, enrollment: (any BiometricEnrollment)?) {
        let settingsApi = client.settings()
        let session = SessionRepository(auth: client.auth(), settings: settingsApi, enrollment: enrollment)
        let statusFeed = Broadcast<SyncStatus>(replaying: client.sync().status(), bufferSize: 1)
        let eventFeed = Broadcast<CoreEvent>(backlog: 64)
        self.client = client
        self.session = session
        providers = ProviderRepository(api: client.providers())
        appointments = AppointmentRepository(api: client.appointments(), sync: client.sync())
        video = VideoRepository(api: client.video())
        settings = SettingsRepository(api: settingsApi, enrollment: enrollment)
        self.statusFeed = statusFeed
        self.eventFeed = eventFeed
        let handles = [
            client.subscribeSyncStatus(listener: SyncStatusSink(feed: statusFeed)),
            client.subscribeEvents(listener: CoreEventSink(feed: eventFeed) { session.refreshPhase() }),
        ]
        running = Locked(Running(subscriptions: handles))
    }

    /// The sync status now and on every change; each access is a new subscription.
    public var syncStatus: AsyncStream<SyncStatus> {
        statusFeed.stream()
    }

    /// The latest sync status.
    public var currentSyncStatus: SyncStatus {
        statusFeed.latest ?? client.sync().status()
    }

    /// The core's events (session, sync, outbox, reminders); the first subscriber also gets what
    /// happened while the kit was opening. Each access is a new subscription.
    public var events: AsyncStream<CoreEvent> {
        eventFeed.stream()
    }

    /// The profile's name.
    public var profile: String {
        client.profile()
    }

    /// Tells the core the network changed: sync wakes and live calls rejoin at once.
    public func networkChanged() {
        try? client.networkChanged()
    }

    /// Starts (or restarts) the background sync loop: every `interval`, sooner on wake-ups.
    public func startBackgroundSync(interval: Duration = .seconds(300)) {
        let loop = client.sync().start(interval: interval.timeInterval)
        let previous = running.withLock { running -> BackgroundSync? in
            if running.closed { return loop }
            defer { running.background = loop }
            return running.background
        }
        previous?.stop()
    }

    /// Stops the background sync loop.
    public func stopBackgroundSync() {
        let loop = running.withLock { running -> BackgroundSync? in
            defer { running.background = nil }
            return running.background
        }
        loop?.stop()
    }

    /// Prepares for the background: locks the session (the core has no suspend yet; see README).
    /// A live call keeps the session, so token renewal keeps working while the app is away.
    public func suspend(keepingSession: Bool = false) {
        if !keepingSession {
            session.lock()
        }
    }

    /// Back in the foreground: the network may have changed while the app was away.
    public func resume() {
        networkChanged()
        session.refreshPhase()
    }

    /// Cancels the subscriptions, stops background sync and ends every stream (idempotent). The
    /// core's objects are freed when the last reference to the kit goes.
    public func close() {
        let stopped = running.withLock { running -> Running? in
            guard !running.closed else { return nil }
            defer { running = Running(closed: true) }
            return running
        }
        guard let stopped else { return }
        stopped.subscriptions.forEach { $0.cancel() }
        stopped.background?.stop()
        statusFeed.finish()
        eventFeed.finish()
        session.finish()
    }

    /// Sets up the core's runtime and logging, once per process.
    private static func initPlatformOnce(level: LogLevel, logger: (any PsyterFFI.Logger)?) {
        let first = platformReady.withLock { ready -> Bool in
            defer { ready = true }
            return !ready
        }
        if first {
            initPlatform(config: PlatformConfig(logLevel: level), logger: logger)
        }
    }
}

extension Duration {
    /// The duration in seconds, as Foundation counts them.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
