import Foundation
import PsyterKit
import SwiftUI

/// Dates, prices and statuses as the UI writes them, in the UI's locale.
enum Formatting {
    /// "Tue, 3 Jun, 10:30" in the locale (Arabic month names and digits in Arabic).
    static func when(_ date: Foundation.Date, locale: Locale) -> String {
        date.formatted(Foundation.Date.FormatStyle(date: .abbreviated, time: .shortened).locale(locale))
    }

    /// "10:30".
    static func time(_ date: Foundation.Date, locale: Locale) -> String {
        date.formatted(Foundation.Date.FormatStyle(date: .omitted, time: .shortened).locale(locale))
    }

    /// "Tuesday, 3 June".
    static func day(_ date: Foundation.Date, locale: Locale) -> String {
        date.formatted(Foundation.Date.FormatStyle().weekday(.wide).day().month(.wide).locale(locale))
    }

    /// A price in cents as money, e.g. "SAR 200.00".
    static func price(cents: UInt32, currency: String, locale: Locale) -> String {
        (Decimal(cents) / 100).formatted(.currency(code: currency).locale(locale))
    }

    /// A rating such as "4.8".
    static func rating(_ value: Float, locale: Locale) -> String {
        Double(value).formatted(.number.precision(.fractionLength(1)).locale(locale))
    }

    /// The status's words (status-* in appointments.ftl).
    static func statusKey(_ status: AppointmentStatus) -> String {
        switch status {
        case .proposed: return "status-proposed"
        case .pending: return "status-pending"
        case .booked: return "status-booked"
        case .arrived: return "status-arrived"
        case .fulfilled: return "status-fulfilled"
        case .cancelled: return "status-cancelled"
        case .noshow: return "status-noshow"
        case .enteredInError: return "status-entered-in-error"
        case .checkedIn: return "status-checked-in"
        case .waitlist: return "status-waitlist"
        }
    }

    /// The outbox state's words (action-* in app.ftl).
    static func actionKey(_ state: OutboxState) -> String {
        switch state {
        case .queued: return "action-queued"
        case .sending: return "action-sending"
        case .failed: return "action-failed"
        case .done: return "action-done"
        }
    }

    /// The call state's words (call-state-* in video.ftl).
    static func callStateKey(_ state: CallState) -> String {
        switch state {
        case .idle: return "call-state-idle"
        case .checking: return "call-state-checking"
        case .ready: return "call-state-ready"
        case .joining: return "call-state-joining"
        case .connected: return "call-state-connected"
        case .reconnecting: return "call-state-reconnecting"
        case .ended: return "call-state-ended"
        case .failed: return "call-state-failed"
        }
    }
}
