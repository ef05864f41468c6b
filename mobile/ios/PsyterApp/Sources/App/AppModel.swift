import Observation
import os
import PsyterKit
import SwiftUI

/// The app's state: the opened kit, the session phase, sync status, notices from the core, the
/// chosen language, and the media engine calls use.
@MainActor
@Observable
final class AppModel {
    /// Where opening the kit is.
    enum Stage: Equatable {
        case starting
        case failed(KitError)
        case ready
    }

    /// Something the core reported that the user should know.
    enum Notice: Equatable {
        /// The server refused a queued action (shown by its code).
        case actionFailed(code: String)
        /// The offline data was unreadable and is being downloaded again.
        case cacheRebuilt
    }

    private(set) var stage: Stage = .starting
    private(set) var kit: PsyterKit?
    private(set) var phase: SessionPhase = .signedOut
    private(set) var syncStatus: SyncStatus?
    /// The core's latest notice for the user, until they dismiss it.
    var notice: Notice?
    /// A consultation is on screen (the session stays unlocked in the background during it).
    var callActive = false
    /// The UI's language (the account's follows it, see SettingsScreen).
    private(set) var language: AppLanguage = .saved

    /// Agora when this build has it and an App ID is configured; the sandbox engine otherwise.
    let engine: RoutingMediaEngine
    private let notifications = UserNotificationScheduler()
    private let relay = NetworkRelay()
    @ObservationIgnored private var network: PathNetworkMonitor?
    @ObservationIgnored private var watchers: [Task<Void, Never>] = []
    @ObservationIgnored private var askedForNotifications = false
    @ObservationIgnored private var opening = false

    /// Chooses the media engine from the build's configuration; `start()` opens the kit.
    init() {
        engine = RoutingMediaEngine.standard(agoraAppId: AppConfig.agoraAppId)
    }

    /// Opens the kit once (again after a failure).
    func start() async {
        guard kit == nil, !opening else { return }
        opening = true
        defer { opening = false }
        stage = .starting
        let config: KitConfig
        do {
            config = try AppConfig.kitConfig()
        } catch {
            stage = .failed(KitError(kind: .device, code: "storage", message: "data directory: \(type(of: error))"))
            return
        }
        let relay = relay
        let network = PathNetworkMonitor { relay.networkChanged() }
        let services = PlatformServices(
            secrets: KeychainSecretStore(),
            biometric: BiometricKeychainGate(),
            network: network,
            notifications: notifications,
            logger: OSLogLogger(revealMessages: AppConfig.isDebug)
        )
        let opened = await PsyterKit.open(config: config, services: services)
        switch opened {
        case .ok(let kit):
            relay.attach(kit)
            self.kit = kit
            self.network = network
            phase = kit.session.currentPhase
            syncStatus = kit.currentSyncStatus
            watch(kit)
            kit.startBackgroundSync()
            stage = .ready
        case .err(let error):
            network.stop()
            stage = .failed(error)
        }
    }

    /// Switches the UI's language and remembers the choice.
    func setLanguage(_ choice: AppLanguage) {
        language = choice
        choice.save()
    }

    /// Locks the session when the app leaves the screen (unless a call is on), and refreshes on return.
    func scenePhaseChanged(_ scenePhase: ScenePhase) {
        guard let kit else { return }
        switch scenePhase {
        case .background: kit.suspend(keepingSession: callActive)
        case .active: kit.resume()
        default: break
        }
    }

    private func watch(_ kit: PsyterKit) {
        watchers.forEach { $0.cancel() }
        watchers = [
            Task { [weak self] in
                for await phase in kit.session.phase {
                    self?.phaseChanged(phase)
                }
            },
            Task { [weak self] in
                for await status in kit.syncStatus {
                    self?.syncStatus = status
                }
            },
            Task { [weak self] in
                for await event in kit.events {
                    self?.handle(event)
                }
            },
        ]
    }

    private func phaseChanged(_ phase: SessionPhase) {
        self.phase = phase
        guard phase == .active, !askedForNotifications else { return }
        askedForNotifications = true
        let notifications = notifications
        Task { _ = await notifications.requestAuthorization() }
    }

    private func handle(_ event: CoreEvent) {
        switch event {
        case .actionFailed(_, let code): notice = .actionFailed(code: code)
        case .cacheRebuilt: notice = .cacheRebuilt
        default: break
        }
    }
}

/// Hands the network monitor's changes to the kit, which is opened after the monitor (the kit
/// needs the monitor to open); callable from the monitor's queue.
final class NetworkRelay: Sendable {
    private let kit = OSAllocatedUnfairLock<PsyterKit?>(initialState: nil)

    /// From now on, changes go to `kit`.
    func attach(_ kit: PsyterKit) {
        self.kit.withLock { $0 = kit }
    }

    /// Tells the kit (if open) that the network changed.
    func networkChanged() {
        kit.withLock { $0 }?.networkChanged()
    }
}
