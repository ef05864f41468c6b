package app.psyter.patient.ui

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Mic
import androidx.compose.material.icons.outlined.NetworkCheck
import androidx.compose.material.icons.outlined.Videocam
import androidx.compose.material3.Button
import androidx.compose.material3.ElevatedCard
import androidx.compose.material3.Icon
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.psyter.core.CheckItem
import app.psyter.core.CheckResult
import app.psyter.core.Verdict
import app.psyter.ffi.MediaEngine
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.PreCallViewModel
import app.psyter.patient.R
import app.psyter.patient.platform.MediaDevices

/**
 * The pre-call check: asks for the microphone and camera, then shows a verdict per item with the
 * report's advice (already in the user's language); joining is offered unless something fails.
 */
@Composable
fun PreCallScreen(kit: PsyterKit, engine: MediaEngine, onJoin: () -> Unit) {
    val holder = kitModel(kit) { k, scope -> PreCallViewModel(k, scope) }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val permissions = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { model.run(engine) }
    LaunchedEffect(holder) {
        // After composition: the launcher registers itself in an effect of its own.
        holder.once {
            val devices = MediaDevices.status(context)
            val ready = devices.microphoneAllowed && (devices.cameraAllowed || !devices.camera)
            if (ready) it.run(engine) else permissions.launch(MediaDevices.permissions)
        }
    }
    val report = state.report
    val blocked = report == null || report.items.any { it.verdict == Verdict.FAIL }

    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(stringResource(R.string.precall_title), style = MaterialTheme.typography.headlineSmall)
        Text(stringResource(R.string.precall_permissions), style = MaterialTheme.typography.bodyMedium)
        if (state.busy) {
            Text(stringResource(R.string.call_state_checking), style = MaterialTheme.typography.bodyMedium)
            LinearProgressIndicator(Modifier.fillMaxWidth())
        }
        ErrorMessage(state.error, onRetry = { model.run(engine) })
        report?.items?.forEach { CheckRow(it) }
        val allowed = MediaDevices.status(context).microphoneAllowed
        if (!allowed && !state.busy) {
            OutlinedButton(
                onClick = { permissions.launch(MediaDevices.permissions) },
                modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp),
            ) { Text(stringResource(R.string.precall_allow)) }
        }
        OutlinedButton(
            onClick = { model.run(engine) },
            enabled = !state.busy,
            modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp),
        ) { Text(stringResource(R.string.precall_check_again)) }
        Button(onClick = onJoin, enabled = !state.busy && !blocked, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
            Text(stringResource(R.string.precall_join))
        }
    }
}

/** One item of the check: what, its verdict, and the advice. */
@Composable
private fun CheckRow(result: CheckResult) {
    val colors = MaterialTheme.colorScheme
    val (container, content) = when (result.verdict) {
        Verdict.PASS -> colors.primaryContainer to colors.onPrimaryContainer
        Verdict.WARN -> colors.tertiaryContainer to colors.onTertiaryContainer
        Verdict.FAIL -> colors.errorContainer to colors.onErrorContainer
    }
    ElevatedCard(Modifier.fillMaxWidth()) {
        Row(Modifier.padding(16.dp), horizontalArrangement = Arrangement.spacedBy(12.dp), verticalAlignment = Alignment.Top) {
            Icon(icon(result.item), contentDescription = null)
            Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
                    Text(stringResource(Labels.checkItem(result.item)), style = MaterialTheme.typography.titleSmall)
                    Badge(stringResource(Labels.verdict(result.verdict)), container, content)
                }
                Text(result.message, style = MaterialTheme.typography.bodyMedium)
            }
        }
    }
}

private fun icon(item: CheckItem): ImageVector = when (item) {
    CheckItem.MICROPHONE -> Icons.Outlined.Mic
    CheckItem.CAMERA -> Icons.Outlined.Videocam
    CheckItem.NETWORK -> Icons.Outlined.NetworkCheck
}
