import Foundation

/// CLDR plural categories, for picking the right form of a counted message ("2 changes", "تغييران").
///
/// Only the app's two languages are needed. Arabic's `few` and `many` follow CLDR on the last two
/// digits (103 is `few`, 111 is `many`), which the core's fluent-bundle rules get wrong (app.ftl).
public enum PluralCategory: String, Sendable, CaseIterable {
    /// Arabic 0.
    case zero
    /// 1.
    case one
    /// Arabic 2.
    case two
    /// Arabic 3–10 (by the last two digits).
    case few
    /// Arabic 11–99 (by the last two digits).
    case many
    /// Everything else.
    case other

    /// The category of the whole number `count` in `languageCode` (`en`, `ar`; others use English rules).
    public static func of(_ count: Int, languageCode: String) -> PluralCategory {
        let n = count.magnitude
        guard languageCode.lowercased().hasPrefix("ar") else {
            return n == 1 ? .one : .other
        }
        let lastTwo = n % 100
        switch n {
        case 0: return .zero
        case 1: return .one
        case 2: return .two
        default:
            if (3...10).contains(lastTwo) { return .few }
            if (11...99).contains(lastTwo) { return .many }
            return .other
        }
    }
}
