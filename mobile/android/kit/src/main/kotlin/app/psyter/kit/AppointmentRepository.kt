package app.psyter.kit

import app.psyter.core.ActionOutcome
import app.psyter.core.AppointmentFilter
import app.psyter.core.AppointmentView
import app.psyter.core.BookOutcome
import app.psyter.core.PendingAction
import app.psyter.core.SyncReport
import app.psyter.core.ViewPage
import app.psyter.ffi.AppointmentsApi
import app.psyter.ffi.SyncApi
import java.time.Instant

/** The user's appointments: lists and history from the cache, actions through the outbox (queued offline). */
class AppointmentRepository internal constructor(
    private val api: AppointmentsApi,
    private val syncApi: SyncApi,
) {
    /** Appointments that have not ended, soonest first. */
    suspend fun upcoming(limit: Int = 50): Outcome<List<AppointmentView>> =
        outcome { api.upcoming(ALL, limit.toPageSize(), null).items }

    /** The history, latest first; pass [before] from the previous page's `next`. */
    suspend fun history(limit: Int = 50, before: String? = null): Outcome<ViewPage> =
        outcome { api.past(ALL, limit.toPageSize(), before) }

    /** Full-text search over the history (provider, reason, notes), offline. */
    suspend fun searchHistory(text: String, limit: Int = 50): Outcome<List<AppointmentView>> =
        outcome { api.search(text, limit.toPageSize()) }

    /** One appointment from the cache. */
    suspend fun get(id: String): Outcome<AppointmentView> = outcome { api.get(id) }

    /** Books [start] with a provider; offline it is queued and shows as pending. */
    suspend fun book(providerId: String, start: Instant, reason: String): Outcome<BookOutcome> =
        outcome { api.book(providerId, start, reason) }

    /** Cancels an appointment (the policy is checked first); offline it is queued. */
    suspend fun cancel(id: String, reason: String): Outcome<ActionOutcome> = outcome { api.cancel(id, reason) }

    /** Actions the server has not applied yet (queued, sending or failed). */
    suspend fun pendingActions(): Outcome<List<PendingAction>> = outcome { api.pendingActions() }

    /** Dismisses a failed action the user has seen. */
    suspend fun dismiss(outboxId: Long): Outcome<Unit> = outcome { api.dismiss(outboxId) }

    /** Sends the outbox, then pulls the server's changes until caught up. */
    suspend fun sync(): Outcome<SyncReport> = outcome { syncApi.run() }

    /** Frees the core object when the kit closes (the sync object is the kit's). */
    internal fun release() = api.close()

    private companion object {
        /** No filter: every status, every provider, any time. */
        val ALL = AppointmentFilter(statuses = emptyList(), providerId = null, from = null, to = null)
    }
}

/** A page size for the core (negative sizes become 0). */
private fun Int.toPageSize(): UInt = coerceAtLeast(0).toUInt()
