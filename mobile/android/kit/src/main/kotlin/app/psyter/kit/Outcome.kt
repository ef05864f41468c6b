package app.psyter.kit

import app.psyter.ffi.PsyterException

/** A call's result: the value, or a typed error the UI can show (never a crash). */
sealed interface Outcome<out T> {
    /** The call succeeded with [value]. */
    data class Ok<T>(val value: T) : Outcome<T>

    /** The call failed with [error]. */
    data class Err(val error: KitError) : Outcome<Nothing>
}

/** The value, or null when the call failed. */
fun <T> Outcome<T>.getOrNull(): T? = (this as? Outcome.Ok)?.value

/** The error, or null when the call succeeded. */
fun Outcome<*>.errorOrNull(): KitError? = (this as? Outcome.Err)?.error

/** The value transformed by [transform]; an error stays as it is. */
inline fun <T, R> Outcome<T>.map(transform: (T) -> R): Outcome<R> = when (this) {
    is Outcome.Ok -> Outcome.Ok(transform(value))
    is Outcome.Err -> this
}

/** A typed error: its family, the core's stable [code] (e.g. `slot_taken`) and an English [message] for logs. */
data class KitError(val kind: Kind, val code: String, val message: String) {
    /** The error families of the core, each with its own UI treatment. */
    enum class Kind { OFFLINE, AUTH, CONFLICT, POLICY, VALIDATION, NOT_FOUND, SERVER, SECURITY, DEVICE, INTERNAL }

    /** Builds kit errors from the core's exceptions. */
    companion object {
        /** The core's exception as a kit error with the same family, code and message. */
        fun from(e: PsyterException): KitError = when (e) {
            is PsyterException.Offline -> KitError(Kind.OFFLINE, e.code, e.detail)
            is PsyterException.Auth -> KitError(Kind.AUTH, e.code, e.detail)
            is PsyterException.Conflict -> KitError(Kind.CONFLICT, e.code, e.detail)
            is PsyterException.Policy -> KitError(Kind.POLICY, e.code, e.detail)
            is PsyterException.Validation -> KitError(Kind.VALIDATION, e.code, e.detail)
            is PsyterException.NotFound -> KitError(Kind.NOT_FOUND, e.code, e.detail)
            is PsyterException.Server -> KitError(Kind.SERVER, e.code, e.detail)
            is PsyterException.Security -> KitError(Kind.SECURITY, e.code, e.detail)
            is PsyterException.Device -> KitError(Kind.DEVICE, e.code, e.detail)
            is PsyterException.Internal -> KitError(Kind.INTERNAL, e.code, e.detail)
        }
    }
}

/** Runs [block], mapping PsyterException to Outcome.Err; other exceptions propagate (they are bugs). */
suspend fun <T> outcome(block: suspend () -> T): Outcome<T> = try {
    Outcome.Ok(block())
} catch (e: PsyterException) {
    Outcome.Err(KitError.from(e))
}
