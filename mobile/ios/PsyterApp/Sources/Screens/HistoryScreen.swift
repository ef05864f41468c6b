import PsyterKit
import SwiftUI

/// Past appointments, latest first, with an offline full-text search over them.
struct HistoryScreen: View {
    let model: AppointmentsModel
    @State private var text = ""

    var body: some View {
        List {
            ForEach(items) { view in
                AppointmentRow(view: view)
            }
            if text.isEmpty && model.state.historyNext != nil {
                ProgressView()
                    .frame(maxWidth: .infinity)
                    .task { await model.loadMoreHistory() }
            }
            if items.isEmpty {
                ContentUnavailableView(
                    LocalizedStringKey(text.isEmpty ? "history-empty" : "history-no-results"),
                    systemImage: "clock.arrow.circlepath"
                )
            }
        }
        .navigationTitle("history-heading")
        .searchable(text: $text, prompt: Text("history-search-prompt"))
        .task(id: text) { await model.search(text) }
    }

    private var items: [AppointmentView] {
        text.isEmpty ? model.state.history : model.state.searchResults
    }
}
