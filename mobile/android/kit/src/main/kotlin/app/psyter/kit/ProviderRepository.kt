package app.psyter.kit

import app.psyter.core.ProviderResults
import app.psyter.core.ProviderSearch
import app.psyter.domain.Gender
import app.psyter.domain.ProviderProfile
import app.psyter.domain.SlotList
import app.psyter.ffi.ProvidersApi
import java.time.Instant

/** A provider search: free text and filters, all optional, with a cursor for the next page. */
data class ProviderQuery(
    val text: String? = null,
    val specialty: String? = null,
    val language: String? = null,
    val gender: Gender? = null,
    val maxPriceCents: UInt? = null,
    val minRating: Double? = null,
    val cursor: String? = null,
    val limit: UInt? = null,
)

/** Provider search (offline: recent results from the cache), profiles and free slots. */
class ProviderRepository internal constructor(private val api: ProvidersApi) {
    /** Searches providers; `fromCache` in the result says whether it came from the cache. */
    suspend fun search(query: ProviderQuery): Outcome<ProviderResults> = outcome { api.search(query.toSearch()) }

    /** One provider's profile (the cached one when offline). */
    suspend fun profile(id: String): Outcome<ProviderProfile> = outcome { api.profile(id) }

    /** A provider's free slots in [from, to) (server defaults: now, 14 days); needs the server. */
    suspend fun slots(id: String, from: Instant? = null, to: Instant? = null): Outcome<SlotList> =
        outcome { api.slots(id, from, to) }

    /** Frees the core object when the kit closes. */
    internal fun release() = api.close()
}

/** The core's search record for this query. */
private fun ProviderQuery.toSearch() = ProviderSearch(
    q = text,
    specialty = specialty,
    language = language,
    gender = gender,
    maxPriceCents = maxPriceCents,
    minRating = minRating,
    availableFrom = null,
    availableTo = null,
    limit = limit,
    cursor = cursor,
)
