#if canImport(os)
import Foundation
import os
import PsyterFFI

/// The core's log records in the unified log (Console.app, `log stream`), one category per logger.
///
/// The core logs no secrets or health data; still, messages are private (redacted off-device)
/// unless `revealMessages` is set, as debug builds do. Targets (module paths) are public.
public final class OSLogLogger: PsyterFFI.Logger {
    private let logger: os.Logger
    private let revealMessages: Bool

    /// A logger for `subsystem`/`category`.
    public init(subsystem: String = "app.psyter.patient", category: String = "core", revealMessages: Bool = false) {
        logger = os.Logger(subsystem: subsystem, category: category)
        self.revealMessages = revealMessages
    }

    /// One record from the core.
    public func log(level: LogLevel, target: String, message: String) {
        let type = Self.osLogType(level)
        if revealMessages {
            logger.log(level: type, "\(target, privacy: .public): \(message, privacy: .public)")
        } else {
            logger.log(level: type, "\(target, privacy: .public): \(message, privacy: .private)")
        }
    }

    /// The unified log's type for a core level (it has no warning level; warnings are `default`).
    static func osLogType(_ level: LogLevel) -> OSLogType {
        switch level {
        case .error: return .error
        case .warn: return .default
        case .info: return .info
        case .debug, .trace: return .debug
        }
    }
}
#endif
