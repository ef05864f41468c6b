import Foundation

/// A call's result: the value, or a typed error the UI can show (never a crash).
public enum Outcome<Value: Sendable>: Sendable {
    /// The call succeeded.
    case ok(Value)
    /// The call failed with a typed error.
    case err(KitError)

    /// Runs `body`, turning whatever it throws into `.err` (like `Result(catching:)`).
    public init(catching body: () throws -> Value) {
        do {
            self = .ok(try body())
        } catch {
            self = .err(KitError(from: error))
        }
    }

    /// The value, if the call succeeded.
    public var value: Value? {
        if case .ok(let value) = self { return value }
        return nil
    }

    /// The error, if the call failed.
    public var error: KitError? {
        if case .err(let error) = self { return error }
        return nil
    }

    /// Transforms the value, keeping an error as it is.
    public func map<T: Sendable>(_ transform: (Value) throws -> T) -> Outcome<T> {
        switch self {
        case .ok(let value): return Outcome<T>(catching: { try transform(value) })
        case .err(let error): return .err(error)
        }
    }

    /// The same outcome without its value.
    public var discardingValue: Outcome<Void> {
        switch self {
        case .ok: return .ok(Void())
        case .err(let error): return .err(error)
        }
    }

    /// The value, or throws the `KitError` (for `try` call sites).
    public func get() throws -> Value {
        switch self {
        case .ok(let value): return value
        case .err(let error): throw error
        }
    }
}

extension Outcome: Equatable where Value: Equatable {}

/// Runs `body`, mapping a thrown `PsyterError` (or any other error) to `Outcome.err`.
///
/// Unlike Kotlin, Swift has no unchecked exceptions to let bugs propagate: a non-core error
/// becomes `KitError` `internal` so the UI still shows something and keeps running.
public func outcome<T: Sendable>(_ body: () async throws -> T) async -> Outcome<T> {
    do {
        return .ok(try await body())
    } catch {
        return .err(KitError(from: error))
    }
}
