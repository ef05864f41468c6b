#if canImport(UserNotifications)
import Foundation
import PsyterFFI
import UserNotifications

/// Appointment reminders as local notifications: one request per reminder, identified by the
/// reminder's id, so the core's re-plans replace or withdraw exactly what changed.
public final class UserNotificationScheduler: NotificationScheduler {
    /// Reminders closer than this fire by elapsed time; later ones by the calendar.
    private static let intervalLimit: TimeInterval = 3600

    /// A scheduler on the app's notification center.
    public init() {}

    /// Asks for permission to show alerts and play sounds; false when refused.
    public func requestAuthorization() async -> Bool {
        let center = UNUserNotificationCenter.current()
        return (try? await center.requestAuthorization(options: [.alert, .sound])) ?? false
    }

    /// Schedules (or replaces) the reminder at `reminder.fireAt`; one already due is skipped.
    public func schedule(reminder: Reminder) throws {
        let wait = reminder.fireAt.timeIntervalSinceNow
        guard wait >= 1 else { return }
        let content = UNMutableNotificationContent()
        content.title = reminder.title
        content.body = reminder.body
        content.sound = .default
        content.threadIdentifier = "appointment-\(reminder.appointmentId)"
        content.userInfo = ["appointmentId": reminder.appointmentId]
        let trigger = Self.trigger(at: reminder.fireAt, wait: wait)
        try add(UNNotificationRequest(identifier: reminder.id, content: content, trigger: trigger))
    }

    /// Withdraws the reminder `id`, pending or already shown; an unknown id is not an error.
    public func cancel(id: String) throws {
        let center = UNUserNotificationCenter.current()
        center.removePendingNotificationRequests(withIdentifiers: [id])
        center.removeDeliveredNotifications(withIdentifiers: [id])
    }

    /// A time-interval trigger for the next hour, a calendar trigger (pinned to the current time
    /// zone, so a trip does not move it) beyond.
    static func trigger(at fireAt: Foundation.Date, wait: TimeInterval) -> UNNotificationTrigger {
        if wait < intervalLimit {
            return UNTimeIntervalNotificationTrigger(timeInterval: wait, repeats: false)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        var components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: fireAt)
        components.calendar = calendar
        components.timeZone = calendar.timeZone
        return UNCalendarNotificationTrigger(dateMatching: components, repeats: false)
    }

    /// Adds `request`, waiting (at most 5 s) for the center's answer so failures reach the core.
    private func add(_ request: UNNotificationRequest) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        UNUserNotificationCenter.current().add(request) { error in
            if let error = error as NSError? {
                failure.withLock { $0 = "\(error.domain) \(error.code)" }
            }
            done.signal()
        }
        guard done.wait(timeout: .now() + 5) == .success else {
            throw PlatformError.Failed(reason: "the notification center did not answer")
        }
        if let reason = failure.current {
            throw PlatformError.Failed(reason: "scheduling a reminder failed: \(reason)")
        }
    }
}
#endif
