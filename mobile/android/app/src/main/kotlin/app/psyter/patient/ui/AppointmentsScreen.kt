package app.psyter.patient.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Close
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material.icons.outlined.Sync
import androidx.compose.material.icons.outlined.Videocam
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.ElevatedCard
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.psyter.core.ActionOutcome
import app.psyter.core.AppointmentView
import app.psyter.core.CoreEvent
import app.psyter.core.OutboxState
import app.psyter.core.PendingAction
import app.psyter.core.SessionPhase
import app.psyter.domain.AppointmentStatus
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.AppointmentsViewModel
import app.psyter.patient.R
import java.time.Instant
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch

/** Statuses a patient can still join or cancel. */
private val ACTIVE = setOf(AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.CHECKED_IN)

/** The appointments model, reloaded on entry and whenever sync or the outbox changed something. */
@Composable
private fun appointmentsModel(kit: PsyterKit, key: String): AppointmentsViewModel {
    val model = kitModel(kit, key = key) { k, scope -> AppointmentsViewModel(k, scope) }.model
    LaunchedEffect(model) {
        // Also after an unlock: reads while locked failed with `locked`.
        launch { kit.session.phase.collect { if (it == SessionPhase.ACTIVE) model.refresh() } }
        kit.events.collect { event ->
            if (event is CoreEvent.SyncFinished || event is CoreEvent.OutboxChanged || event is CoreEvent.ActionFailed) model.refresh()
        }
    }
    return model
}

/** Upcoming appointments with their pending/queued badge, and the actions the server refused (to dismiss). */
@Composable
fun AppointmentsScreen(kit: PsyterKit, onJoin: (String) -> Unit, onFindCare: () -> Unit) {
    val model = appointmentsModel(kit, "appointments")
    val state by model.state.collectAsStateWithLifecycle()
    val now by produceState(Instant.now()) {
        while (true) {
            delay(30_000)
            value = Instant.now()
        }
    }
    var cancelling by rememberSaveable { mutableStateOf<String?>(null) }
    var notice by rememberSaveable { mutableStateOf<Int?>(null) }
    val scope = rememberCoroutineScope()
    val failed = state.pending.filter { it.state == OutboxState.FAILED }

    Column(Modifier.fillMaxSize()) {
        if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
        LazyColumn(contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            item { ErrorMessage(state.error, onRetry = model::refresh) }
            notice?.let { message -> item { Notice(stringResource(message), onClose = { notice = null }) } }
            if (failed.isNotEmpty()) {
                item { Text(stringResource(R.string.failed_heading), style = MaterialTheme.typography.titleMedium) }
                items(failed, key = { "outbox-${it.outboxId}" }) { action -> FailedAction(action) { model.dismiss(action.outboxId) } }
            }
            item {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Column(Modifier.weight(1f)) {
                        Text(stringResource(R.string.upcoming_heading), style = MaterialTheme.typography.titleLarge)
                        Text(countText(state.upcoming.size), style = MaterialTheme.typography.bodySmall)
                    }
                    TextButton(onClick = model::sync, modifier = Modifier.heightIn(min = 48.dp)) {
                        Icon(Icons.Outlined.Sync, contentDescription = null)
                        Text(stringResource(R.string.sync_now), Modifier.padding(start = 8.dp))
                    }
                }
            }
            if (state.upcoming.isEmpty() && !state.busy) {
                item {
                    Column(horizontalAlignment = Alignment.CenterHorizontally, modifier = Modifier.fillMaxWidth()) {
                        EmptyText(stringResource(R.string.no_appointments))
                        Button(onClick = onFindCare, modifier = Modifier.heightIn(min = 48.dp)) { Text(stringResource(R.string.nav_find)) }
                    }
                }
            }
            items(state.upcoming, key = { it.appointment.id }) { view ->
                val appointment = view.appointment
                val idle = view.pending == null || view.pending?.state == OutboxState.DONE
                AppointmentCard(view) {
                    if (idle && appointment.status in ACTIVE && Days.canJoin(appointment.start, appointment.end, now)) {
                        Button(onClick = { onJoin(appointment.id) }, modifier = Modifier.heightIn(min = 48.dp)) {
                            Icon(Icons.Outlined.Videocam, contentDescription = null)
                            Text(stringResource(R.string.appointment_join), Modifier.padding(start = 8.dp))
                        }
                    }
                    if (idle && (appointment.status in ACTIVE || appointment.status == AppointmentStatus.PENDING)) {
                        OutlinedButton(onClick = { cancelling = appointment.id }, modifier = Modifier.heightIn(min = 48.dp)) {
                            Text(stringResource(R.string.appointment_cancel))
                        }
                    }
                }
            }
        }
    }
    cancelling?.let { id ->
        CancelDialog(
            onConfirm = { reason ->
                cancelling = null
                // The kit's model drops the outcome; the repository says whether it was applied or queued.
                scope.launch {
                    when (val result = kit.appointments.cancel(id, reason)) {
                        is Outcome.Ok -> notice = if (result.value is ActionOutcome.Queued) {
                            R.string.cancel_queued_offline
                        } else {
                            R.string.cancelled_confirmation
                        }
                        is Outcome.Err -> notice = ErrorText.resourceFor(result.error.code)
                    }
                    model.refresh()
                }
            },
            onDismiss = { cancelling = null },
        )
    }
}

