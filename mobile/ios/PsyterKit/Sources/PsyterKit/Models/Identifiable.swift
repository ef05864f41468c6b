import Foundation
import PsyterFFI

// SwiftUI lists need stable identities for the generated records.

extension ProviderProfile: Identifiable {}

extension Slot: Identifiable {
    /// A provider's slots never share a start.
    public var id: Foundation.Date { start }
}

extension PendingAction: Identifiable {
    /// The outbox entry identifies the action.
    public var id: Int64 { outboxId }
}
