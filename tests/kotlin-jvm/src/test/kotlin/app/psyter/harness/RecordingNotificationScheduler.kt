package app.psyter.harness

import app.psyter.core.Reminder
import app.psyter.ffi.NotificationScheduler
import java.util.concurrent.CopyOnWriteArrayList

/** Records the reminders the core schedules and withdraws. */
class RecordingNotificationScheduler : NotificationScheduler {
    /** Every reminder scheduled, in order. */
    val scheduled = CopyOnWriteArrayList<Reminder>()

    /** Every reminder id withdrawn, in order. */
    val cancelled = CopyOnWriteArrayList<String>()

    override fun schedule(reminder: Reminder) {
        scheduled += reminder
    }

    override fun cancel(id: String) {
        cancelled += id
    }

    /** The reminders scheduled for [appointmentId]. */
    fun scheduledFor(appointmentId: String): List<Reminder> = scheduled.filter { it.appointmentId == appointmentId }
}
