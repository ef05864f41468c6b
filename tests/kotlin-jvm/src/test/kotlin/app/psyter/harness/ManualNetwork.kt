package app.psyter.harness

import app.psyter.ffi.NetworkMonitor

/** The platform's network path as a switch the test flips. */
class ManualNetwork(@Volatile var online: Boolean = true) : NetworkMonitor {
    override fun isOnline(): Boolean = online
}
