package app.psyter.kit

import app.psyter.core.CoreEvent
import app.psyter.core.SyncStatus
import app.psyter.ffi.BackgroundSync
import app.psyter.ffi.CoreEventListener
import app.psyter.ffi.LogLevel
import app.psyter.ffi.Logger
import app.psyter.ffi.PlatformConfig
import app.psyter.ffi.PsyterClient
import app.psyter.ffi.PsyterException
import app.psyter.ffi.SyncStatusListener
import app.psyter.ffi.TaskHandle
import app.psyter.ffi.initPlatform
import java.time.Duration
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow

/** One profile of the Psyter core: open it with the platform's services, use its repositories, close it when done. */
class PsyterKit private constructor(private val client: PsyterClient) : AutoCloseable {
    private val syncApi = client.sync()
    private val status = MutableStateFlow(syncApi.status())
    private val eventFlow = MutableSharedFlow<CoreEvent>(extraBufferCapacity = 64, onBufferOverflow = BufferOverflow.DROP_OLDEST)
    private val background = AtomicReference<BackgroundSync?>(null)
    private val closed = AtomicBoolean(false)

    /** Sign-in, lock, unlock, sign-out. */
    val session: SessionRepository = SessionRepository(client.auth())

    /** Provider search, profiles and free slots. */
    val providers: ProviderRepository = ProviderRepository(client.providers())

    /** Appointments, history, booking, cancelling and the outbox. */
    val appointments: AppointmentRepository = AppointmentRepository(client.appointments(), syncApi)

    /** The pre-call check and consultations. */
    val video: VideoRepository = VideoRepository(client.video())

    /** Account and device settings. */
    val settings: SettingsRepository = SettingsRepository(client.settings())

    /** The sync status now and on every change. */
    val syncStatus: StateFlow<SyncStatus> = status.asStateFlow()

    /** The core's events (session, sync, outbox, reminders) as they happen; nothing is replayed. */
    val events: SharedFlow<CoreEvent> = eventFlow.asSharedFlow()

    private val subscriptions: List<TaskHandle> = listOf(
        client.subscribeSyncStatus(StatusSink(status)),
        client.subscribeEvents(EventSink(eventFlow, session)),
    )

    /** Tells the core the network changed: sync wakes and live calls rejoin at once. */
    fun networkChanged() {
        try {
            client.networkChanged()
        } catch (_: PsyterException) {
            // Only a caught core bug can fail here; a hint that did not land changes nothing.
        }
    }

    /** Starts (or restarts) background sync every [interval], sooner when woken. */
    fun startBackgroundSync(interval: Duration = Duration.ofMinutes(5)) {
        check(!closed.get()) { "the kit is closed" }
        background.getAndSet(syncApi.start(interval))?.stopAndFree()
        if (closed.get()) background.getAndSet(null)?.stopAndFree() // closed meanwhile
    }

    /** Cancels the subscriptions, stops background sync and frees the core's objects (idempotent). */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        subscriptions.forEach { it.cancel(); it.close() }
        background.getAndSet(null)?.stopAndFree()
        session.release()
        providers.release()
        appointments.release()
        video.release()
        settings.release()
        syncApi.close()
        client.close()
    }

    /** Opens profiles. */
    companion object {
        private val platformReady = AtomicBoolean(false)

        /** Opens the profile in [config], restoring a stored session (locked when biometric unlock is on). */
        suspend fun open(config: KitConfig, services: PlatformServices): Outcome<PsyterKit> {
            initPlatformOnce(services.logger)
            return outcome {
                val client = PsyterClient.open(
                    config.toClientConfig(),
                    services.secrets,
                    services.biometric,
                    services.network,
                    services.notifications,
                )
                PsyterKit(client)
            }
        }

        /** Sets up the core's runtime and logging, once per process (the first kit's logger stays). */
        private fun initPlatformOnce(logger: Logger?) {
            if (platformReady.get()) return
            synchronized(platformReady) {
                if (!platformReady.get()) {
                    initPlatform(PlatformConfig(logLevel = LogLevel.INFO), logger)
                    platformReady.set(true)
                }
            }
        }
    }
}

/** Stops the loop and frees its handle. */
private fun BackgroundSync.stopAndFree() {
    stop()
    close()
}

/** Pushes each sync status into the kit's StateFlow (called on a core thread). */
private class StatusSink(private val status: MutableStateFlow<SyncStatus>) : SyncStatusListener {
    override fun onStatus(status: SyncStatus) {
        this.status.value = status
    }
}

/** Pushes each core event into the kit's SharedFlow and keeps the session phase current. */
private class EventSink(
    private val events: MutableSharedFlow<CoreEvent>,
    private val session: SessionRepository,
) : CoreEventListener {
    override fun onEvent(event: CoreEvent) {
        if (event is CoreEvent.Locked || event is CoreEvent.SessionEnded) session.refreshPhase()
        events.tryEmit(event)
    }
}
