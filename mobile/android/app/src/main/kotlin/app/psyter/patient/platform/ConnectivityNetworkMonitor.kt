package app.psyter.patient.platform

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import app.psyter.ffi.NetworkMonitor

/**
 * The default network as ConnectivityManager sees it. The core asks [isOnline]; [start] registers a
 * default-network callback that calls back (with `kit.networkChanged()`) whenever being online flips.
 */
class ConnectivityNetworkMonitor(context: Context) : NetworkMonitor {
    private val connectivity: ConnectivityManager =
        requireNotNull(context.applicationContext.getSystemService(ConnectivityManager::class.java)) { "no ConnectivityManager" }
    private val lock = Any()
    private var onChange: (() -> Unit)? = null
    private var online: Boolean? = null

    private val callback = object : ConnectivityManager.NetworkCallback() {
        override fun onAvailable(network: Network) = update(hasInternet(network))

        override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) =
            update(capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET))

        override fun onLost(network: Network) = update(false)
    }

    /** Whether the default network reaches the internet right now. */
    override fun isOnline(): Boolean = synchronized(lock) { online } ?: connectivity.activeNetwork?.let(::hasInternet) ?: false

    /** Starts following the default network; [changed] runs (on a binder thread) each time online flips. */
    fun start(changed: () -> Unit) {
        synchronized(lock) {
            if (onChange != null) return
            onChange = changed
        }
        connectivity.registerDefaultNetworkCallback(callback)
    }

    /** Stops following the network. */
    fun stop() {
        synchronized(lock) {
            if (onChange == null) return
            onChange = null
            online = null
        }
        connectivity.unregisterNetworkCallback(callback)
    }

    private fun hasInternet(network: Network): Boolean =
        connectivity.getNetworkCapabilities(network)?.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) == true

    private fun update(now: Boolean) {
        val notify = synchronized(lock) {
            val flipped = online != now
            online = now
            if (flipped) onChange else null
        }
        notify?.invoke()
    }
}
