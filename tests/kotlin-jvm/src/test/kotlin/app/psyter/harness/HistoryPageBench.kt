package app.psyter.harness

import java.nio.file.Path
import java.util.Locale
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.condition.EnabledIfSystemProperty
import org.junit.jupiter.api.extension.ExtendWith
import org.junit.jupiter.api.io.TempDir

/**
 * The cost of one history page (`appointments.history(limit = 20)`) through the kit, the bindings
 * and JNA, on the demo patient's synced cache: the same call `bindings/benches/history.rs` makes from
 * Rust. Runs only with `-Dpsyter.bench=true` (`cargo xtask bench`).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogsOnFailure::class)
@EnabledIfSystemProperty(named = "psyter.bench", matches = "true")
class HistoryPageBench {
    private lateinit var server: ServerProcess

    @BeforeAll
    fun startServer() {
        server = ServerProcess.start("bench")
    }

    @AfterAll
    fun stopServer() = server.close()

    @Test
    fun `history page through Kotlin`(@TempDir data: Path) = runBlocking<Unit> {
        openKit(server.baseUrl, data).use { kit ->
            kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in")
            kit.appointments.sync().ok("sync")
            assertTrue(kit.appointments.history(limit = 20).ok("history").items.isNotEmpty(), "the demo patient has history")
            repeat(WARM_UP) { kit.appointments.history(limit = 20).ok("warm-up") }
            val nanos = LongArray(CALLS) {
                val start = System.nanoTime()
                kit.appointments.history(limit = 20).ok("history page")
                System.nanoTime() - start
            }
            nanos.sort()
            val median = nanos[CALLS / 2] / 1e6
            val p95 = nanos[CALLS * 95 / 100] / 1e6
            println("BENCH kotlin history page: median %.3f ms, p95 %.3f ms over %d calls".format(Locale.ROOT, median, p95, CALLS))
            println("kotlin result: median_ms=%.4f p95_ms=%.4f calls=%d".format(Locale.ROOT, median, p95, CALLS))
        }
    }

    private companion object {
        const val WARM_UP = 200
        const val CALLS = 2000
    }
}
