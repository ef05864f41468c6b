import PsyterKit
import SwiftUI

/// The Psyter patient app: opens the kit, follows the session, and locks on the way out.
@main
struct PsyterApp: App {
    @State private var app = AppModel()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            RootView()
                .environment(app)
                .environment(\.locale, app.language.locale)
                .environment(\.layoutDirection, app.language.layoutDirection)
                .task { await app.start() }
        }
        .onChange(of: scenePhase) { _, phase in
            app.scenePhaseChanged(phase)
        }
    }
}
