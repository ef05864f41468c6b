//! Wire types of the API: defined once in `psyter_domain::wire`, shared with the client core.

pub use psyter_domain::wire::{
    Appointment, AppointmentPage, BookRequest, CancelRequest, LoginRequest, Me, Note, NoteRequest, ProviderPage,
    RefreshRequest, RegisterRequest, RescheduleRequest, SlotList, StatusAction, StatusRequest, TokenResponse, TotpCode,
    TotpSetup, UpdateMe,
};
