import Foundation
import PsyterFFI

/// What a patient searches providers by; every field is optional.
public struct ProviderQuery: Sendable, Hashable {
    /// Free text (name, title, bio).
    public var text: String?
    /// A specialty, e.g. `anxiety`.
    public var specialty: String?
    /// A language the provider speaks (`en`, `ar`).
    public var language: String?
    /// The provider's gender.
    public var gender: Gender?
    /// The highest session price, in cents.
    public var maxPriceCents: UInt32?
    /// The lowest average rating (0–5).
    public var minRating: Double?
    /// The page cursor from the previous results.
    public var cursor: String?
    /// How many results per page (the server caps it).
    public var limit: UInt32?

    /// A query; an empty one lists everyone.
    public init(
        text: String? = nil,
        specialty: String? = nil,
        language: String? = nil,
        gender: Gender? = nil,
        maxPriceCents: UInt32? = nil,
        minRating: Double? = nil,
        cursor: String? = nil,
        limit: UInt32? = nil
    ) {
        self.text = text
        self.specialty = specialty
        self.language = language
        self.gender = gender
        self.maxPriceCents = maxPriceCents
        self.minRating = minRating
        self.cursor = cursor
        self.limit = limit
    }

    /// Whether any filter besides the text is set (for a filter badge).
    public var hasFilters: Bool {
        specialty.nonBlank != nil || language.nonBlank != nil || gender != nil || maxPriceCents != nil
            || minRating != nil
    }

    /// The same query for the next page.
    public func page(after cursor: String?) -> ProviderQuery {
        var next = self
        next.cursor = cursor
        return next
    }

    /// The core's search record: blank text fields are left out, not sent as empty strings.
    public var search: ProviderSearch {
        ProviderSearch(
            q: text.nonBlank,
            specialty: specialty.nonBlank,
            language: language.nonBlank,
            gender: gender,
            maxPriceCents: maxPriceCents,
            minRating: minRating,
            availableFrom: nil,
            availableTo: nil,
            limit: limit,
            cursor: cursor
        )
    }
}

/// Provider search, profiles and free slots.
public final class ProviderRepository: Sendable {
    private let api: ProvidersApi

    init(api: ProvidersApi) {
        self.api = api
    }

    /// Searches providers; offline, recent matching results come from the cache (`fromCache`).
    public func search(_ query: ProviderQuery) async -> Outcome<ProviderResults> {
        await outcome { try await api.search(search: query.search) }
    }

    /// One provider's profile (the cached one when offline).
    public func profile(id: String) async -> Outcome<ProviderProfile> {
        await outcome { try await api.profile(id: id) }
    }

    /// A provider's slots in `[from, to)` (server defaults: now to 14 days); needs the server.
    public func slots(id: String, from: Foundation.Date? = nil, to: Foundation.Date? = nil) async -> Outcome<SlotList> {
        await outcome { try await api.slots(id: id, from: from, to: to) }
    }
}
