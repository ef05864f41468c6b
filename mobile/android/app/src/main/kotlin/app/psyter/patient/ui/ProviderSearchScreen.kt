package app.psyter.patient.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.ArrowDropDown
import androidx.compose.material.icons.outlined.Clear
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material.icons.outlined.Star
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ElevatedCard
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalFocusManager
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.psyter.domain.Gender
import app.psyter.domain.ProviderProfile
import app.psyter.kit.ProviderQuery
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.ProviderSearchViewModel
import app.psyter.patient.R

/** Provider search: free text and filters (specialty, language, gender, rating); a tap opens the profile. */
@Composable
fun ProviderSearchScreen(kit: PsyterKit, onOpen: (String) -> Unit) {
    val holder = kitModel(kit) { k, scope -> ProviderSearchViewModel(k, scope) }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    LaunchedEffect(holder) { holder.once { it.search(ProviderQuery()) } }
    val query = state.query
    var text by rememberSaveable { mutableStateOf(query.text.orEmpty()) }
    val focus = LocalFocusManager.current
    val search = { changed: ProviderQuery -> model.search(changed.copy(cursor = null)) }

    Column(Modifier.fillMaxSize()) {
        OutlinedTextField(
            value = text,
            onValueChange = { text = it },
            placeholder = { Text(stringResource(R.string.search_hint)) },
            leadingIcon = { Icon(Icons.Outlined.Search, contentDescription = null) },
            trailingIcon = {
                if (text.isNotEmpty()) {
                    IconButton(onClick = { text = ""; search(query.copy(text = null)) }) {
                        Icon(Icons.Outlined.Clear, contentDescription = stringResource(R.string.search_clear))
                    }
                }
            },
            singleLine = true,
            keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
            keyboardActions = KeyboardActions(onSearch = {
                focus.clearFocus()
                search(query.copy(text = text.trim().ifEmpty { null }))
            }),
            modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp),
        )
        Filters(query, onChange = search)
        if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth()) else Box(Modifier.heightIn(min = 4.dp))
        LazyColumn(contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            item { ErrorMessage(state.error, onRetry = { search(query) }) }
            if (state.fromCache) {
                item { Text(stringResource(R.string.search_from_cache), style = MaterialTheme.typography.bodySmall) }
            }
            if (!state.busy && state.error == null && state.results.isEmpty()) {
                item { EmptyText(stringResource(R.string.search_no_results)) }
            }
            items(state.results, key = { it.id }) { provider -> ProviderCard(provider, onClick = { onOpen(provider.id) }) }
        }
    }
}

/** The filter chips, in one row that scrolls sideways (mirrored in Arabic). */
@Composable
private fun Filters(query: ProviderQuery, onChange: (ProviderQuery) -> Unit) {
    Row(
        Modifier.fillMaxWidth().horizontalScroll(rememberScrollState()).padding(horizontal = 16.dp),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        SpecialtyChip(query.specialty) { onChange(query.copy(specialty = it)) }
        for (tag in listOf("ar", "en")) {
            FilterChip(
                selected = query.language == tag,
                onClick = { onChange(query.copy(language = if (query.language == tag) null else tag)) },
                label = { Text(stringResource(Labels.language(tag) ?: R.string.language_en)) },
            )
        }
        for ((gender, label) in listOf(Gender.FEMALE to R.string.filter_female, Gender.MALE to R.string.filter_male)) {
            FilterChip(
                selected = query.gender == gender,
                onClick = { onChange(query.copy(gender = if (query.gender == gender) null else gender)) },
                label = { Text(stringResource(label)) },
            )
        }
        FilterChip(
            selected = query.minRating != null,
            onClick = { onChange(query.copy(minRating = if (query.minRating == null) 4.5 else null)) },
            label = { Text(stringResource(R.string.filter_top_rated)) },
            leadingIcon = { Icon(Icons.Outlined.Star, contentDescription = null) },
        )
    }
}

/** A chip that opens the list of specialties. */
@Composable
private fun SpecialtyChip(selected: String?, onSelect: (String?) -> Unit) {
    var expanded by remember { mutableStateOf(false) }
    Box {
        FilterChip(
            selected = selected != null,
            onClick = { expanded = true },
            label = { Text(selected?.let { specialtyLabel(it) } ?: stringResource(R.string.filter_specialty)) },
            trailingIcon = { Icon(Icons.Outlined.ArrowDropDown, contentDescription = null) },
        )
        DropdownMenu(expanded = expanded, onDismissRequest = { expanded = false }) {
            DropdownMenuItem(text = { Text(stringResource(R.string.filter_any_specialty)) }, onClick = { expanded = false; onSelect(null) })
            for (slug in Labels.specialties) {
                DropdownMenuItem(text = { Text(specialtyLabel(slug)) }, onClick = { expanded = false; onSelect(slug) })
            }
        }
    }
}

/** A specialty's name in the app's language (the slug itself when this version does not know it). */
@Composable
fun specialtyLabel(slug: String): String = Labels.specialty(slug)?.let { stringResource(it) } ?: slug

/** One provider in the results: name, title, rating, specialties and fee. */
@Composable
private fun ProviderCard(provider: ProviderProfile, onClick: () -> Unit) {
    val formats = rememberFormats()
    ElevatedCard(Modifier.fillMaxWidth().clickable(role = Role.Button, onClick = onClick)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(provider.displayName, style = MaterialTheme.typography.titleMedium)
            Text(provider.title, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            Row(verticalAlignment = Alignment.CenterVertically) {
                Icon(Icons.Outlined.Star, contentDescription = null, tint = MaterialTheme.colorScheme.primary)
                val count = provider.ratingCount.toInt()
                Text(
                    pluralStringResource(R.plurals.provider_ratings, count, formats.rating(provider.rating), count),
                    style = MaterialTheme.typography.bodySmall,
                    modifier = Modifier.padding(start = 4.dp),
                )
            }
            Text(
                provider.specialties.take(3).map { specialtyLabel(it) }.joinToString(" · "),
                style = MaterialTheme.typography.bodySmall,
            )
            Text(formats.price(provider.priceCents, provider.currency), style = MaterialTheme.typography.labelLarge)
        }
    }
}
