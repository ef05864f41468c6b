import Foundation
import SwiftUI

/// The app's language: the system's (per-app language in Settings) or one chosen in the app.
/// Layout direction follows it, so Arabic lays out right to left.
enum AppLanguage: String, CaseIterable, Identifiable, Sendable {
    case system
    case english = "en"
    case arabic = "ar"

    private static let storageKey = "psyter.language"

    /// The stored choice (system when none).
    static var saved: AppLanguage {
        UserDefaults.standard.string(forKey: storageKey).flatMap(AppLanguage.init(rawValue:)) ?? .system
    }

    /// Stores the choice.
    func save() {
        UserDefaults.standard.set(rawValue, forKey: Self.storageKey)
    }

    /// The identifier for the picker.
    var id: String { rawValue }

    /// The locale the UI uses: strings, numbers (Arabic-Indic digits in Arabic) and dates.
    var locale: Locale {
        switch self {
        case .system: return Locale(identifier: Bundle.main.preferredLocalizations.first ?? "en")
        case .english: return Locale(identifier: "en-US")
        case .arabic: return Locale(identifier: "ar")
        }
    }

    /// Right to left for Arabic.
    var layoutDirection: LayoutDirection {
        Locale.Language(identifier: locale.identifier).characterDirection == .rightToLeft ? .rightToLeft : .leftToRight
    }

    /// The account locale the server accepts (`en-US` or `ar`), for reminders and pre-call advice.
    var accountTag: String {
        locale.language.languageCode?.identifier == "ar" ? "ar" : "en-US"
    }

    /// The picker's label.
    var titleKey: LocalizedStringKey {
        switch self {
        case .system: return "language-system"
        case .english: return "language-english"
        case .arabic: return "language-arabic"
        }
    }
}
