package app.psyter.patient.platform

import android.content.Context
import app.psyter.core.ConnectionReason
import app.psyter.core.Device
import app.psyter.core.DeviceStatus
import app.psyter.core.EngineConnection
import app.psyter.core.EngineEvent
import app.psyter.core.JoinParams
import app.psyter.core.ProbeResult
import app.psyter.ffi.EngineListener
import app.psyter.ffi.MediaEngine
import app.psyter.ffi.PlatformException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Chooses the engine per call from the credentials the core fetched: `sandbox` ones (the reference
 * server without Agora keys) go to [SandboxMediaEngine], the rest to Agora. The pre-call probe uses
 * Agora when an App ID is configured (`psyter.agoraAppId`), else the sandbox.
 */
class RoutingMediaEngine(
    /** The Agora engine (null in a build without it); the call screen attaches its video views. */
    val agora: AgoraMediaEngine?,
    private val sandbox: MediaEngine,
) : MediaEngine {
    @Volatile
    private var active: MediaEngine? = null

    /** Both engines report to [listener]. */
    override fun setListener(listener: EngineListener) {
        agora?.setListener(listener)
        sandbox.setListener(listener)
    }

    /** Joins with the engine the credentials are for. */
    @Throws(PlatformException::class)
    override fun join(params: JoinParams) {
        val engine: MediaEngine = when {
            params.appId == SANDBOX_APP_ID -> sandbox
            agora != null -> agora
            else -> throw PlatformException.Unavailable("this build has no Agora engine for the call's credentials")
        }
        active = engine
        engine.join(params)
    }

    /** Leaves with the engine in use. */
    @Throws(PlatformException::class)
    override fun leave() = current().leave()

    /** Renews the token of the engine in use. */
    @Throws(PlatformException::class)
    override fun renewToken(token: String) = current().renewToken(token)

    /** Mutes the microphone of the engine in use. */
    @Throws(PlatformException::class)
    override fun setAudioMuted(muted: Boolean) = current().setAudioMuted(muted)

    /** Stops the camera of the engine in use. */
    @Throws(PlatformException::class)
    override fun setVideoMuted(muted: Boolean) = current().setVideoMuted(muted)

    /** Switches a device of the engine in use. */
    @Throws(PlatformException::class)
    override fun switchDevice(device: Device, deviceId: String) = current().switchDevice(device, deviceId)

    /** Pauses video on the engine in use. */
    @Throws(PlatformException::class)
    override fun setAudioOnly(audioOnly: Boolean) = current().setAudioOnly(audioOnly)

    /** Probes with Agora when it has an App ID (it measures the real network), else the sandbox. */
    @Throws(PlatformException::class)
    override fun startProbe() = prober().startProbe()

    /** The devices, as the probing engine sees them. */
    @Throws(PlatformException::class)
    override fun devices(): DeviceStatus = prober().devices()

    private fun prober(): MediaEngine = agora?.takeIf { it.canProbe } ?: sandbox

    private fun current(): MediaEngine = active ?: agora ?: sandbox

    /** The app id of sandbox credentials. */
    companion object {
        /** The App ID the reference server hands out when it has no Agora keys. */
        const val SANDBOX_APP_ID = "sandbox"
    }
}

/**
 * A media engine without media, for `sandbox` credentials: joining reports connecting then
 * connected, leaving reports disconnected, and the probe reports an excellent network, so the
 * whole call flow runs without Agora. Devices are the real ones, so the pre-call check stays honest.
 */
class SandboxMediaEngine(context: Context, private val delayMs: Long = 300) : MediaEngine {
    private val appContext = context.applicationContext
    private val timer = Executors.newSingleThreadScheduledExecutor { Thread(it, "psyter-sandbox-media").apply { isDaemon = true } }

    @Volatile
    private var listener: EngineListener? = null

    /** Where events go from now on. */
    override fun setListener(listener: EngineListener) {
        this.listener = listener
    }

    /** Reports connecting at once and connected after the delay. */
    override fun join(params: JoinParams) {
        emit(EngineEvent.Connection(EngineConnection.CONNECTING, ConnectionReason.NORMAL), 0)
        emit(EngineEvent.Connection(EngineConnection.CONNECTED, ConnectionReason.NORMAL), delayMs)
    }

    /** Reports the channel left. */
    override fun leave() = emit(EngineEvent.Connection(EngineConnection.DISCONNECTED, ConnectionReason.LEFT), 0)

    /** Accepts the new token. */
    override fun renewToken(token: String) = Unit

    /** Nothing to mute. */
    override fun setAudioMuted(muted: Boolean) = Unit

    /** Nothing to stop. */
    override fun setVideoMuted(muted: Boolean) = Unit

    /** Nothing to switch. */
    override fun switchDevice(device: Device, deviceId: String) = Unit

    /** Nothing to pause. */
    override fun setAudioOnly(audioOnly: Boolean) = Unit

    /** Reports an excellent network after the delay. */
    override fun startProbe() = emit(EngineEvent.Probe(ProbeResult(uplink = 1u, downlink = 1u, rttMs = 20u)), delayMs)

    /** The real microphone and camera, present and allowed. */
    override fun devices(): DeviceStatus = MediaDevices.status(appContext)

    private fun emit(event: EngineEvent, afterMs: Long) {
        val target = listener ?: return
        timer.schedule(Runnable { target.onEvent(event) }, afterMs, TimeUnit.MILLISECONDS)
    }
}
