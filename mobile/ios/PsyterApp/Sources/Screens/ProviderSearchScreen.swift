import PsyterKit
import SwiftUI

/// Provider search: free text, filters, paging; offline results come from the cache.
struct ProviderSearchScreen: View {
    let kit: PsyterKit
    @State private var model: ProviderSearchModel
    @State private var text = ""
    @State private var filters = ProviderQuery()
    @State private var showFilters = false

    /// A search over `kit`.
    init(kit: PsyterKit) {
        self.kit = kit
        _model = State(initialValue: ProviderSearchModel(kit: kit))
    }

    var body: some View {
        List {
            if model.state.fromCache {
                Label("search-from-cache", systemImage: "icloud.slash")
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
            if let error = model.state.error {
                ErrorBanner(error: error)
            }
            ForEach(model.state.results) { provider in
                NavigationLink(value: provider) {
                    ProviderRow(provider: provider)
                }
                .onAppear {
                    if provider.id == model.state.results.last?.id {
                        Task { await model.loadMore() }
                    }
                }
            }
            if model.state.busy {
                ProgressView()
                    .frame(maxWidth: .infinity)
            } else if model.state.results.isEmpty && model.state.error == nil {
                ContentUnavailableView("search-empty", systemImage: "person.crop.circle.badge.questionmark")
            }
        }
        .navigationTitle("search-title")
        .searchable(text: $text, prompt: Text("search-prompt"))
        .task(id: text) {
            try? await Task.sleep(for: .milliseconds(350))
            guard !Task.isCancelled else { return }
            await search()
        }
        .refreshable { await search() }
        .toolbar {
            ToolbarItem(placement: .primaryAction) {
                Button {
                    showFilters = true
                } label: {
                    Label("search-filters", systemImage: filterIcon)
                }
            }
        }
        .sheet(isPresented: $showFilters) {
            ProviderFilterSheet(query: filters) { applied in
                filters = applied
                showFilters = false
                Task { await search() }
            }
        }
        .navigationDestination(for: ProviderProfile.self) { provider in
            ProviderProfileScreen(kit: kit, provider: provider)
        }
    }

    private var filterIcon: String {
        filters.hasFilters ? "line.3.horizontal.decrease.circle.fill" : "line.3.horizontal.decrease.circle"
    }

    private func search() async {
        var query = filters
        query.text = text
        await model.search(query)
    }
}

/// One provider in the results: name, title, specialties, rating and price.
struct ProviderRow: View {
    let provider: ProviderProfile
    @Environment(\.locale) private var locale

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(provider.displayName)
                .font(.headline)
            Text(provider.title)
                .font(.subheadline)
                .foregroundStyle(.secondary)
            if !provider.specialties.isEmpty {
                Text(provider.specialties.joined(separator: " · "))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
            HStack(spacing: 12) {
                Label(Formatting.rating(provider.rating, locale: locale), systemImage: "star.fill")
                    .labelStyle(.titleAndIcon)
                    .accessibilityLabel(L10n.format("provider-rating", locale: locale, Formatting.rating(provider.rating, locale: locale)))
                Text(Formatting.price(cents: provider.priceCents, currency: provider.currency, locale: locale))
            }
            .font(.footnote)
        }
        .padding(.vertical, 4)
        .accessibilityElement(children: .combine)
    }
}
