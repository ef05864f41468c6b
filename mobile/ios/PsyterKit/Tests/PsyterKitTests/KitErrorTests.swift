import Foundation
import Testing
@testable import PsyterKit

/// Error mapping and `Outcome`: what every screen relies on to show a failure instead of crashing.
@Suite("KitError and Outcome")
struct KitErrorTests {
    /// Every core error family maps to its kind, keeping code and message.
    @Test func everyCoreFamilyKeepsItsKindCodeAndMessage() {
        let cases: [(PsyterError, KitError.Kind)] = [
            (.Offline(code: "offline", detail: "m1"), .offline),
            (.Auth(code: "totp_required", detail: "m2"), .auth),
            (.Conflict(code: "slot_taken", detail: "m3"), .conflict),
            (.Policy(code: "cancel_cutoff", detail: "m4"), .policy),
            (.Validation(code: "slot_unaligned", detail: "m5"), .validation),
            (.NotFound(code: "not_found", detail: "m6"), .notFound),
            (.Server(code: "rate_limited", detail: "m7"), .server),
            (.Security(code: "certificate", detail: "m8"), .security),
            (.Device(code: "keychain", detail: "m9"), .device),
            (.Internal(code: "internal", detail: "m10"), .internal),
        ]
        for (core, kind) in cases {
            let error = KitError(core)
            #expect(error.kind == kind)
            let fromAny = KitError(from: core)
            #expect(fromAny == error)
        }
        let taken = KitError(.Conflict(code: "slot_taken", detail: "taken"))
        #expect(taken.code == "slot_taken")
        #expect(taken.message == "taken")
    }

    /// Errors that are not the core's become `internal` (or `cancelled`) without their contents.
    @Test func foreignErrorsBecomeInternal() {
        struct Secretive: Error { let password = "hunter2" }
        let error = KitError(from: Secretive())
        #expect(error.kind == .internal)
        #expect(error.code == "internal")
        #expect(!error.message.contains("hunter2"))
        #expect(KitError(from: CancellationError()).code == "cancelled")
        let kit = KitError(kind: .policy, code: "cancel_cutoff", message: "late")
        #expect(KitError(from: kit) == kit)
    }

    /// Session-ending auth codes ask for sign-in; a wrong TOTP code does not.
    @Test func sessionCodesNeedSignIn() {
        #expect(KitError(kind: .auth, code: "session_ended", message: "").needsSignIn)
        #expect(KitError(kind: .auth, code: "locked", message: "").needsSignIn)
        #expect(!KitError(kind: .auth, code: "totp_invalid", message: "").needsSignIn)
        #expect(!KitError(kind: .conflict, code: "session_ended", message: "").needsSignIn)
        #expect(KitError(kind: .offline, code: "timeout", message: "").isTransient)
    }

    /// `Outcome(catching:)`, `map`, `get` and `discardingValue` behave like `Result`.
    @Test func outcomeCatchesMapsAndRethrows() throws {
        let ok = Outcome { 20 }
        #expect(ok == .ok(20))
        #expect(ok.map { $0 + 1 } == .ok(21))
        #expect(try ok.get() == 20)
        #expect(ok.discardingValue.error == nil)

        let failed = Outcome<Int> { throw PsyterError.Policy(code: "cancel_cutoff", detail: "late") }
        #expect(failed.value == nil)
        #expect(failed.error?.code == "cancel_cutoff")
        #expect(failed.map { $0 * 2 }.error?.kind == .policy)
        #expect(throws: KitError.self) { try failed.get() }

        let mappedThrow = ok.map { _ -> Int in throw PsyterError.Internal(code: "internal", detail: "bug") }
        #expect(mappedThrow.error?.kind == .internal)
    }

    /// The async `outcome` wrapper turns a thrown core error into `.err`.
    @Test func asyncOutcomeMapsThrownErrors() async {
        let ok = await outcome { () async throws -> String in "me" }
        #expect(ok.value == "me")
        let offline = await outcome { () async throws -> String in
            throw PsyterError.Offline(code: "offline", detail: "no network")
        }
        #expect(offline.error?.kind == .offline)
        #expect(offline.error?.code == "offline")
    }
}
