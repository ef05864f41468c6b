package app.psyter.kit.ui

import app.psyter.core.LocalSettings
import app.psyter.domain.Me
import app.psyter.domain.UpdateMe
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the settings screen shows: the account and this device's settings. */
data class SettingsState(
    val me: Me? = null,
    val local: LocalSettings? = null,
    val busy: Boolean = false,
    val error: KitError? = null,
)

/** Account and device settings, and sign-out. */
class SettingsViewModel(private val kit: PsyterKit, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(SettingsState())

    /** The screen's state. */
    val state: StateFlow<SettingsState> = mutable.asStateFlow()

    /** Loads the account and the device settings. */
    fun load() = work {
        val me = kit.settings.me()
        val local = kit.settings.local()
        mutable.update {
            it.copy(
                me = (me as? Outcome.Ok)?.value ?: it.me,
                local = (local as? Outcome.Ok)?.value ?: it.local,
                error = (me as? Outcome.Err)?.error ?: (local as? Outcome.Err)?.error,
            )
        }
    }

    /** Changes the account's language to the BCP 47 [tag] (e.g. `ar`, `en-US`). */
    fun setLocale(tag: String) = work {
        val update = UpdateMe(displayName = null, locale = tag, timeZone = null, reminderMinutes = null)
        show(kit.settings.update(update)) { state, value -> state.copy(me = value) }
    }

    /** Turns biometric unlock on or off. */
    fun setBiometric(enabled: Boolean) = work {
        show(kit.settings.setBiometric(enabled)) { state, value -> state.copy(local = value) }
    }

    /** Sets the idle time before the app locks, in seconds (0: never). */
    fun setAutoLock(secs: ULong) = work {
        show(kit.settings.setAutoLock(secs)) { state, value -> state.copy(local = value) }
    }

    /** Signs out; refused with `unsent_actions` while actions are still queued. */
    fun signOut() = work {
        show(kit.session.signOut()) { state, _ -> state.copy(me = null, local = null) }
    }

    private fun <T> show(result: Outcome<T>, change: (SettingsState, T) -> SettingsState) = when (result) {
        is Outcome.Ok -> mutable.update { change(it, result.value).copy(error = null) }
        is Outcome.Err -> mutable.update { it.copy(error = result.error) }
    }

    private fun work(block: suspend () -> Unit) {
        mutable.update { it.copy(busy = true) }
        scope.launch {
            try {
                block()
            } finally {
                mutable.update { it.copy(busy = false) }
            }
        }
    }
}
