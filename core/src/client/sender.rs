//! Sending the outbox: every queued action in order, each with its idempotency key, so a replay after a
//! crash or a lost response applies once. A transient failure (offline, server trouble) stops the run and
//! leaves the rest queued; a permanent refusal (slot taken, cut-off) marks the action failed, visible to
//! the user, and the run goes on.

use std::collections::HashMap;

use psyter_domain::AppointmentId;
use psyter_domain::wire::{
    Appointment, BookRequest, CancelRequest, Note, NoteRequest, RescheduleRequest, StatusRequest,
};
use serde::de::DeserializeOwned;

use super::Psyter;
use super::stores::Stores;
use crate::cache::{Outbox, OutboxEntry, OutboxKind, OutboxState};
use crate::events::CoreEvent;
use crate::{CoreError, ErrorKind};

/// What a run of the sender did.
#[derive(Debug, Default)]
pub(crate) struct SendReport {
    /// Actions the server applied, with the appointment it returned (none for notes), by outbox id.
    pub applied: HashMap<i64, Option<Appointment>>,
    /// Actions the server refused for good, by outbox id.
    pub refused: HashMap<i64, CoreError>,
    /// The transient error that stopped the run, if any (the rest stays queued).
    pub stopped: Option<CoreError>,
}

/// What the server answered to one action.
enum Applied {
    Appointment(Appointment),
    Note { appointment_id: AppointmentId, note: Option<Note> },
}

/// Whether an error may go away by itself (retry later) rather than being the server's final word.
fn transient(e: &CoreError) -> bool {
    matches!(e.kind(), ErrorKind::Offline | ErrorKind::Server | ErrorKind::Auth)
        || e.code() == "idempotency_in_flight"
        || matches!(e, CoreError::Keychain { .. } | CoreError::KeychainUnavailable { .. })
}

/// The request body stored in an entry's payload.
fn request<T: DeserializeOwned>(entry: &OutboxEntry) -> Result<T, CoreError> {
    let value = entry.payload.get("request").cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value).map_err(|_| CoreError::Internal { detail: "a queued action does not decode".into() })
}

/// The appointment an entry is about.
fn target(entry: &OutboxEntry) -> Result<AppointmentId, CoreError> {
    entry.target_id.parse().map_err(|_| CoreError::Internal { detail: "a queued action has no valid target".into() })
}

impl Psyter {
    /// Counts the outbox's unapplied actions into the sync status and returns the count.
    pub(super) async fn publish_pending(&self, outbox: &Outbox) -> Result<u32, CoreError> {
        let pending = outbox.pending().await?.len() as u32;
        self.inner.status.send_modify(|s| s.pending_actions = pending);
        Ok(pending)
    }

    /// Sends every pending action, in order, one run at a time.
    pub(super) async fn send_outbox(&self) -> Result<SendReport, CoreError> {
        let _one_at_a_time = self.inner.send_lock.lock().await;
        let stores = self.stores()?;
        let mut report = SendReport::default();
        for entry in stores.outbox.pending().await? {
            if !self.online() {
                report.stopped = Some(CoreError::Offline);
                break;
            }
            // Marked before sending: a crash from here on leaves it `sending`, and it is sent again with
            // the same key, which the server answers by replaying its stored response.
            stores.outbox.mark(entry.id, OutboxState::Sending, None).await?;
            match self.send_one(&entry).await {
                Ok(applied) => {
                    let record = match &applied {
                        Applied::Appointment(a) => Some(a.clone()),
                        Applied::Note { .. } => None,
                    };
                    self.record_applied(&stores, &entry, applied).await?;
                    let result_id = record.as_ref().map(|a| a.id.to_string());
                    stores.outbox.complete(entry.id, result_id.as_deref()).await?;
                    report.applied.insert(entry.id, record);
                }
                Err(e) if transient(&e) => {
                    stores.outbox.mark(entry.id, OutboxState::Queued, Some(e.code())).await?;
                    report.stopped = Some(e);
                    break;
                }
                Err(e) => {
                    tracing::info!(kind = %entry.kind, code = e.code(), "the server refused a queued action");
                    stores.outbox.mark(entry.id, OutboxState::Failed, Some(e.code())).await?;
                    self.emit(CoreEvent::ActionFailed { outbox_id: entry.id, code: e.code().to_owned() });
                    report.refused.insert(entry.id, e);
                }
            }
        }
        let pending = self.publish_pending(&stores.outbox).await?;
        self.emit(CoreEvent::OutboxChanged { pending });
        Ok(report)
    }

    /// Sends one action with its idempotency key.
    async fn send_one(&self, entry: &OutboxEntry) -> Result<Applied, CoreError> {
        let key = entry.idempotency_key.as_str();
        match entry.kind {
            OutboxKind::Book => {
                let req: BookRequest = request(entry)?;
                let a = self
                    .api(|api, t| {
                        let req = &req;
                        async move { api.book(&t, req, key).await }
                    })
                    .await?;
                Ok(Applied::Appointment(a))
            }
            OutboxKind::Cancel => {
                let (id, req): (_, CancelRequest) = (target(entry)?, request(entry)?);
                let a = self
                    .api(|api, t| {
                        let req = &req;
                        async move { api.cancel(&t, id, req, Some(key)).await }
                    })
                    .await?;
                Ok(Applied::Appointment(a))
            }
            OutboxKind::Reschedule => {
                let (id, req): (_, RescheduleRequest) = (target(entry)?, request(entry)?);
                let a = self
                    .api(|api, t| {
                        let req = &req;
                        async move { api.reschedule(&t, id, req, key).await }
                    })
                    .await?;
                Ok(Applied::Appointment(a))
            }
            OutboxKind::Status => {
                let (id, req): (_, StatusRequest) = (target(entry)?, request(entry)?);
                let a = self
                    .api(|api, t| {
                        let req = &req;
                        async move { api.set_status(&t, id, req, Some(key)).await }
                    })
                    .await?;
                Ok(Applied::Appointment(a))
            }
            OutboxKind::Note => {
                let (id, req): (_, NoteRequest) = (target(entry)?, request(entry)?);
                let note = self
                    .api(|api, t| {
                        let req = &req;
                        async move { api.put_note(&t, id, req).await }
                    })
                    .await?;
                Ok(Applied::Note { appointment_id: id, note })
            }
        }
    }

    /// Stores what the server answered, replacing a booking's placeholder with the real appointment.
    async fn record_applied(&self, stores: &Stores, entry: &OutboxEntry, applied: Applied) -> Result<(), CoreError> {
        match applied {
            Applied::Appointment(a) if entry.kind == OutboxKind::Book => {
                stores.cache.resolve_placeholder(entry.id, Some(&a)).await
            }
            Applied::Appointment(a) => stores.cache.store_appointment(&a).await,
            Applied::Note { appointment_id, note } => {
                stores.cache.store_note(&appointment_id.to_string(), note.as_ref()).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_passing_troubles_are_retried() {
        assert!(transient(&CoreError::Offline));
        assert!(transient(&CoreError::Server { status: 503 }));
        assert!(transient(&CoreError::SessionEnded));
        let in_flight = CoreError::Conflict { code: "idempotency_in_flight".into(), detail: String::new() };
        assert!(transient(&in_flight));
        let taken = CoreError::Conflict { code: "slot_taken".into(), detail: String::new() };
        assert!(!transient(&taken));
        assert!(!transient(&CoreError::Policy { code: "cancel_cutoff".into(), detail: String::new() }));
        assert!(!transient(&CoreError::NotFound));
    }
}
