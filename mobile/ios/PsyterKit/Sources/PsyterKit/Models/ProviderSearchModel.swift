import Foundation
import Observation
import PsyterFFI

/// What the provider search screen shows.
public struct SearchState: Sendable, Equatable {
    /// The query of the results shown (or loading).
    public var query = ProviderQuery()
    /// The providers found so far (pages appended).
    public var results: [ProviderProfile] = []
    /// The results came from the offline cache.
    public var fromCache = false
    /// A search is running.
    public var busy = false
    /// The last failure.
    public var error: KitError?
    /// The cursor of the next page, if there is one.
    public var nextCursor: String?

    /// The initial state.
    public init() {}
}

/// Provider search with filters and paging; a newer search wins over one still running.
@available(iOS 17.0, macOS 14.0, *)
@MainActor
@Observable
public final class ProviderSearchModel {
    /// The screen's state.
    public private(set) var state = SearchState()
    private let kit: PsyterKit
    @ObservationIgnored private var generation = 0

    /// A model over `kit`.
    public init(kit: PsyterKit) {
        self.kit = kit
    }

    /// Runs `query` from its first page.
    public func search(_ query: ProviderQuery) async {
        generation += 1
        let mine = generation
        let first = query.page(after: nil)
        state.query = first
        state.busy = true
        state.error = nil
        let result = await kit.providers.search(first)
        guard mine == generation else { return }
        state.busy = false
        switch result {
        case .ok(let page):
            state.results = page.items
            state.fromCache = page.fromCache
            state.nextCursor = page.nextCursor
        case .err(let error):
            state.error = error
        }
    }

    /// Appends the next page of the current query.
    public func loadMore() async {
        guard let cursor = state.nextCursor, !state.busy else { return }
        let mine = generation
        state.busy = true
        let result = await kit.providers.search(state.query.page(after: cursor))
        guard mine == generation else { return }
        state.busy = false
        switch result {
        case .ok(let page):
            let known = Set(state.results.map(\.id))
            state.results += page.items.filter { !known.contains($0.id) }
            state.fromCache = state.fromCache || page.fromCache
            state.nextCursor = page.nextCursor
        case .err(let error):
            state.error = error
        }
    }
}
