// The generated records, enums and foreign protocols (Me, ProviderProfile, AppointmentView, CallView,
// SecretStore, MediaEngine, ...) are part of PsyterKit's API, so the app imports PsyterKit only.
//
// Note: the generated module declares `public typealias Date = String` (the domain's calendar date),
// which shadows `Foundation.Date` for every file that sees both modules. Kit and app code therefore
// always spell instants `Foundation.Date`.
@_exported import PsyterFFI
