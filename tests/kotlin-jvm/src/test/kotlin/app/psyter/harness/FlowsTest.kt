package app.psyter.harness

import app.psyter.core.ActionOutcome
import app.psyter.core.BookOutcome
import app.psyter.core.CoreEvent
import app.psyter.core.OutboxKind
import app.psyter.core.OutboxState
import app.psyter.core.SessionPhase
import app.psyter.core.SyncActivity
import app.psyter.domain.AppointmentStatus
import app.psyter.domain.SlotStatus
import app.psyter.kit.KitError
import app.psyter.kit.PlatformServices
import app.psyter.kit.ProviderQuery
import app.psyter.kit.ui.AppointmentsViewModel
import app.psyter.kit.ui.BookingViewModel
import app.psyter.kit.ui.ProviderSearchViewModel
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.extension.ExtendWith
import org.junit.jupiter.api.io.TempDir

/** The patient's day through the kit: search, book, go offline, cancel offline, come back, sync. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogsOnFailure::class)
class FlowsTest {
    private lateinit var server: ServerProcess

    @BeforeAll
    fun startServer() {
        server = ServerProcess.start("flows")
    }

    @AfterAll
    fun stopServer() = server.close()

    @Test
    fun `book online, cancel offline, sync once the server is back`(@TempDir data: Path) = runBlocking<Unit> {
        val secrets = MemorySecretStore()
        val reminders = RecordingNotificationScheduler()
        val services = PlatformServices(secrets, notifications = reminders)

        // Online: sign in, first sync through the background loop, search, slots, book.
        val kit = openKit(server.baseUrl, data, services)
        assertEquals(SessionPhase.SIGNED_OUT, kit.session.phase.value)
        val me = kit.session.signIn(Demo.PATIENT, Demo.PASSWORD).ok("sign-in")
        assertEquals("Omar Haddad", me.displayName)
        assertEquals(SessionPhase.ACTIVE, kit.session.phase.value)
        kit.startBackgroundSync(Duration.ofMinutes(5))
        val synced = kit.syncStatus.awaitValue { it.lastSyncedAt != null && it.activity == SyncActivity.Idle }
        assertEquals(0u, synced.pendingActions)

        val found = kit.providers.search(ProviderQuery(text = Demo.PROVIDER_NAME)).ok("provider search")
        val provider = found.items.firstOrNull { Demo.PROVIDER_NAME in it.displayName }
        assertNotNull(provider, "search by text finds ${Demo.PROVIDER_NAME}: ${found.items.map { it.displayName }}")
        val from = Instant.now().plus(Duration.ofHours(26))
        val slots = kit.providers.slots(provider!!.id, from, from.plus(Duration.ofDays(7))).ok("slots")
        val slot = slots.slots.first { it.status == SlotStatus.FREE }
        val booked = kit.appointments.book(provider.id, slot.start, "Kotlin harness visit").ok("booking")
        assertTrue(booked is BookOutcome.Booked, "online booking is applied at once: $booked")
        val appointment = (booked as BookOutcome.Booked).v1
        assertEquals(AppointmentStatus.BOOKED, appointment.status)
        assertEquals(slot.start, appointment.start)
        val upcoming = kit.appointments.upcoming().ok("upcoming")
        assertTrue(upcoming.any { it.appointment.id == appointment.id }, "upcoming lists the new booking")

        // The core re-planned reminders after the booking: one per offset (1440 and 60 minutes before).
        val planned = reminders.scheduledFor(appointment.id)
        assertEquals(setOf(1440u, 60u), planned.map { it.minutesBefore }.toSet(), "reminders: $planned")
        assertTrue(planned.all { it.fireAt.isBefore(appointment.start) && it.title.isNotBlank() })

        // Offline: the server goes away; reads come from the encrypted cache, the cancel is queued.
        server.stop()
        val history = kit.appointments.history(limit = 20).ok("history offline").items
        val past = history.firstOrNull { it.appointment.status == AppointmentStatus.FULFILLED }
        assertNotNull(past, "the demo patient's fulfilled visit is in the history: $history")
        val hits = kit.appointments.searchHistory("Mitchell").ok("history search offline")
        assertTrue(hits.any { it.appointment.id == past!!.appointment.id }, "history search finds the past visit by provider name")

        val cancel = kit.appointments.cancel(appointment.id, "Plans changed").ok("offline cancel")
        assertTrue(cancel is ActionOutcome.Queued, "offline cancel is queued: $cancel")
        val outboxId = (cancel as ActionOutcome.Queued).outboxId
        val pending = kit.appointments.pendingActions().ok("pending actions").single()
        assertEquals(outboxId, pending.outboxId)
        assertEquals(appointment.id, pending.appointmentId)
        assertEquals(OutboxKind.CANCEL, pending.kind)
        // The background loop may be trying it right now (the server is down): queued or sending.
        assertTrue(pending.state == OutboxState.QUEUED || pending.state == OutboxState.SENDING, "state ${pending.state}")
        assertNotNull(kit.appointments.get(appointment.id).ok("get offline").pending, "the appointment shows its pending cancel")

        val offlineSync = kit.appointments.sync().err("sync offline")
        assertEquals(KitError.Kind.OFFLINE, offlineSync.kind)
        val offlineStatus = kit.syncStatus.awaitValue { it.activity == SyncActivity.Offline }
        assertEquals(1u, offlineStatus.pendingActions, "the status counts the queued cancel")
        kit.close()
        kit.close() // idempotent

        // Back online: the same data dir and keychain restore the session; sync sends the cancel once.
        server.restart()
        val again = openKit(server.baseUrl, data, services)
        try {
            assertEquals(SessionPhase.ACTIVE, again.session.phase.value, "the stored session is restored")
            assertEquals(outboxId, again.appointments.pendingActions().ok("pending after reopen").single().outboxId)
            val events = CopyOnWriteArrayList<CoreEvent>()
            val collecting = launch(start = CoroutineStart.UNDISPATCHED) { again.events.collect { events += it } }
            val before = again.syncStatus.value

            val report = again.appointments.sync().ok("sync after the server came back")
            assertEquals(1u, report.sent, "the queued cancel is sent by this sync")
            assertEquals(0u, report.refused)
            val cancelled = again.appointments.get(appointment.id).ok("get after sync")
            assertEquals(AppointmentStatus.CANCELLED, cancelled.appointment.status)
            assertNull(cancelled.pending)
            assertTrue(again.appointments.pendingActions().ok("pending after sync").isEmpty())

            assertNull(before.lastSyncedAt)
            val after = again.syncStatus.awaitValue { it.lastSyncedAt != null && it.activity == SyncActivity.Idle }
            assertEquals(0u, after.pendingActions)
            eventually { events.any { it is CoreEvent.SyncFinished } }
            assertTrue(events.any { it is CoreEvent.SyncStarted }, "the kit's event flow saw the sync: $events")
            collecting.cancel()

            // The sync's re-plan withdrew the cancelled appointment's reminders.
            val withdrawn = planned.map { it.id }.toSet()
            assertTrue(reminders.cancelled.containsAll(withdrawn), "withdrawn ${reminders.cancelled}, expected $withdrawn")
            assertFalse(Demo.PASSWORD in CoreLog.tail(200), "no password in the core's log")
        } finally {
            again.close()
        }
    }

    @Test
    fun `book in three taps through the view models`(@TempDir data: Path) = runBlocking<Unit> {
        openKit(server.baseUrl, data).use { kit ->
            kit.session.signIn(Demo.PATIENT2, Demo.PASSWORD).ok("sign-in")
            val search = ProviderSearchViewModel(kit, this)
            search.search(ProviderQuery(text = Demo.PROVIDER_NAME))
            val provider = search.state.awaitValue { !it.busy && (it.results.isNotEmpty() || it.error != null) }
                .results.first { Demo.PROVIDER_NAME in it.displayName }

            // Tap 1: the provider. Tap 2: a slot. Tap 3: confirm.
            val booking = BookingViewModel(kit, this, provider.id)
            booking.load()
            val loaded = booking.state.awaitValue { !it.busy && it.profile != null }
            assertNull(loaded.error)
            assertTrue(loaded.slots.all { it.status == SlotStatus.FREE } && loaded.slots.isNotEmpty())
            booking.select(loaded.slots.first())
            booking.book("Booked from the view model")
            val done = booking.state.awaitValue { !it.busy && (it.booked != null || it.error != null) }
            val appointment = (done.booked as? BookOutcome.Booked)?.v1
            assertNotNull(appointment, "booked: ${done.booked}, error: ${done.error}")

            val list = AppointmentsViewModel(kit, this)
            list.refresh()
            val state = list.state.awaitValue { !it.busy && it.upcoming.isNotEmpty() }
            assertTrue(state.upcoming.any { it.appointment.id == appointment!!.id })
        }
    }
}
