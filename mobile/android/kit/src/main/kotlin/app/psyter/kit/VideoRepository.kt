package app.psyter.kit

import app.psyter.core.CallRecord
import app.psyter.core.CallView
import app.psyter.core.Device
import app.psyter.core.PreCallReport
import app.psyter.ffi.CallSession
import app.psyter.ffi.CallViewListener
import app.psyter.ffi.MediaEngine
import app.psyter.ffi.PsyterException
import app.psyter.ffi.VideoApi
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** The pre-call check and joining consultations through the platform's media engine. */
class VideoRepository internal constructor(private val api: VideoApi) {
    /** Checks microphone, camera and network through [engine]; verdicts come with advice in the user's language. */
    suspend fun check(engine: MediaEngine): Outcome<PreCallReport> = outcome { api.check(engine) }

    /** Joins the consultation of [appointmentId] (inside its join window) with [engine]. */
    suspend fun join(appointmentId: String, engine: MediaEngine): Outcome<CallController> =
        outcome { CallController(api.join(appointmentId, engine)) }

    /** Frees the core object when the kit closes. */
    internal fun release() = api.close()
}

/** A live consultation: its [view], its controls, and its record once it has ended. */
class CallController internal constructor(private val call: CallSession) : AutoCloseable {
    private val current = MutableStateFlow(call.view())
    private val failure = MutableStateFlow<KitError?>(null)
    private val subscription = call.subscribe(ViewSink(current))
    private val closed = AtomicBoolean(false)

    /** The call's state (connecting, connected, reconnecting, audio-only, ended) as it changes. */
    val view: StateFlow<CallView> = current.asStateFlow()

    /** The error of the last control call (e.g. the engine refused to mute), or null when it succeeded. */
    val lastError: StateFlow<KitError?> = failure.asStateFlow()

    /** Leaves the call (always possible, always clean). */
    fun leave() = control { call.leave() }

    /** Mutes or unmutes the microphone. */
    fun muteAudio(muted: Boolean) = control { call.muteAudio(muted) }

    /** Stops or restarts the camera. */
    fun muteVideo(muted: Boolean) = control { call.muteVideo(muted) }

    /** Switches the microphone, camera or speaker to the platform's [deviceId]. */
    fun switchDevice(device: Device, deviceId: String) = control { call.switchDevice(device, deviceId) }

    /** Waits until the call has ended or failed and returns its record (once). */
    suspend fun finished(): Outcome<CallRecord> = outcome { call.finished() }

    /** Leaves the call, stops following its state and frees it (idempotent). */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        leave()
        subscription.cancel()
        subscription.close()
        call.close()
    }

    private inline fun control(action: () -> Unit) {
        try {
            action()
            failure.value = null
        } catch (e: PsyterException) {
            failure.value = KitError.from(e)
        }
    }
}

/** Pushes each call view into the controller's StateFlow (called on a core thread). */
private class ViewSink(private val view: MutableStateFlow<CallView>) : CallViewListener {
    override fun onView(view: CallView) {
        this.view.value = view
    }
}
