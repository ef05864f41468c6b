import Foundation
import PsyterFFI

/// A typed error the UI can show: its family, the core's stable code (e.g. `slot_taken`) and an
/// English explanation for logs; screens localise by `code` (see errors.ftl).
public struct KitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error families of the core, each with its own UI treatment.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No connection; reads still work from the cache and writes wait in the outbox.
        case offline
        /// Sign in again, unlock, or a wrong password / TOTP code.
        case auth
        /// The server's state disagrees (e.g. `slot_taken`).
        case conflict
        /// A booking policy forbids it (e.g. `cancel_cutoff`).
        case policy
        /// The input is wrong.
        case validation
        /// The thing asked for does not exist.
        case notFound
        /// The server failed or throttled.
        case server
        /// Transport security refused the connection.
        case security
        /// The keychain, storage or another platform service failed.
        case device
        /// A bug (in the core or the bindings); the app keeps running.
        case `internal`
    }

    /// The family.
    public let kind: Kind
    /// The stable machine code (`offline`, `totp_required`, `slot_taken`, ...).
    public let code: String
    /// An English explanation without secrets or health data (for logs, not for display).
    public let message: String

    /// An error of `kind` with `code` and `message`.
    public init(kind: Kind, code: String, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// The core's error as a kit error (same family, code and message).
    public init(_ error: PsyterError) {
        switch error {
        case .Offline(let code, let message): self.init(kind: .offline, code: code, message: message)
        case .Auth(let code, let message): self.init(kind: .auth, code: code, message: message)
        case .Conflict(let code, let message): self.init(kind: .conflict, code: code, message: message)
        case .Policy(let code, let message): self.init(kind: .policy, code: code, message: message)
        case .Validation(let code, let message): self.init(kind: .validation, code: code, message: message)
        case .NotFound(let code, let message): self.init(kind: .notFound, code: code, message: message)
        case .Server(let code, let message): self.init(kind: .server, code: code, message: message)
        case .Security(let code, let message): self.init(kind: .security, code: code, message: message)
        case .Device(let code, let message): self.init(kind: .device, code: code, message: message)
        case .Internal(let code, let message): self.init(kind: .internal, code: code, message: message)
        }
    }

    /// Any thrown error as a kit error: the core's keep their code; cancellation is `cancelled`;
    /// anything else (a bindings bug) is `internal`, named by its type only so no data leaks.
    public init(from error: any Error) {
        if let error = error as? KitError {
            self = error
        } else if let error = error as? PsyterError {
            self.init(error)
        } else if error is CancellationError {
            self.init(kind: .internal, code: "cancelled", message: "the call was cancelled")
        } else {
            self.init(kind: .internal, code: "internal", message: "unexpected \(type(of: error))")
        }
    }

    /// `kind/code: message`, for logs.
    public var description: String {
        "\(kind.rawValue)/\(code): \(message)"
    }

    /// Whether signing in again (or unlocking) is the way forward.
    public var needsSignIn: Bool {
        kind == .auth && Self.sessionCodes.contains(code)
    }

    /// Whether the work was kept on the device and will be retried (offline, server trouble).
    public var isTransient: Bool {
        kind == .offline || kind == .server
    }

    /// Auth codes after which the session is gone or locked, not merely a wrong input.
    private static let sessionCodes: Set<String> = [
        "session_ended", "not_signed_in", "locked", "invalid_refresh_token", "refresh_token_reused",
        "session_revoked", "token_invalid", "unauthorized",
    ]
}