/** Past appointments from the device's cache (works offline), with a search over them. */
@Composable
fun HistoryScreen(kit: PsyterKit) {
    val model = appointmentsModel(kit, "history")
    val state by model.state.collectAsStateWithLifecycle()
    val searching = state.searchText.isNotBlank()
    val shown = if (searching) state.searchResults else state.history

    Column(Modifier.fillMaxSize()) {
        OutlinedTextField(
            value = state.searchText,
            onValueChange = model::search,
            placeholder = { Text(stringResource(R.string.history_search_hint)) },
            leadingIcon = { Icon(Icons.Outlined.Search, contentDescription = null) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
            modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp),
        )
        if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
        LazyColumn(contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            item { ErrorMessage(state.error, onRetry = model::refresh) }
            item {
                Column {
                    Text(stringResource(R.string.history_heading), style = MaterialTheme.typography.titleLarge)
                    Text(countText(shown.size), style = MaterialTheme.typography.bodySmall)
                }
            }
            if (shown.isEmpty() && !state.busy) {
                item {
                    EmptyText(
                        if (searching) stringResource(R.string.history_no_results, state.searchText) else stringResource(R.string.no_appointments),
                    )
                }
            }
            items(shown, key = { it.appointment.id }) { view -> AppointmentCard(view) }
        }
    }
}

/** "3 appointments" (appointments-count), with its own wording for none. */
@Composable
private fun countText(count: Int): String =
    if (count == 0) stringResource(R.string.appointments_count_none) else pluralStringResource(R.plurals.appointments_count, count, count)

/** One appointment: provider, time, status, the pending action's state, and [actions]. */
@Composable
fun AppointmentCard(view: AppointmentView, actions: @Composable () -> Unit = {}) {
    val formats = rememberFormats()
    val appointment = view.appointment
    val colors = MaterialTheme.colorScheme
    ElevatedCard(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(appointment.providerName, style = MaterialTheme.typography.titleMedium)
            Text(formats.dateTime(appointment.start), style = MaterialTheme.typography.bodyMedium)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Badge(stringResource(Labels.status(appointment.status)), colors.secondaryContainer, colors.onSecondaryContainer)
                view.pending?.let { pending ->
                    Labels.outboxState(pending.state)?.let { label ->
                        val failed = pending.state == OutboxState.FAILED
                        Badge(
                            stringResource(label),
                            if (failed) colors.errorContainer else colors.tertiaryContainer,
                            if (failed) colors.onErrorContainer else colors.onTertiaryContainer,
                        )
                    }
                }
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) { actions() }
        }
    }
}

/** An action the server refused for good (e.g. the slot was taken while offline), with its reason. */
@Composable
private fun FailedAction(action: PendingAction, onDismiss: () -> Unit) {
    val colors = MaterialTheme.colorScheme
    ElevatedCard(Modifier.fillMaxWidth()) {
        Row(Modifier.padding(16.dp), verticalAlignment = Alignment.CenterVertically) {
            Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Badge(stringResource(Labels.outboxKind(action.kind)), colors.errorContainer, colors.onErrorContainer)
                Text(stringResource(ErrorText.resourceFor(action.errorCode)), style = MaterialTheme.typography.bodyMedium)
            }
            TextButton(onClick = onDismiss, modifier = Modifier.heightIn(min = 48.dp)) { Text(stringResource(R.string.action_dismiss)) }
        }
    }
}

/** A short confirmation (cancelled, or saved to send), closable. */
@Composable
private fun Notice(text: String, onClose: () -> Unit) {
    Surface(color = MaterialTheme.colorScheme.primaryContainer, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth()) {
        Row(Modifier.padding(start = 16.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(text, Modifier.weight(1f).semantics { liveRegion = LiveRegionMode.Polite }, style = MaterialTheme.typography.bodyMedium)
            IconButton(onClick = onClose) { Icon(Icons.Outlined.Close, contentDescription = stringResource(R.string.action_close)) }
        }
    }
}

/** Asks before cancelling, with an optional reason. */
@Composable
private fun CancelDialog(onConfirm: (String) -> Unit, onDismiss: () -> Unit) {
    var reason by rememberSaveable { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(stringResource(R.string.cancel_title)) },
        text = {
            OutlinedTextField(
                value = reason,
                onValueChange = { reason = it.take(500) },
                label = { Text(stringResource(R.string.cancel_reason)) },
                modifier = Modifier.fillMaxWidth(),
            )
        },
        confirmButton = {
            Button(onClick = { onConfirm(reason.trim()) }, modifier = Modifier.heightIn(min = 48.dp)) {
                Text(stringResource(R.string.appointment_cancel))
            }
        },
        dismissButton = {
            TextButton(onClick = onDismiss, modifier = Modifier.heightIn(min = 48.dp)) { Text(stringResource(R.string.cancel_keep)) }
        },
    )
}
