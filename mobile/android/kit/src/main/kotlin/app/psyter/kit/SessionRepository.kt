package app.psyter.kit

import app.psyter.core.SessionPhase
import app.psyter.core.UnlockMethod
import app.psyter.domain.Me
import app.psyter.ffi.AuthApi
import app.psyter.ffi.PsyterException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** Sign-in, lock, unlock and sign-out; [phase] follows the session. */
class SessionRepository internal constructor(private val auth: AuthApi) {
    private val current = MutableStateFlow(auth.phase())

    /** Signed out, active or locked; refreshed after every call and on Locked/SessionEnded events. */
    val phase: StateFlow<SessionPhase> = current.asStateFlow()

    /** Signs in (with a TOTP code when the account has two-factor sign-in on). */
    suspend fun signIn(email: String, password: String, totp: String? = null): Outcome<Me> =
        call { auth.login(email, password, totp) }

    /** How this profile unlocks: biometric when enabled and available, else the password. */
    suspend fun unlockMethod(): Outcome<UnlockMethod> = call { auth.unlockMethod() }

    /** Unlocks with the platform's biometric prompt, showing [reason]. */
    suspend fun unlockWithBiometric(reason: String): Outcome<Unit> = call { auth.unlockWithBiometric(reason) }

    /** Unlocks by checking the password (and TOTP code) with the server. */
    suspend fun unlockWithPassword(password: String, totp: String? = null): Outcome<Unit> =
        call { auth.unlockWithPassword(password, totp) }

    /** Locks the session now (e.g. when the app goes to the background). */
    fun lock() {
        try {
            auth.lock()
        } catch (_: PsyterException) {
            // Only a caught core bug can fail here; the phase below shows what happened.
        }
        refreshPhase()
    }

    /** Signs out and wipes this profile; refuses with `unsent_actions` while actions are queued unless [force]. */
    suspend fun signOut(force: Boolean = false): Outcome<Boolean> = call { auth.logout(force) }

    /** Reads the phase from the core again. */
    internal fun refreshPhase() {
        current.value = auth.phase()
    }

    /** Frees the core object when the kit closes. */
    internal fun release() = auth.close()

    private suspend fun <T> call(block: suspend () -> T): Outcome<T> = outcome(block).also { refreshPhase() }
}
