package app.psyter.harness

import app.psyter.core.BookOutcome
import app.psyter.domain.SlotStatus
import app.psyter.ffi.PlatformException
import app.psyter.ffi.PsyterException
import app.psyter.ffi.triggerPanic
import app.psyter.ffi.triggerPanicBlocking
import app.psyter.kit.KitError.Kind
import app.psyter.kit.PlatformServices
import app.psyter.kit.ProviderQuery
import app.psyter.kit.PsyterKit
import app.psyter.kit.outcome
import java.net.ServerSocket
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.extension.ExtendWith
import org.junit.jupiter.api.io.TempDir

/** Every failure comes back as a typed error with the core's family and code, never as a crash. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogsOnFailure::class)
class TypedErrorsTest {
    private lateinit var server: ServerProcess

    @BeforeAll
    fun startServer() {
        server = ServerProcess.start("errors")
    }

    @AfterAll
    fun stopServer() = server.close()

    @Test
    fun `wrong password is AUTH invalid_credentials`(@TempDir data: Path) = runBlocking<Unit> {
        openKit(server.baseUrl, data).use { kit ->
            val error = kit.session.signIn(Demo.PATIENT, "not-the-password").err("sign-in with a wrong password")
            assertEquals(Kind.AUTH, error.kind)
            assertEquals("invalid_credentials", error.code)
            assertTrue(error.message.isNotBlank())
            assertFalse("not-the-password" in error.message, "no secret in the message")
        }
    }

    @Test
    fun `a slot another patient booked first is CONFLICT slot_taken`(@TempDir first: Path, @TempDir second: Path) = runBlocking<Unit> {
        val omar = openKit(server.baseUrl, first)
        val emily = openKit(server.baseUrl, second, profile = "emily")
        try {
            omar.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("patient sign-in")
            emily.session.signIn(Demo.PATIENT2, Demo.PASSWORD).ok("patient2 sign-in")
            val provider = omar.providers.search(ProviderQuery(text = Demo.PROVIDER_NAME)).ok("search").items.first()
            val from = Instant.now().plus(Duration.ofDays(2))
            val slot = omar.providers.slots(provider.id, from, from.plus(Duration.ofDays(7))).ok("slots")
                .slots.first { it.status == SlotStatus.FREE }
            assertTrue(omar.appointments.book(provider.id, slot.start, "First come").ok("first booking") is BookOutcome.Booked)

            val taken = emily.appointments.book(provider.id, slot.start, "Second").err("booking a taken slot")
            assertEquals(Kind.CONFLICT, taken.kind)
            assertEquals("slot_taken", taken.code)
            assertTrue(emily.appointments.pendingActions().ok("pending").isEmpty(), "a refused booking leaves nothing queued")
            assertTrue(emily.appointments.upcoming().ok("upcoming").none { it.appointment.start == slot.start })
        } finally {
            omar.close()
            emily.close()
        }
    }

    @Test
    fun `no server is OFFLINE`(@TempDir data: Path) = runBlocking<Unit> {
        val closedPort = ServerSocket(0).use { it.localPort }
        openKit("http://127.0.0.1:$closedPort", data).use { kit ->
            val error = kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).err("sign-in without a server")
            assertEquals(Kind.OFFLINE, error.kind)
            assertEquals("offline", error.code)
        }
    }

    @Test
    fun `the platform saying offline is OFFLINE for calls that need the server`(@TempDir data: Path) = runBlocking<Unit> {
        val network = ManualNetwork(online = true)
        openKit(server.baseUrl, data, PlatformServices(MemorySecretStore(), network = network)).use { kit ->
            kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in")
            val provider = kit.providers.search(ProviderQuery(text = Demo.PROVIDER_NAME)).ok("search online").items.first()

            network.online = false
            kit.networkChanged()
            val error = kit.providers.slots(provider.id).err("slots offline")
            assertEquals(Kind.OFFLINE, error.kind)
            assertEquals("offline", error.code)
            val cached = kit.providers.search(ProviderQuery(text = Demo.PROVIDER_NAME)).ok("search offline")
            assertTrue(cached.fromCache && cached.items.any { it.id == provider.id }, "offline search comes from the cache")

            network.online = true
            kit.networkChanged()
            assertTrue(kit.providers.slots(provider.id).ok("slots back online").slots.isNotEmpty())
        }
    }

    @Test
    fun `a panic in the core is INTERNAL and the process keeps working`(@TempDir data: Path) = runBlocking<Unit> {
        openKit(server.baseUrl, data).use { kit ->
            val async = assertThrows(PsyterException.Internal::class.java) { runBlocking { triggerPanic("harness: async boom") } }
            assertEquals("internal", async.code)
            val blocking = assertThrows(PsyterException.Internal::class.java) { triggerPanicBlocking("harness: blocking boom") }
            assertEquals("internal", blocking.code)
            repeat(3) { assertEquals(Kind.INTERNAL, outcome { triggerPanic("harness: boom $it") }.err("a panic").kind) }
            // The core reported them through the Kotlin Logger the kit handed to initPlatform.
            eventually { "panicked" in CoreLog.tail(200) }

            kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in after panics")
            assertTrue(kit.providers.search(ProviderQuery(text = "anxiety")).ok("search after panics").items.isNotEmpty())
        }
    }

    @Test
    fun `a keystore that throws PlatformException is DEVICE keychain_unavailable`(@TempDir data: Path) = runBlocking<Unit> {
        val secrets = MemorySecretStore().apply { failSetWith = PlatformException.Unavailable("keystore locked") }
        openKit(server.baseUrl, data, PlatformServices(secrets)).use { kit ->
            val error = kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).err("sign-in with a locked keystore")
            assertEquals(Kind.DEVICE, error.kind)
            assertEquals("keychain_unavailable", error.code)

            secrets.failSetWith = null
            kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in once the keystore works")
        }
    }

    @Test
    fun `a keystore that throws any other exception is DEVICE keychain`(@TempDir data: Path) = runBlocking<Unit> {
        val secrets = MemorySecretStore().apply { failSetWith = IllegalStateException("keystore exploded") }
        openKit(server.baseUrl, data, PlatformServices(secrets)).use { kit ->
            val error = kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).err("sign-in with a broken keystore")
            assertEquals(Kind.DEVICE, error.kind)
            assertEquals("keychain", error.code)

            secrets.failSetWith = null
            kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in once the keystore works")
        }
    }
}

/** Closes the kit after [block]. */
inline fun <R> PsyterKit.use(block: (PsyterKit) -> R): R = try {
    block(this)
} finally {
    close()
}
