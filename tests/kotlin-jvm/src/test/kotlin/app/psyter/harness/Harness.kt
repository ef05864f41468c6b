package app.psyter.harness

import app.psyter.ffi.LogLevel
import app.psyter.ffi.Logger
import app.psyter.kit.KitConfig
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PlatformServices
import app.psyter.kit.PsyterKit
import java.nio.file.Path
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.api.Assertions.fail

/** The seeded demo accounts. */
object Demo {
    const val PASSWORD = "psyter-demo-2026"
    const val PATIENT = "patient@demo.psyter.app"
    const val PATIENT2 = "patient2@demo.psyter.app"
    const val PROVIDER_NAME = "Sarah Mitchell"
}

/** The value of a successful call; fails the test with the kit error otherwise. */
fun <T> Outcome<T>.ok(what: String = "the call"): T = when (this) {
    is Outcome.Ok -> value
    is Outcome.Err -> fail("$what failed: $error")
}

/** The kit error of a failed call; fails the test if it succeeded. */
fun Outcome<*>.err(what: String = "the call"): KitError = when (this) {
    is Outcome.Ok -> fail("$what should have failed but returned $value")
    is Outcome.Err -> error
}

/** Waits (real time) until the flow's value matches [predicate] and returns it. */
suspend fun <T> StateFlow<T>.awaitValue(timeout: Duration = 10.seconds, predicate: (T) -> Boolean): T =
    withTimeout(timeout) { first(predicate) }

/** Suspends (real time, letting other coroutines run) until [condition] holds; fails after [timeout]. */
suspend fun eventually(timeout: Duration = 10.seconds, condition: () -> Boolean) {
    val done = withTimeoutOrNull(timeout) {
        while (!condition()) delay(20)
    }
    if (done == null) fail<Unit>("condition not met within $timeout")
}

/** Opens a kit on [baseUrl] in [dataDir] with [services] (a fresh in-memory keychain by default). */
suspend fun openKit(
    baseUrl: String,
    dataDir: Path,
    services: PlatformServices = PlatformServices(MemorySecretStore()),
    profile: String = "default",
): PsyterKit = PsyterKit.open(KitConfig(baseUrl, dataDir.toString(), profile), services.withLogger()).ok("opening the kit")

/** Adds the harness's logger unless the test brought its own. */
private fun PlatformServices.withLogger(): PlatformServices = if (logger != null) this else copy(logger = CoreLog)

/** Keeps the core's recent log records (the first kit opened sets up logging for the process); printed when a test fails. */
object CoreLog : Logger {
    private val records = java.util.concurrent.ConcurrentLinkedDeque<String>()

    override fun log(level: LogLevel, target: String, message: String) {
        records.addLast("[$level] $target: $message")
        while (records.size > 200) records.pollFirst()
    }

    /** The last [lines] records. */
    fun tail(lines: Int = 40): String = records.toList().takeLast(lines).joinToString("\n")
}
