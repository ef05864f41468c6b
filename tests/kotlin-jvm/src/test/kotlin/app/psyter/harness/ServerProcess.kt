package app.psyter.harness

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.TestWatcher

/**
 * A live psyter-server with demo data on a loopback port and a temporary database. [stop] and
 * [restart] (same port, same database) simulate the server going away and coming back. Its output
 * goes to `target/psyter-server-<name>.log`.
 */
class ServerProcess private constructor(val name: String) : AutoCloseable {
    private val dir: Path = Files.createTempDirectory("psyter-server-$name-")
    private val db: Path = dir.resolve("psyter.db")

    /** The server's log file. */
    val log: Path = targetDir().resolve("psyter-server-$name.log")
    private var process: Process? = null

    /** The port, fixed by the first start. */
    var port: Int = 0
        private set

    /** The base URL clients use. */
    val baseUrl: String get() = "http://127.0.0.1:$port"

    /** Starts the server (on the same port after the first start) and waits for `/healthz`. */
    fun start(): ServerProcess = apply {
        check(process == null) { "$name is already running" }
        val offset = if (Files.exists(log)) Files.size(log) else 0L
        val listen = "127.0.0.1:$port"
        val bin = System.getProperty("psyter.server.bin") ?: error("set -Dpsyter.server.bin")
        // Seed on the first start only: the data is there afterwards, and `--seed demo` on an
        // already seeded database currently fails ("Invalid column type Blob", server/src/seed.rs).
        val seed = if (port == 0) listOf("--seed", "demo") else emptyList()
        val started = ProcessBuilder(listOf(bin, "--db", db.toString(), "--listen", listen) + seed)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start()
        process = started
        val deadline = System.nanoTime() + STARTUP.toNanos()
        while (System.nanoTime() < deadline) {
            if (!started.isAlive) fail("$name exited with ${started.exitValue()} before it was ready")
            if (port == 0) port = listeningPort(offset) ?: 0
            if (port != 0 && healthy()) return@apply
            Thread.sleep(100)
        }
        fail("$name was not healthy within $STARTUP")
    }

    /** Stops the server (SIGTERM, then SIGKILL after 15 s) and waits until it is gone. */
    fun stop() {
        val running = process ?: return
        process = null
        running.destroy()
        if (!running.waitFor(15, TimeUnit.SECONDS)) {
            running.destroyForcibly().waitFor(5, TimeUnit.SECONDS)
        }
    }

    /** Stops and starts again on the same port with the same database. */
    fun restart(): ServerProcess {
        stop()
        return start()
    }

    /** The last [lines] lines of the log. */
    fun tail(lines: Int = 40): String =
        if (Files.exists(log)) Files.readAllLines(log).takeLast(lines).joinToString("\n") else "(no log)"

    /** Stops the server and deletes its database. */
    override fun close() {
        stop()
        dir.toFile().deleteRecursively()
        servers.remove(this)
    }

    private fun listeningPort(offset: Long): Int? {
        val text = Files.readString(log).drop(offset.toInt())
        return Regex("listening on http://127\\.0\\.0\\.1:(\\d+)").find(text)?.groupValues?.get(1)?.toInt()
    }

    private fun healthy(): Boolean = try {
        val request = HttpRequest.newBuilder(URI("$baseUrl/healthz")).timeout(Duration.ofSeconds(2)).build()
        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
    } catch (_: java.io.IOException) {
        false
    }

    private fun fail(why: String): Nothing {
        stop()
        throw IllegalStateException("$why; log tail ($log):\n${tail()}")
    }

    /** Starting servers, and the log tails of the running ones. */
    companion object {
        private val STARTUP: Duration = Duration.ofSeconds(60)
        private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
        private val servers = CopyOnWriteArrayList<ServerProcess>()

        /** Starts a server named [name] on a free loopback port with a fresh database. */
        fun start(name: String): ServerProcess = ServerProcess(name).also { servers += it }.start()

        /** The log tails of every server not yet closed. */
        fun tails(): String = servers.joinToString("\n") { "--- ${it.name} (${it.log}) ---\n${it.tail()}" }

        private fun targetDir(): Path =
            Paths.get(System.getProperty("psyter.target.dir") ?: "target").also { Files.createDirectories(it) }
    }
}

/** Prints the tails of the server logs and of the core's log when a test fails. */
class LogsOnFailure : TestWatcher {
    override fun testFailed(context: ExtensionContext, cause: Throwable?) {
        System.err.println("${context.displayName} failed; psyter-server logs:\n${ServerProcess.tails()}")
        System.err.println("--- core log ---\n${CoreLog.tail()}")
    }
}
