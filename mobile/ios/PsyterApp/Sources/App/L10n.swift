import Foundation
import PsyterKit

/// Strings from the app's `Localizable.strings` in the UI's language (which may differ from the
/// system's when chosen in the app). Static `Text("key")` views localise through SwiftUI; this is
/// for strings built in code: errors by code, formatted and counted messages.
enum L10n {
    /// The string for `key` in `locale`'s language, or the key itself when missing.
    static func string(_ key: String, locale: Locale) -> String {
        lookup(key, locale: locale) ?? key
    }

    /// The string for `key`, or nil when the language has none.
    static func lookup(_ key: String, locale: Locale) -> String? {
        let missing = "\u{1}"
        let value = bundle(for: locale).localizedString(forKey: key, value: missing, table: nil)
        return value == missing ? nil : value
    }

    /// `key`'s string with `%1$@`-style arguments filled in.
    static func format(_ key: String, locale: Locale, _ arguments: String...) -> String {
        String(format: string(key, locale: locale), locale: locale, arguments: arguments)
    }

    /// The counted form of `key` (`key.one`, `key.few`, ... by CLDR rules; `key.zero` first for 0),
    /// with `%@` replaced by the count written for the locale.
    static func plural(_ key: String, count: Int, locale: Locale) -> String {
        let language = locale.language.languageCode?.identifier ?? "en"
        let category = PluralCategory.of(count, languageCode: language)
        let form = (count == 0 ? lookup("\(key).zero", locale: locale) : nil)
            ?? lookup("\(key).\(category.rawValue)", locale: locale)
            ?? lookup("\(key).other", locale: locale)
            ?? key
        return String(format: form, locale: locale, count.formatted(.number.locale(locale)))
    }

    /// The `.lproj` bundle of `locale`'s language (the main bundle when the app lacks it).
    private static func bundle(for locale: Locale) -> Bundle {
        let language = locale.language.languageCode?.identifier ?? "en"
        guard let path = Bundle.main.path(forResource: language, ofType: "lproj"), let bundle = Bundle(path: path) else {
            return .main
        }
        return bundle
    }
}

/// Error and call-reason messages by the core's stable codes, mirroring errors.ftl and video.ftl.
enum ErrorText {
    /// The message for `error`: its code's, else its family's, else the generic one.
    static func message(for error: KitError, locale: Locale) -> String {
        message(code: error.code, kind: error.kind, locale: locale)
    }

    /// The message for a bare code (a failed outbox action), falling back like `message(for:)`.
    static func message(code: String, kind: KitError.Kind? = nil, locale: Locale) -> String {
        if let text = L10n.lookup(key(for: code), locale: locale) {
            return text
        }
        if let kind, let text = L10n.lookup(fallbackKey(for: kind), locale: locale) {
            return text
        }
        return L10n.string("error-unknown", locale: locale)
    }

    /// Why a call ended (`call_left`, `outside_join_window`, ...), or the error message of the code.
    static func callReason(_ code: String, locale: Locale) -> String {
        L10n.lookup("call-reason-" + dashed(code), locale: locale) ?? message(code: code, locale: locale)
    }

    /// `error-<code>` with `_` written as `-`, as errors.ftl names its messages.
    static func key(for code: String) -> String {
        "error-" + dashed(code)
    }

    private static func fallbackKey(for kind: KitError.Kind) -> String {
        switch kind {
        case .offline: return "error-offline"
        case .auth: return "error-unauthorized"
        case .server: return "error-server"
        case .security: return "error-certificate"
        case .device: return "error-platform-service"
        case .notFound: return "error-not-found"
        case .validation: return "error-validation-failed"
        case .conflict, .policy, .internal: return "error-unknown"
        }
    }

    private static func dashed(_ code: String) -> String {
        code.replacingOccurrences(of: "_", with: "-")
    }
}
