package app.psyter.harness

import app.psyter.core.BiometricOutcome
import app.psyter.core.CallState
import app.psyter.core.CheckItem
import app.psyter.core.CoreEvent
import app.psyter.core.ProbeResult
import app.psyter.core.SessionPhase
import app.psyter.core.SyncStatus
import app.psyter.core.UnlockMethod
import app.psyter.core.Verdict
import app.psyter.ffi.BiometricGate
import app.psyter.ffi.ClientConfig
import app.psyter.ffi.CoreEventListener
import app.psyter.ffi.PsyterClient
import app.psyter.ffi.SyncStatusListener
import app.psyter.kit.KitError.Kind
import app.psyter.kit.PlatformServices
import app.psyter.kit.ui.CallViewModel
import app.psyter.kit.ui.PreCallViewModel
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.extension.ExtendWith
import org.junit.jupiter.api.io.TempDir

/** Calls go both ways: the core calls Kotlin objects, and Kotlin objects call back into the core. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogsOnFailure::class)
class ForeignTraitsTest {
    private lateinit var server: ServerProcess

    @BeforeAll
    fun startServer() {
        server = ServerProcess.start("traits")
    }

    @AfterAll
    fun stopServer() = server.close()

    @Test
    fun `the pre-call check judges the probe the Kotlin engine sent back`(@TempDir data: Path) = runBlocking<Unit> {
        openKit(server.baseUrl, data).use { kit ->
            kit.session.signIn(Demo.PATIENT2, Demo.PASSWORD).ok("sign-in")

            val poor = FakeMediaEngine(ProbeResult(uplink = 4u, downlink = 3u, rttMs = 300u))
            val report = kit.video.check(poor).ok("pre-call check")
            assertEquals(listOf("setListener", "devices", "startProbe"), poor.calls.toList())
            assertEquals("fake-engine-probe", poor.probeThread, "the probe result came from the engine's own thread")
            val network = report.items.single { it.item == CheckItem.NETWORK }
            assertEquals(Verdict.WARN, network.verdict)
            assertEquals("precall-network-warn", network.messageId)
            assertTrue(network.message.isNotBlank())
            assertTrue(report.items.filter { it.item != CheckItem.NETWORK }.all { it.verdict == Verdict.PASS })

            // The same through the view model, with a good probe this time.
            val model = PreCallViewModel(kit, this)
            model.run(FakeMediaEngine(ProbeResult(uplink = 1u, downlink = 2u, rttMs = 30u)))
            val state = model.state.awaitValue { it.report != null || it.error != null }
            assertNull(state.error)
            assertEquals("precall-network-pass", state.report!!.items.single { it.item == CheckItem.NETWORK }.messageId)
        }
    }

    @Test
    fun `core events reach a Kotlin listener until its TaskHandle is cancelled`(@TempDir data: Path) = runBlocking<Unit> {
        val config = ClientConfig(server.baseUrl, data.toString(), "raw", emptyList(), 30u)
        val client = PsyterClient.open(config, MemorySecretStore(), null, null, null)
        try {
            client.auth().login(Demo.PATIENT2, Demo.PASSWORD, null)
            val cancelled = RecordingListener()
            val kept = RecordingListener()
            val cancelledHandle = client.subscribeEvents(cancelled)
            val keptHandle = client.subscribeEvents(kept)
            val statusHandle = client.subscribeSyncStatus(kept)
            eventually { kept.statuses.isNotEmpty() } // the current status arrives at once

            client.sync().run()
            eventually { cancelled.finishedSyncs() == 1 && kept.finishedSyncs() == 1 }
            assertTrue(cancelled.events.first() is CoreEvent.SyncStarted, "events: ${cancelled.events}")
            assertFalse(cancelledHandle.isFinished())

            cancelledHandle.cancel()
            assertTrue(cancelledHandle.isFinished())
            val seen = cancelled.events.size
            client.sync().run()
            eventually { kept.finishedSyncs() == 2 }
            delay(200)
            assertEquals(seen, cancelled.events.size, "no event after cancel: ${cancelled.events}")
            assertTrue(kept.statuses.size >= 2, "sync status changes arrive: ${kept.statuses}")

            listOf(cancelledHandle, keptHandle, statusHandle).forEach { it.cancel(); it.close() }
        } finally {
            client.close()
        }
    }

    @Test
    fun `the biometric gate unlocks a locked session`(@TempDir data: Path) = runBlocking<Unit> {
        val gate = ScriptedBiometricGate()
        openKit(server.baseUrl, data, PlatformServices(MemorySecretStore(), biometric = gate)).use { kit ->
            kit.session.signIn(Demo.PATIENT2, Demo.PASSWORD).ok("sign-in")
            assertTrue(kit.settings.setBiometric(true).ok("turn biometric on").biometric)
            assertEquals(1, gate.prompts.size, "turning it on asks once")

            kit.session.lock()
            assertEquals(SessionPhase.LOCKED, kit.session.phase.value)
            assertEquals(Kind.AUTH, kit.appointments.upcoming().err("reading while locked").kind)
            assertEquals(UnlockMethod.BIOMETRIC, kit.session.unlockMethod().ok("unlock method"))

            gate.answer(BiometricOutcome.FAILED)
            val failed = kit.session.unlockWithBiometric("Unlock Psyter").err("failed prompt")
            assertEquals(Kind.AUTH to "biometric_failed", failed.kind to failed.code)
            assertEquals(SessionPhase.LOCKED, kit.session.phase.value)

            kit.session.unlockWithBiometric("Unlock Psyter").ok("passed prompt")
            assertEquals(SessionPhase.ACTIVE, kit.session.phase.value)
            assertEquals("Unlock Psyter", gate.prompts.last().first)
            assertNotEquals(Thread.currentThread().name, gate.prompts.last().second, "the prompt runs on a core thread")
        }
    }

    @Test
    fun `a biometric gate that throws is a typed error`(@TempDir data: Path) = runBlocking<Unit> {
        val gate = object : BiometricGate {
            override fun authenticate(reason: String): BiometricOutcome = throw IllegalStateException("prompt crashed")
        }
        openKit(server.baseUrl, data, PlatformServices(MemorySecretStore(), biometric = gate)).use { kit ->
            kit.session.signIn(Demo.PATIENT2, Demo.PASSWORD).ok("sign-in")
            val error = kit.settings.setBiometric(true).err("turning biometric on with a crashing prompt")
            assertEquals(Kind.AUTH to "biometric_failed", error.kind to error.code)
            assertFalse(kit.settings.local().ok("local settings").biometric)
        }
    }

    @Test
    fun `a call outside its join window fails cleanly through the CallController`(@TempDir data: Path) = runBlocking<Unit> {
        openKit(server.baseUrl, data).use { kit ->
            kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in")
            kit.appointments.sync().ok("sync")
            val later = kit.appointments.upcoming().ok("upcoming").first().appointment // days away

            val engine = FakeMediaEngine()
            val call = kit.video.join(later.id, engine).ok("join")
            val ended = call.view.awaitValue { it.state == CallState.FAILED || it.state == CallState.ENDED }
            assertEquals(CallState.FAILED to "outside_join_window", ended.state to ended.reason)
            val record = call.finished().ok("call record")
            assertNull(record.connectedAt)
            assertEquals("setListener", engine.calls.first())
            assertFalse("join" in engine.calls, "the engine never joins outside the window: ${engine.calls}")
            call.muteAudio(true)
            assertNull(call.lastError.value, "controls stay usable after the end")
            call.close()
            call.close() // idempotent

            val model = CallViewModel(kit, this)
            model.join(later.id, FakeMediaEngine())
            val state = model.state.awaitValue { it.record != null || it.error != null }
            assertNull(state.error)
            assertEquals(CallState.FAILED, state.view?.state)
        }
    }
}

/** Records core events and sync statuses as the core delivers them. */
private class RecordingListener : CoreEventListener, SyncStatusListener {
    val events = CopyOnWriteArrayList<CoreEvent>()
    val statuses = CopyOnWriteArrayList<SyncStatus>()

    override fun onEvent(event: CoreEvent) {
        events += event
    }

    override fun onStatus(status: SyncStatus) {
        statuses += status
    }

    fun finishedSyncs(): Int = events.count { it is CoreEvent.SyncFinished }
}
