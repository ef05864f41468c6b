package app.psyter.kit.ui

import app.psyter.domain.ProviderProfile
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.ProviderQuery
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the provider search screen shows. */
data class SearchState(
    val query: ProviderQuery = ProviderQuery(),
    val results: List<ProviderProfile> = emptyList(),
    val fromCache: Boolean = false,
    val busy: Boolean = false,
    val error: KitError? = null,
)

/** Provider search (the first tap of booking). */
class ProviderSearchViewModel(private val kit: PsyterKit, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(SearchState())

    /** The screen's state. */
    val state: StateFlow<SearchState> = mutable.asStateFlow()

    /** Searches with [query]; the previous results stay while it runs. */
    fun search(query: ProviderQuery) {
        mutable.update { it.copy(query = query, busy = true, error = null) }
        scope.launch {
            when (val result = kit.providers.search(query)) {
                is Outcome.Ok -> mutable.update {
                    it.copy(results = result.value.items, fromCache = result.value.fromCache, busy = false)
                }
                is Outcome.Err -> mutable.update { it.copy(busy = false, error = result.error) }
            }
        }
    }
}
