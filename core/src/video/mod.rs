//! The video consultation, owned by the core for every platform: the engine boundary shells implement
//! (`engine`), Agora's vocabularies mapped onto it (`agora`), the pure call state machine (`machine`)
//! and the call record (`record`). Shells own only the media.

pub mod agora;
pub mod engine;
pub mod fake;
pub mod machine;
pub mod precall;
pub mod record;

pub use engine::{
    ConnectionReason, Device, DeviceStatus, EngineConnection, EngineEvent, EngineListener, JoinParams, MediaEngine,
    ProbeResult,
};
pub use machine::{CallMachine, CallReason, CallState, Credentials, Effect, Input, VideoPolicy};
pub use precall::{CheckItem, CheckResult, PreCallReport, Verdict};
pub use record::{CallRecord, QualitySample, StateChange};
