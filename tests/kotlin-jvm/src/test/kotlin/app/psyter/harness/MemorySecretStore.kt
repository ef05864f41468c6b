package app.psyter.harness

import app.psyter.ffi.SecretStore
import java.util.concurrent.ConcurrentHashMap

/** An in-memory keychain; set [failSetWith] to make `set` throw (a locked or broken keystore). */
class MemorySecretStore : SecretStore {
    private val entries = ConcurrentHashMap<String, ByteArray>()

    /** Thrown by every `set` while not null (a PlatformException, or any other exception). */
    @Volatile
    var failSetWith: Exception? = null

    /** The keys stored now. */
    val keys: Set<String> get() = entries.keys.toSet()

    override fun get(key: String): ByteArray? = entries[key]?.copyOf()

    override fun set(key: String, value: ByteArray) {
        failSetWith?.let { throw it }
        entries[key] = value.copyOf()
    }

    override fun delete(key: String) {
        entries.remove(key)
    }
}
