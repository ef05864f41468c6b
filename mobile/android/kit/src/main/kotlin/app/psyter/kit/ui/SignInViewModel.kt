package app.psyter.kit.ui

import app.psyter.core.SessionPhase
import app.psyter.core.UnlockMethod
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the sign-in and unlock screens show. */
data class SignInState(
    val busy: Boolean = false,
    val error: KitError? = null,
    val signedIn: Boolean = false,
    val unlockMethod: UnlockMethod? = null,
)

/** Sign-in and unlock. */
class SignInViewModel(private val kit: PsyterKit, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(SignInState(signedIn = kit.session.phase.value == SessionPhase.ACTIVE))

    /** The screen's state. */
    val state: StateFlow<SignInState> = mutable.asStateFlow()

    /** Signs in with [email] and [password] (and a TOTP code when asked for one). */
    fun signIn(email: String, password: String, totp: String? = null) = act { kit.session.signIn(email, password, totp) }

    /** Finds out how this profile unlocks (biometric or password). */
    fun loadUnlockMethod() {
        scope.launch {
            when (val result = kit.session.unlockMethod()) {
                is Outcome.Ok -> mutable.update { it.copy(unlockMethod = result.value, error = null) }
                is Outcome.Err -> mutable.update { it.copy(error = result.error) }
            }
        }
    }

    /** Unlocks with the biometric prompt showing [reason]. */
    fun unlockWithBiometric(reason: String) = act { kit.session.unlockWithBiometric(reason) }

    /** Unlocks with the account's password. */
    fun unlockWithPassword(password: String) = act { kit.session.unlockWithPassword(password) }

    private fun act(block: suspend () -> Outcome<*>) {
        mutable.update { it.copy(busy = true, error = null) }
        scope.launch {
            val error = (block() as? Outcome.Err)?.error
            val active = kit.session.phase.value == SessionPhase.ACTIVE
            mutable.update { it.copy(busy = false, error = error, signedIn = active) }
        }
    }
}
