package app.psyter.patient.platform

import android.util.Log
import app.psyter.ffi.LogLevel
import app.psyter.ffi.Logger

/** The core's log records in Logcat under the tag `Psyter` (the core logs no secrets or health data). */
class LogcatLogger(private val tag: String = "Psyter") : Logger {
    /** Writes one record with its module as a prefix. */
    override fun log(level: LogLevel, target: String, message: String) {
        Log.println(priority(level), tag, "[$target] $message")
    }

    private fun priority(level: LogLevel): Int = when (level) {
        LogLevel.ERROR -> Log.ERROR
        LogLevel.WARN -> Log.WARN
        LogLevel.INFO -> Log.INFO
        LogLevel.DEBUG -> Log.DEBUG
        LogLevel.TRACE -> Log.VERBOSE
    }
}
