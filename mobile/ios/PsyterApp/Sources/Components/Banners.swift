import PsyterKit
import SwiftUI

/// A failure in the user's language, chosen by the error's code (errors.ftl).
struct ErrorBanner: View {
    let error: KitError
    @Environment(\.locale) private var locale

    var body: some View {
        Label {
            Text(ErrorText.message(for: error, locale: locale))
                .fixedSize(horizontal: false, vertical: true)
        } icon: {
            Image(systemName: error.kind == .offline ? "wifi.slash" : "exclamationmark.triangle.fill")
                .foregroundStyle(error.kind == .offline ? Color.secondary : Color.orange)
        }
        .font(.callout)
        .accessibilityElement(children: .combine)
    }
}

/// Sync progress: up to date, syncing, offline, or failed with a retry; plus what is still queued.
struct SyncStatusBar: View {
    let status: SyncStatus?
    let retry: () -> Void
    @Environment(\.locale) private var locale

    var body: some View {
        if let status {
            HStack(spacing: 12) {
                Image(systemName: icon(status.activity))
                    .foregroundStyle(.secondary)
                    .accessibilityHidden(true)
                VStack(alignment: .leading, spacing: 2) {
                    Text(LocalizedStringKey(titleKey(status.activity)))
                    if status.pendingActions > 0 {
                        Text(L10n.plural("sync-pending-actions", count: Int(status.pendingActions), locale: locale))
                            .font(.footnote)
                            .foregroundStyle(.secondary)
                    }
                }
                Spacer(minLength: 0)
                if case .failed = status.activity {
                    Button("sync-error-action", action: retry)
                        .frame(minHeight: 44)
                }
            }
            .font(.subheadline)
            .accessibilityElement(children: .combine)
        }
    }

    private func titleKey(_ activity: SyncActivity) -> String {
        switch activity {
        case .idle: return "sync-idle"
        case .syncing: return "sync-syncing"
        case .offline: return "sync-offline"
        case .failed: return "sync-error"
        }
    }

    private func icon(_ activity: SyncActivity) -> String {
        switch activity {
        case .idle: return "checkmark.icloud"
        case .syncing: return "arrow.triangle.2.circlepath.icloud"
        case .offline: return "icloud.slash"
        case .failed: return "exclamationmark.icloud"
        }
    }
}

/// A small capsule with a word: an appointment's status or a queued action's state.
struct Badge: View {
    let key: String
    var tint: Color = .secondary

    var body: some View {
        Text(LocalizedStringKey(key))
            .font(.caption.weight(.semibold))
            .padding(.horizontal, 8)
            .padding(.vertical, 3)
            .foregroundStyle(tint)
            .background(tint.opacity(0.15), in: Capsule())
    }
}
