import PsyterKit
import SwiftUI

/// Opening, then sign-in, unlock or the app's tabs, following the session phase.
struct RootView: View {
    @Environment(AppModel.self) private var app

    var body: some View {
        switch app.stage {
        case .starting:
            ProgressView("app-opening")
        case .failed(let error):
            OpenFailedView(error: error) {
                Task { await app.start() }
            }
        case .ready:
            if let kit = app.kit {
                switch app.phase {
                case .signedOut: SignInScreen(kit: kit)
                case .locked: UnlockScreen(kit: kit)
                case .active: MainTabs(kit: kit)
                }
            }
        }
    }
}

/// The three tabs of a signed-in patient.
struct MainTabs: View {
    let kit: PsyterKit
    @Environment(AppModel.self) private var app
    @State private var showNotice = false

    var body: some View {
        TabView {
            NavigationStack { ProviderSearchScreen(kit: kit) }
                .tabItem { Label("tab-find", systemImage: "magnifyingglass") }
            NavigationStack { AppointmentsScreen(kit: kit) }
                .tabItem { Label("tab-appointments", systemImage: "calendar") }
            NavigationStack { SettingsScreen(kit: kit) }
                .tabItem { Label("tab-settings", systemImage: "gearshape") }
        }
        .onChange(of: app.notice, initial: true) { _, notice in
            showNotice = notice != nil
        }
        .alert("notice-title", isPresented: $showNotice, presenting: app.notice) { _ in
            Button("common-ok") { app.notice = nil }
        } message: { notice in
            NoticeText(notice: notice)
        }
    }
}

/// The words of a core notice.
private struct NoticeText: View {
    let notice: AppModel.Notice
    @Environment(\.locale) private var locale

    var body: some View {
        switch notice {
        case .actionFailed(let code): Text(ErrorText.message(code: code, locale: locale))
        case .cacheRebuilt: Text("error-cache-unreadable")
        }
    }
}

/// Opening the kit failed: the reason and a retry.
private struct OpenFailedView: View {
    let error: KitError
    let retry: () -> Void

    var body: some View {
        VStack(spacing: 20) {
            ErrorBanner(error: error)
            Button("common-retry", action: retry)
                .buttonStyle(.borderedProminent)
                .frame(minHeight: 44)
        }
        .padding()
    }
}
