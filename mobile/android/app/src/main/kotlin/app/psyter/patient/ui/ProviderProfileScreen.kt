package app.psyter.patient.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.CheckCircle
import androidx.compose.material.icons.outlined.Schedule
import androidx.compose.material.icons.outlined.Star
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.psyter.core.BookOutcome
import app.psyter.domain.ProviderProfile
import app.psyter.domain.Slot
import app.psyter.kit.KitError
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.BookingViewModel
import app.psyter.patient.R

/** A provider's profile with their free slots by day (tap 2 picks one), the confirmation (tap 3), then the result. */
@Composable
fun ProviderProfileScreen(kit: PsyterKit, providerId: String, onBooked: () -> Unit) {
    val holder = kitModel(kit, key = "booking:$providerId") { k, scope -> BookingViewModel(k, scope, providerId) }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    LaunchedEffect(holder) { holder.once { it.load() } }
    var confirming by rememberSaveable { mutableStateOf(false) }
    val profile = state.profile
    val booked = state.booked

    if (booked != null) {
        Booked(booked, onDone = onBooked)
        return
    }
    Column(Modifier.fillMaxSize()) {
        if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
        LazyColumn(contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            if (profile != null) item { ProfileHeader(profile) }
            item { ErrorMessage(state.error.takeUnless { confirming }, onRetry = model::load) }
            item { SlotPicker(state.slots, loaded = profile != null && !state.busy) { slot -> model.select(slot); confirming = true } }
        }
    }
    val selected = state.selected
    if (confirming && selected != null && profile != null) {
        ConfirmDialog(
            provider = profile,
            slot = selected,
            busy = state.busy,
            error = state.error,
            onConfirm = model::book,
            onDismiss = { confirming = false },
        )
    }
}

/** Who the provider is: name, title, rating, fee, session length, languages, specialties and bio. */
@Composable
private fun ProfileHeader(provider: ProviderProfile) {
    val formats = rememberFormats()
    Column(verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Text(provider.displayName, style = MaterialTheme.typography.headlineSmall)
        Text(provider.title, style = MaterialTheme.typography.titleSmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Row(verticalAlignment = Alignment.CenterVertically) {
            Icon(Icons.Outlined.Star, contentDescription = null, tint = MaterialTheme.colorScheme.primary)
            val count = provider.ratingCount.toInt()
            Text(
                pluralStringResource(R.plurals.provider_ratings, count, formats.rating(provider.rating), count),
                modifier = Modifier.padding(start = 4.dp),
            )
        }
        Fact(stringResource(R.string.provider_fee), formats.price(provider.priceCents, provider.currency))
        val minutes = provider.sessionMinutes.toInt()
        Fact(stringResource(R.string.provider_length), pluralStringResource(R.plurals.minutes, minutes, minutes))
        Fact(
            stringResource(R.string.provider_languages),
            provider.languages.map { tag -> Labels.language(tag)?.let { stringResource(it) } ?: tag }.joinToString(" · "),
        )
        Text(provider.specialties.map { specialtyLabel(it) }.joinToString(" · "), style = MaterialTheme.typography.bodyMedium)
        if (provider.bio.isNotBlank()) Text(provider.bio, style = MaterialTheme.typography.bodyMedium)
        HorizontalDivider(Modifier.padding(top = 8.dp))
    }
}

/** A label and its value on one line. */
@Composable
private fun Fact(label: String, value: String) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(label, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Text(value, style = MaterialTheme.typography.bodyMedium)
    }
}

/** The free slots grouped by day in the user's zone, each a 48dp button with its start time. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun SlotPicker(slots: List<Slot>, loaded: Boolean, onPick: (Slot) -> Unit) {
    val formats = rememberFormats()
    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.slots_heading), style = MaterialTheme.typography.titleMedium)
        Text(stringResource(R.string.slots_zone, formats.zoneName()), style = MaterialTheme.typography.bodySmall)
        if (loaded && slots.isEmpty()) EmptyText(stringResource(R.string.slots_none))
        for ((day, daySlots) in Days.groupByDay(slots, formats.zone) { it.start }) {
            Text(formats.day(day), style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                for (slot in daySlots) {
                    OutlinedButton(onClick = { onPick(slot) }, modifier = Modifier.heightIn(min = 48.dp)) {
                        Text(formats.time(slot.start))
                    }
                }
            }
        }
    }
}

/** The confirmation: who and when, an optional reason, and Book. */
@Composable
private fun ConfirmDialog(
    provider: ProviderProfile,
    slot: Slot,
    busy: Boolean,
    error: KitError?,
    onConfirm: (String) -> Unit,
    onDismiss: () -> Unit,
) {
    val formats = rememberFormats()
    var reason by rememberSaveable { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        icon = { Icon(Icons.Outlined.Schedule, contentDescription = null) },
        title = { Text(stringResource(R.string.confirm_title)) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
                Text(stringResource(R.string.confirm_body, provider.displayName, formats.dateTime(slot.start)))
                OutlinedTextField(
                    value = reason,
                    onValueChange = { reason = it.take(500) },
                    label = { Text(stringResource(R.string.confirm_reason)) },
                    modifier = Modifier.fillMaxWidth(),
                )
                ErrorMessage(error)
            }
        },
        confirmButton = {
            Button(onClick = { onConfirm(reason.trim()) }, enabled = !busy, modifier = Modifier.heightIn(min = 48.dp)) {
                Text(stringResource(R.string.confirm_action))
            }
        },
        dismissButton = {
            TextButton(onClick = onDismiss, modifier = Modifier.heightIn(min = 48.dp)) { Text(stringResource(R.string.action_back)) }
        },
    )
}

/** The booking's result: booked, or saved to send when back online. */
@Composable
private fun Booked(outcome: BookOutcome, onDone: () -> Unit) {
    val formats = rememberFormats()
    val (appointment, queued) = when (outcome) {
        is BookOutcome.Booked -> outcome.v1 to false
        is BookOutcome.Queued -> outcome.v1.appointment to true
    }
    val message = stringResource(
        if (queued) R.string.booking_queued_offline else R.string.booked_confirmation,
        appointment.providerName,
        formats.dateTime(appointment.start),
    )
    Column(
        Modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Icon(Icons.Outlined.CheckCircle, contentDescription = null, modifier = Modifier.size(64.dp), tint = MaterialTheme.colorScheme.primary)
        Text(stringResource(R.string.booked_title), style = MaterialTheme.typography.headlineSmall)
        Text(message, style = MaterialTheme.typography.bodyLarge)
        Button(onClick = onDone, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
            Text(stringResource(R.string.booked_see_appointments))
        }
    }
}
