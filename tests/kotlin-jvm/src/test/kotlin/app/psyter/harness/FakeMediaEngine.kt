package app.psyter.harness

import app.psyter.core.Device
import app.psyter.core.DeviceStatus
import app.psyter.core.EngineEvent
import app.psyter.core.JoinParams
import app.psyter.core.ProbeResult
import app.psyter.ffi.EngineListener
import app.psyter.ffi.MediaEngine
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread

/**
 * A media engine without media: every device present and allowed, and a probe that reports [probe]
 * back to the core from its own thread through the [EngineListener] the core handed over.
 */
class FakeMediaEngine(private val probe: ProbeResult = ProbeResult(uplink = 1u, downlink = 1u, rttMs = 40u)) : MediaEngine {
    /** The listener the core gave us (null until `setListener`). */
    @Volatile
    var listener: EngineListener? = null
        private set

    /** The engine calls the core made, in order. */
    val calls = CopyOnWriteArrayList<String>()

    /** The thread the probe result was sent from. */
    @Volatile
    var probeThread: String? = null
        private set

    override fun setListener(listener: EngineListener) {
        calls += "setListener"
        this.listener = listener
    }

    override fun join(params: JoinParams) {
        calls += "join"
    }

    override fun leave() {
        calls += "leave"
    }

    override fun renewToken(token: String) {
        calls += "renewToken"
    }

    override fun setAudioMuted(muted: Boolean) {
        calls += "setAudioMuted($muted)"
    }

    override fun setVideoMuted(muted: Boolean) {
        calls += "setVideoMuted($muted)"
    }

    override fun switchDevice(device: Device, deviceId: String) {
        calls += "switchDevice($device, $deviceId)"
    }

    override fun setAudioOnly(audioOnly: Boolean) {
        calls += "setAudioOnly($audioOnly)"
    }

    override fun startProbe() {
        calls += "startProbe"
        val target = checkNotNull(listener) { "the core starts a probe before handing over a listener" }
        thread(name = "fake-engine-probe") {
            Thread.sleep(50)
            probeThread = Thread.currentThread().name
            target.onEvent(EngineEvent.Probe(probe))
        }
    }

    override fun devices(): DeviceStatus {
        calls += "devices"
        return DeviceStatus(microphone = true, microphoneAllowed = true, camera = true, cameraAllowed = true)
    }
}
