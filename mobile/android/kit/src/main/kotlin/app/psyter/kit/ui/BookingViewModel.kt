package app.psyter.kit.ui

import app.psyter.core.BookOutcome
import app.psyter.domain.ProviderProfile
import app.psyter.domain.Slot
import app.psyter.domain.SlotStatus
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the booking screen shows: the provider, the free slots, the chosen one, and the result. */
data class BookingState(
    val profile: ProviderProfile? = null,
    val slots: List<Slot> = emptyList(),
    val selected: Slot? = null,
    val busy: Boolean = false,
    val booked: BookOutcome? = null,
    val error: KitError? = null,
)

/** Booking with one provider in three taps: provider (opens this), slot ([select]), confirm ([book]). */
class BookingViewModel(private val kit: PsyterKit, private val scope: CoroutineScope, private val providerId: String) {
    private val mutable = MutableStateFlow(BookingState())

    /** The screen's state. */
    val state: StateFlow<BookingState> = mutable.asStateFlow()

    /** Loads the provider's profile and free slots. */
    fun load() {
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            val profile = async { kit.providers.profile(providerId) }
            val slots = kit.providers.slots(providerId)
            val loaded = profile.await()
            mutable.update {
                it.copy(
                    profile = (loaded as? Outcome.Ok)?.value ?: it.profile,
                    slots = (slots as? Outcome.Ok)?.value?.slots?.filter { s -> s.status == SlotStatus.FREE } ?: it.slots,
                    busy = false,
                    error = (loaded as? Outcome.Err)?.error ?: (slots as? Outcome.Err)?.error,
                )
            }
        }
    }

    /** Chooses [slot] for the booking. */
    fun select(slot: Slot) = mutable.update { it.copy(selected = slot, booked = null, error = null) }

    /** Books the chosen slot with [reason]; a slot taken meanwhile drops out of the list. */
    fun book(reason: String) {
        val slot = mutable.value.selected ?: return
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            when (val result = kit.appointments.book(providerId, slot.start, reason)) {
                is Outcome.Ok -> mutable.update { it.copy(busy = false, booked = result.value) }
                is Outcome.Err -> mutable.update {
                    val taken = result.error.code == "slot_taken"
                    it.copy(
                        busy = false,
                        error = result.error,
                        slots = if (taken) it.slots - slot else it.slots,
                        selected = if (taken) null else it.selected,
                    )
                }
            }
        }
    }
}
