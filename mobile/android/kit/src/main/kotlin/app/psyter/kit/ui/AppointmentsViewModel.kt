package app.psyter.kit.ui

import app.psyter.core.AppointmentView
import app.psyter.core.PendingAction
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the appointments screen shows: upcoming, history, pending actions and history search. */
data class AppointmentsState(
    val upcoming: List<AppointmentView> = emptyList(),
    val history: List<AppointmentView> = emptyList(),
    val pending: List<PendingAction> = emptyList(),
    val searchText: String = "",
    val searchResults: List<AppointmentView> = emptyList(),
    val busy: Boolean = false,
    val error: KitError? = null,
)

/** The user's appointments; everything reads from the cache, so it works offline. */
class AppointmentsViewModel(private val kit: PsyterKit, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(AppointmentsState())
    private val running = AtomicInteger()

    /** The screen's state. */
    val state: StateFlow<AppointmentsState> = mutable.asStateFlow()

    /** Reloads upcoming, history and pending actions from the cache. */
    fun refresh() = work { reload() }

    /** Searches the history for [text] (an empty text clears the results). */
    fun search(text: String) {
        mutable.update { it.copy(searchText = text) }
        if (text.isBlank()) {
            mutable.update { it.copy(searchResults = emptyList()) }
            return
        }
        work {
            when (val found = kit.appointments.searchHistory(text)) {
                is Outcome.Ok -> mutable.update { if (it.searchText == text) it.copy(searchResults = found.value) else it }
                is Outcome.Err -> fail(found.error)
            }
        }
    }

    /** Cancels [id] with [reason] (queued when offline), then reloads. */
    fun cancel(id: String, reason: String) = work { act(kit.appointments.cancel(id, reason)) }

    /** Dismisses the failed action [outboxId], then reloads. */
    fun dismiss(outboxId: Long) = work { act(kit.appointments.dismiss(outboxId)) }

    /** Syncs with the server, then reloads. */
    fun sync() = work { act(kit.appointments.sync()) }

    private suspend fun act(result: Outcome<*>) {
        (result as? Outcome.Err)?.let { fail(it.error) }
        reload(keepError = result is Outcome.Err)
    }

    private suspend fun reload(keepError: Boolean = false) {
        val upcoming = kit.appointments.upcoming()
        val history = kit.appointments.history()
        val pending = kit.appointments.pendingActions()
        val error = listOf(upcoming, history, pending).firstNotNullOfOrNull { (it as? Outcome.Err)?.error }
        mutable.update {
            it.copy(
                upcoming = (upcoming as? Outcome.Ok)?.value ?: it.upcoming,
                history = (history as? Outcome.Ok)?.value?.items ?: it.history,
                pending = (pending as? Outcome.Ok)?.value ?: it.pending,
                error = error ?: if (keepError) it.error else null,
            )
        }
    }

    private fun fail(error: KitError) = mutable.update { it.copy(error = error) }

    private fun work(block: suspend () -> Unit) {
        running.incrementAndGet()
        mutable.update { it.copy(busy = true) }
        scope.launch {
            try {
                block()
            } finally {
                val left = running.decrementAndGet()
                mutable.update { it.copy(busy = left > 0) }
            }
        }
    }
}
