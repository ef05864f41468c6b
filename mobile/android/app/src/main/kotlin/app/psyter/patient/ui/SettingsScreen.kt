package app.psyter.patient.ui

import android.app.LocaleManager
import android.content.Context
import android.os.Build
import android.os.LocaleList
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.psyter.core.SyncActivity
import app.psyter.core.SyncStatus
import app.psyter.domain.Role as AccountRole
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.SettingsViewModel
import app.psyter.patient.R
import kotlinx.coroutines.launch

/** Auto-lock choices in seconds (0: never). */
private val AUTO_LOCK = listOf(60uL, 300uL, 900uL, 0uL)

/** The account, biometric unlock, auto-lock, language, lock now and sign out. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SettingsScreen(kit: PsyterKit) {
    val holder = kitModel(kit) { k, scope -> SettingsViewModel(k, scope) }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    LaunchedEffect(holder) { holder.once { it.load() } }
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val me = state.me
    val local = state.local

    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
        if (me != null) {
            val role = stringResource(if (me.role == AccountRole.PROVIDER) R.string.role_provider else R.string.role_patient)
            Text(stringResource(R.string.signed_in_as, me.displayName, role), style = MaterialTheme.typography.titleMedium)
            Text(me.email, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        ErrorMessage(state.error.takeUnless { it?.code == "unsent_actions" })
        HorizontalDivider()
        Text(stringResource(R.string.settings_security), style = MaterialTheme.typography.titleSmall)
        if (local != null) {
            Row(
                Modifier.fillMaxWidth().heightIn(min = 48.dp)
                    .toggleable(value = local.biometric, role = Role.Switch, onValueChange = model::setBiometric),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Text(stringResource(R.string.unlock_biometric), Modifier.weight(1f))
                Switch(checked = local.biometric, onCheckedChange = null)
            }
            Text(stringResource(R.string.settings_auto_lock), style = MaterialTheme.typography.labelLarge)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (secs in AUTO_LOCK) {
                    val minutes = (secs / 60uL).toInt()
                    FilterChip(
                        selected = local.autoLockSecs == secs,
                        onClick = { model.setAutoLock(secs) },
                        label = {
                            Text(
                                if (secs == 0uL) stringResource(R.string.settings_auto_lock_never)
                                else pluralStringResource(R.plurals.minutes, minutes, minutes),
                            )
                        },
                    )
                }
            }
        }
        HorizontalDivider()
        SyncRow(kit.syncStatus.collectAsStateWithLifecycle().value) { scope.launch { kit.appointments.sync() } }
        OutlinedButton(onClick = { kit.session.lock() }, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
            Text(stringResource(R.string.settings_lock_now))
        }
        HorizontalDivider()
        Text(stringResource(R.string.settings_language), style = MaterialTheme.typography.titleSmall)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            for ((tag, label) in listOf("ar" to R.string.language_ar, "en-US" to R.string.language_en)) {
                FilterChip(
                    selected = me?.locale == tag,
                    onClick = {
                        model.setLocale(tag)
                        applyAppLanguage(context, tag)
                    },
                    label = { Text(stringResource(label)) },
                )
            }
        }
        HorizontalDivider()
        if (state.error?.code == "unsent_actions") {
            ErrorMessage(state.error)
            BusyButton(
                stringResource(R.string.settings_sign_out_anyway),
                busy = state.busy,
                enabled = true,
                onClick = { scope.launch { kit.session.signOut(force = true) } },
            )
        } else {
            BusyButton(stringResource(R.string.settings_sign_out), busy = state.busy, enabled = true, onClick = model::signOut)
        }
    }
}

/** Where sync is ("Up to date", "Syncing…", offline, failed), what is waiting, and Sync now. */
@Composable
private fun SyncRow(status: SyncStatus, onSync: () -> Unit) {
    val pending = status.pendingActions.toInt()
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f)) {
            val activity = status.activity
            val label = when (activity) {
                is SyncActivity.Idle -> R.string.sync_idle
                is SyncActivity.Syncing -> R.string.sync_syncing
                is SyncActivity.Offline -> R.string.sync_offline
                is SyncActivity.Failed -> R.string.sync_error
            }
            Text(stringResource(label), style = MaterialTheme.typography.bodyMedium)
            Text(
                if (pending == 0) stringResource(R.string.sync_pending_none)
                else pluralStringResource(R.plurals.sync_pending_actions, pending, pending),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
        TextButton(onClick = onSync, modifier = Modifier.heightIn(min = 48.dp)) { Text(stringResource(R.string.sync_now)) }
    }
}

/** Shows the app in [tag]'s language on Android 13+ (per-app language); earlier versions follow the system. */
private fun applyAppLanguage(context: Context, tag: String) {
    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
        context.getSystemService(LocaleManager::class.java)?.applicationLocales = LocaleList.forLanguageTags(tag)
    }
}
