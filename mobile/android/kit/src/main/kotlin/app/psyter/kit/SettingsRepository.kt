package app.psyter.kit

import app.psyter.core.LocalSettings
import app.psyter.domain.Me
import app.psyter.domain.UpdateMe
import app.psyter.ffi.SettingsApi

/** Account settings (server) and device settings (local). */
class SettingsRepository internal constructor(private val api: SettingsApi) {
    /** The account as last known (offline: from the cache). */
    suspend fun me(): Outcome<Me> = outcome { api.me() }

    /** Changes the account's name, language, time zone or reminder offsets. */
    suspend fun update(update: UpdateMe): Outcome<Me> = outcome { api.update(update) }

    /** This device's settings (biometric unlock, auto-lock). */
    suspend fun local(): Outcome<LocalSettings> = outcome { api.local() }

    /** Turns biometric unlock on or off on this device. */
    suspend fun setBiometric(enabled: Boolean): Outcome<LocalSettings> = outcome { api.setBiometric(enabled) }

    /** Sets the idle time before the app locks, in seconds (0: never). */
    suspend fun setAutoLock(secs: ULong): Outcome<LocalSettings> = outcome { api.setAutoLock(secs) }

    /** Frees the core object when the kit closes. */
    internal fun release() = api.close()
}
