import PsyterKit
import SwiftUI

/// The search filters: specialty, language, gender, highest price and lowest rating.
struct ProviderFilterSheet: View {
    let apply: (ProviderQuery) -> Void
    @State private var draft: ProviderQuery
    @State private var specialty: String
    @Environment(\.dismiss) private var dismiss
    @Environment(\.locale) private var locale

    /// Price caps offered, in cents.
    private static let priceCaps: [UInt32] = [10_000, 20_000, 30_000, 50_000]
    /// Rating floors offered.
    private static let ratingFloors: [Double] = [3, 4, 4.5]

    /// Edits a copy of `query`; `apply` receives the result.
    init(query: ProviderQuery, apply: @escaping (ProviderQuery) -> Void) {
        self.apply = apply
        _draft = State(initialValue: query)
        _specialty = State(initialValue: query.specialty ?? "")
    }

    var body: some View {
        NavigationStack {
            Form {
                Section("filter-specialty") {
                    TextField("filter-specialty-placeholder", text: $specialty)
                        .textInputAutocapitalization(.never)
                }
                Section("filter-language") {
                    Picker("filter-language", selection: $draft.language) {
                        Text("filter-any").tag(nil as String?)
                        Text("language-english").tag("en" as String?)
                        Text("language-arabic").tag("ar" as String?)
                    }
                    .pickerStyle(.segmented)
                }
                Section("filter-gender") {
                    Picker("filter-gender", selection: $draft.gender) {
                        Text("filter-any").tag(nil as Gender?)
                        Text("gender-female").tag(Gender.female as Gender?)
                        Text("gender-male").tag(Gender.male as Gender?)
                    }
                    .pickerStyle(.segmented)
                }
                Section("filter-max-price") {
                    Picker("filter-max-price", selection: $draft.maxPriceCents) {
                        Text("filter-any").tag(nil as UInt32?)
                        ForEach(Self.priceCaps, id: \.self) { cents in
                            Text(L10n.format("filter-up-to", locale: locale, (cents / 100).formatted(.number.locale(locale))))
                                .tag(cents as UInt32?)
                        }
                    }
                }
                Section("filter-min-rating") {
                    Picker("filter-min-rating", selection: $draft.minRating) {
                        Text("filter-any").tag(nil as Double?)
                        ForEach(Self.ratingFloors, id: \.self) { floor in
                            Text(L10n.format("filter-stars-or-more", locale: locale, floor.formatted(.number.locale(locale))))
                                .tag(floor as Double?)
                        }
                    }
                }
            }
            .navigationTitle("search-filters")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("common-cancel") { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button("filter-apply") {
                        var query = draft
                        query.specialty = specialty.isEmpty ? nil : specialty
                        apply(query)
                    }
                }
                ToolbarItem(placement: .bottomBar) {
                    Button("filter-reset") {
                        draft = ProviderQuery(text: draft.text)
                        specialty = ""
                    }
                    .disabled(!draft.hasFilters && specialty.isEmpty)
                }
            }
        }
    }
}
