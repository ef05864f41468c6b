package app.psyter.kit.ui

import app.psyter.core.PreCallReport
import app.psyter.ffi.MediaEngine
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the pre-call check screen shows. */
data class PreCallState(val report: PreCallReport? = null, val busy: Boolean = false, val error: KitError? = null)

/** The pre-call check: microphone, camera and network, each with a verdict and advice. */
class PreCallViewModel(private val kit: PsyterKit, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(PreCallState())

    /** The screen's state. */
    val state: StateFlow<PreCallState> = mutable.asStateFlow()

    /** Runs the check through [engine] (it takes up to five seconds for the network probe). */
    fun run(engine: MediaEngine) {
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            when (val result = kit.video.check(engine)) {
                is Outcome.Ok -> mutable.update { it.copy(report = result.value, busy = false) }
                is Outcome.Err -> mutable.update { it.copy(busy = false, error = result.error) }
            }
        }
    }
}
