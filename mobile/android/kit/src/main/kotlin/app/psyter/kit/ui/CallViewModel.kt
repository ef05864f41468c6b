package app.psyter.kit.ui

import app.psyter.core.CallRecord
import app.psyter.core.CallView
import app.psyter.ffi.MediaEngine
import app.psyter.kit.CallController
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.job
import kotlinx.coroutines.launch

/** What the call screen shows. */
data class CallScreenState(
    val view: CallView? = null,
    val audioMuted: Boolean = false,
    val videoMuted: Boolean = false,
    val record: CallRecord? = null,
    val error: KitError? = null,
)

/** A consultation: join, mute, leave; the call is left when [scope] ends. */
class CallViewModel(private val kit: PsyterKit, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(CallScreenState())
    @Volatile private var controller: CallController? = null
    @Volatile private var following: Job? = null

    /** The screen's state. */
    val state: StateFlow<CallScreenState> = mutable.asStateFlow()

    init {
        scope.coroutineContext.job.invokeOnCompletion { controller?.close() }
    }

    /** Joins the consultation of [appointmentId] with [engine]. */
    fun join(appointmentId: String, engine: MediaEngine) {
        if (controller != null) return
        scope.launch {
            when (val joined = kit.video.join(appointmentId, engine)) {
                is Outcome.Err -> mutable.update { it.copy(error = joined.error) }
                is Outcome.Ok -> follow(joined.value)
            }
        }
    }

    /** Mutes or unmutes the microphone. */
    fun toggleAudio() {
        val call = controller ?: return
        val muted = !mutable.value.audioMuted
        call.muteAudio(muted)
        val error = call.lastError.value
        mutable.update { if (error == null) it.copy(audioMuted = muted, error = null) else it.copy(error = error) }
    }

    /** Stops or restarts the camera. */
    fun toggleVideo() {
        val call = controller ?: return
        val muted = !mutable.value.videoMuted
        call.muteVideo(muted)
        val error = call.lastError.value
        mutable.update { if (error == null) it.copy(videoMuted = muted, error = null) else it.copy(error = error) }
    }

    /** Leaves the call; the record arrives in the state once the call has ended. */
    fun leave() {
        controller?.leave()
    }

    private suspend fun follow(call: CallController) {
        controller = call
        following = scope.launch { call.view.collect { view -> mutable.update { it.copy(view = view) } } }
        when (val record = call.finished()) {
            is Outcome.Ok -> mutable.update { it.copy(record = record.value) }
            is Outcome.Err -> mutable.update { it.copy(error = record.error) }
        }
        following?.cancel()
        mutable.update { it.copy(view = call.view.value) }
    }
}
