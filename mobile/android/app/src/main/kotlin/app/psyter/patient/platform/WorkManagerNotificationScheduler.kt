package app.psyter.patient.platform

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.work.ExistingWorkPolicy
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.Worker
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import app.psyter.core.Reminder
import app.psyter.ffi.NotificationScheduler
import app.psyter.ffi.PlatformException
import app.psyter.patient.MainActivity
import app.psyter.patient.R
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * Appointment reminders as WorkManager one-time work, unique per reminder id (re-planning replaces
 * it); no exact-alarm permission is needed, and a reminder may come a few minutes late in Doze.
 */
class WorkManagerNotificationScheduler(context: Context) : NotificationScheduler {
    private val appContext = context.applicationContext

    /** Enqueues (or replaces) the reminder's work with the delay until `fireAt`. */
    @Throws(PlatformException::class)
    override fun schedule(reminder: Reminder) {
        val delay = Duration.between(Instant.now(), reminder.fireAt).coerceAtLeast(Duration.ZERO)
        val request = OneTimeWorkRequestBuilder<ReminderWorker>()
            .setInitialDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
            .setInputData(
                workDataOf(
                    ReminderWorker.KEY_ID to reminder.id,
                    ReminderWorker.KEY_APPOINTMENT to reminder.appointmentId,
                    ReminderWorker.KEY_TITLE to reminder.title,
                    ReminderWorker.KEY_BODY to reminder.body,
                ),
            )
            .addTag(TAG)
            .build()
        workManager().enqueueUniqueWork(uniqueName(reminder.id), ExistingWorkPolicy.REPLACE, request)
    }

    /** Cancels the reminder's work; an unknown id is not an error. */
    @Throws(PlatformException::class)
    override fun cancel(id: String) {
        workManager().cancelUniqueWork(uniqueName(id))
    }

    private fun workManager(): WorkManager = try {
        WorkManager.getInstance(appContext)
    } catch (e: IllegalStateException) {
        throw PlatformException.Unavailable("WorkManager is not initialised")
    }

    /** Names and the notification channel. */
    companion object {
        /** The channel reminders are posted on. */
        const val CHANNEL_ID = "reminders"
        private const val TAG = "psyter-reminder"

        /** Creates the reminders channel (idempotent); call at app start. */
        fun createChannel(context: Context) {
            val channel = NotificationChannel(
                CHANNEL_ID,
                context.getString(R.string.reminders_channel_name),
                NotificationManager.IMPORTANCE_HIGH,
            ).apply { description = context.getString(R.string.reminders_channel_description) }
            context.getSystemService(NotificationManager::class.java)?.createNotificationChannel(channel)
        }

        private fun uniqueName(id: String) = "reminder:$id"
    }
}

/** Posts one reminder on the reminders channel; its text hides on the lock screen (health information). */
class ReminderWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    /** Shows the notification, unless the user turned notifications off. */
    override fun doWork(): Result {
        val id = inputData.getString(KEY_ID) ?: return Result.failure()
        val title = inputData.getString(KEY_TITLE).orEmpty()
        val body = inputData.getString(KEY_BODY).orEmpty()
        val allowed = Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
            ContextCompat.checkSelfPermission(applicationContext, Manifest.permission.POST_NOTIFICATIONS) ==
            PackageManager.PERMISSION_GRANTED
        if (!allowed) return Result.success()
        val open = PendingIntent.getActivity(
            applicationContext,
            id.hashCode(),
            Intent(applicationContext, MainActivity::class.java)
                .setFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP)
                .putExtra(MainActivity.EXTRA_APPOINTMENT_ID, inputData.getString(KEY_APPOINTMENT)),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
        val publicVersion = NotificationCompat.Builder(applicationContext, WorkManagerNotificationScheduler.CHANNEL_ID)
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(applicationContext.getString(R.string.app_name))
            .setContentText(title)
            .build()
        val notification = NotificationCompat.Builder(applicationContext, WorkManagerNotificationScheduler.CHANNEL_ID)
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(title)
            .setContentText(body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(body))
            .setCategory(NotificationCompat.CATEGORY_REMINDER)
            .setPriority(NotificationCompat.PRIORITY_HIGH)
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .setPublicVersion(publicVersion)
            .setContentIntent(open)
            .setAutoCancel(true)
            .build()
        try {
            NotificationManagerCompat.from(applicationContext).notify(id, NOTIFICATION_ID, notification)
        } catch (e: SecurityException) {
            // The permission was revoked between the check and the post: nothing to show.
        }
        return Result.success()
    }

    /** Input data keys. */
    companion object {
        /** The reminder's stable id (also the notification's tag). */
        const val KEY_ID = "id"

        /** The appointment the reminder is for. */
        const val KEY_APPOINTMENT = "appointment"

        /** The title, already in the user's language. */
        const val KEY_TITLE = "title"

        /** The body, already in the user's language and time zone. */
        const val KEY_BODY = "body"

        private const val NOTIFICATION_ID = 1
    }
}
