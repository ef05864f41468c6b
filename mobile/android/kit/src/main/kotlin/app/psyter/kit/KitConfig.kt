package app.psyter.kit

import app.psyter.ffi.BiometricGate
import app.psyter.ffi.ClientConfig
import app.psyter.ffi.Logger
import app.psyter.ffi.NetworkMonitor
import app.psyter.ffi.NotificationScheduler
import app.psyter.ffi.SecretStore

/** Where the server and this profile's data are. */
data class KitConfig(
    val baseUrl: String,
    val dataDir: String,
    val profile: String = "default",
    val pins: List<String> = emptyList(),
    val requestTimeoutSecs: UInt = 30u,
)

/** The platform's services the core calls back into (keystore, biometric prompt, network, notifications, log). */
data class PlatformServices(
    val secrets: SecretStore,
    val biometric: BiometricGate? = null,
    val network: NetworkMonitor? = null,
    val notifications: NotificationScheduler? = null,
    val logger: Logger? = null,
)

/** The core's view of [KitConfig]. */
internal fun KitConfig.toClientConfig(): ClientConfig =
    ClientConfig(baseUrl = baseUrl, dataDir = dataDir, profile = profile, pins = pins, requestTimeoutSecs = requestTimeoutSecs)
