package app.psyter.patient

import android.app.Application
import app.psyter.kit.KitConfig
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PlatformServices
import app.psyter.kit.PsyterKit
import app.psyter.patient.platform.ActivityTracker
import app.psyter.patient.platform.AgoraMediaEngine
import app.psyter.patient.platform.AndroidBiometricGate
import app.psyter.patient.platform.ConnectivityNetworkMonitor
import app.psyter.patient.platform.KeystoreSecretStore
import app.psyter.patient.platform.LogcatLogger
import app.psyter.patient.platform.RoutingMediaEngine
import app.psyter.patient.platform.SandboxMediaEngine
import app.psyter.patient.platform.WorkManagerNotificationScheduler
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/** Where opening the core is: under way, ready with the kit, or failed with a typed error. */
sealed interface KitState {
    /** The core is opening (loading the library, restoring the session). */
    data object Opening : KitState

    /** The core is open. */
    data class Ready(val kit: PsyterKit) : KitState

    /** The core could not open; [error] says why (e.g. `keychain_unavailable`, `storage`). */
    data class Failed(val error: KitError) : KitState
}

/** The process: platform services, and the one PsyterKit, opened off the main thread at start. */
class PsyterApplication : Application() {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val state = MutableStateFlow<KitState>(KitState.Opening)

    /** The resumed activity, for the biometric prompt. */
    val activities = ActivityTracker()

    /** The biometric gate (the unlock screen re-arms it after a password unlock). */
    val biometricGate: AndroidBiometricGate by lazy { AndroidBiometricGate(this, activities) }

    /** The media engine for checks and calls: Agora for Agora credentials, the sandbox for `sandbox` ones. */
    val mediaEngine: RoutingMediaEngine by lazy {
        val agora = AgoraMediaEngine(this, BuildConfig.AGORA_APP_ID.takeIf { it.isNotBlank() })
        RoutingMediaEngine(agora = agora, sandbox = SandboxMediaEngine(this))
    }

    private val network by lazy { ConnectivityNetworkMonitor(this) }

    /** The kit as it opens. */
    val kit: StateFlow<KitState> = state.asStateFlow()

    override fun onCreate() {
        super.onCreate()
        registerActivityLifecycleCallbacks(activities)
        WorkManagerNotificationScheduler.createChannel(this)
        openKit()
    }

    /** Opens the core (again, after a failure); the session is restored, locked when biometric unlock is on. */
    fun openKit() {
        if (state.value is KitState.Ready) return
        state.value = KitState.Opening
        scope.launch {
            val services = PlatformServices(
                secrets = KeystoreSecretStore(this@PsyterApplication),
                biometric = biometricGate,
                network = network,
                notifications = WorkManagerNotificationScheduler(this@PsyterApplication),
                logger = LogcatLogger(),
            )
            val config = KitConfig(
                baseUrl = BuildConfig.BASE_URL,
                dataDir = File(filesDir, "psyter").apply { mkdirs() }.absolutePath,
                pins = BuildConfig.PINS.split(',').map { it.trim() }.filter { it.isNotEmpty() },
            )
            state.value = when (val opened = PsyterKit.open(config, services)) {
                is Outcome.Ok -> {
                    val kit = opened.value
                    network.start { kit.networkChanged() }
                    kit.startBackgroundSync()
                    KitState.Ready(kit)
                }
                is Outcome.Err -> KitState.Failed(opened.error)
            }
        }
    }
}
