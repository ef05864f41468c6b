package app.psyter.patient

import android.content.Intent
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.fragment.app.FragmentActivity
import app.psyter.patient.ui.PsyterApp
import app.psyter.patient.ui.PsyterTheme
import kotlinx.coroutines.flow.MutableStateFlow

/**
 * The one activity. A FragmentActivity because BiometricPrompt needs one; the UI is Compose. The
 * session's auto-lock is the core's job; the app locks only when the user asks (Settings).
 */
class MainActivity : FragmentActivity() {
    private val reminderTapped = MutableStateFlow(0L)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        if (!BuildConfig.DEBUG) {
            // Health information: keep it out of screenshots and the recent-apps thumbnail.
            window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        }
        handle(intent)
        val app = application as PsyterApplication
        setContent {
            PsyterTheme { PsyterApp(app, reminderTapped) }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handle(intent)
    }

    /** A reminder was tapped: show the appointments (once; the extra is consumed so a rotation does not repeat it). */
    private fun handle(intent: Intent?) {
        if (intent == null || !intent.hasExtra(EXTRA_APPOINTMENT_ID)) return
        intent.removeExtra(EXTRA_APPOINTMENT_ID)
        reminderTapped.value += 1
    }

    /** Intent extras. */
    companion object {
        /** Set by a reminder notification: the appointment it is about (the app opens its appointments). */
        const val EXTRA_APPOINTMENT_ID = "app.psyter.patient.APPOINTMENT_ID"
    }
}
