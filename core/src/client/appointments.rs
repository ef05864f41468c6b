//! The user's appointments: lists and history from the cache (instant, offline), and every action
//! through the outbox (durable first, then sent; queued when offline).

use std::collections::HashMap;

use jiff::Timestamp;
use psyter_domain::wire::{
    Appointment, BookRequest, CancelRequest, Note, NoteRequest, RescheduleRequest, StatusAction, StatusRequest,
};
use psyter_domain::{AppointmentId, AppointmentStatus, CancelPolicy, Role, UserId, check_transition, validate};
use serde_json::json;

mod overview;

pub use overview::{ChangePolicy, Stats};

use super::Psyter;
use super::stores::placeholder_of;
use crate::CoreError;
use crate::cache::{AppointmentFilter, CachedPage, OutboxEntry, OutboxItem, OutboxKind, OutboxState, PageCursor};
use crate::events::CoreEvent;
use crate::session::not_signed_in;

/// An action not yet applied by the server, shown on the appointment it is about.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PendingAction {
    /// The outbox entry (to dismiss a failed one).
    pub outbox_id: i64,
    /// The appointment it is about (for a booking: its placeholder's id).
    pub appointment_id: String,
    /// What the action does.
    pub kind: OutboxKind,
    /// Queued, sending, or failed.
    pub state: OutboxState,
    /// Why it failed (or why the last attempt did), e.g. `slot_taken`.
    pub error_code: Option<String>,
}

/// An appointment as the lists show it: the cached record and any action still pending on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentView {
    /// The record (for an offline booking: a pending placeholder).
    pub appointment: Appointment,
    /// The latest action on it the server has not applied yet.
    pub pending: Option<PendingAction>,
}

/// A page of appointments.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ViewPage {
    /// The appointments on this page.
    pub items: Vec<AppointmentView>,
    /// Pass back for the next page; `None` on the last one.
    pub next: Option<String>,
}

/// What a booking did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "outcome", content = "appointment", rename_all = "snake_case")]
pub enum BookOutcome {
    /// The server booked it.
    Booked(Appointment),
    /// Offline: queued; it shows as pending and turns into booked or a visible conflict later.
    Queued(AppointmentView),
}

/// What a cancel, reschedule, status change or note did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ActionOutcome {
    /// The server applied it; the cache holds the result.
    Applied,
    /// Offline: queued in the outbox, sent when the network returns.
    Queued {
        /// The outbox entry.
        outbox_id: i64,
    },
}

/// Lists, history, search and actions on the user's appointments.
#[derive(Clone, Debug)]
pub struct Appointments {
    psyter: Psyter,
}

impl Appointments {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// Appointments that have not ended, soonest first (from the cache).
    pub async fn upcoming(
        &self,
        filter: &AppointmentFilter,
        limit: usize,
        after: Option<&str>,
    ) -> Result<ViewPage, CoreError> {
        self.psyter.session().touch()?;
        let cursor = after.map(str::parse::<PageCursor>).transpose()?;
        let cache = self.psyter.stores()?.cache;
        let page = cache.upcoming(self.psyter.inner.config.clock.now(), limit, cursor, filter).await?;
        self.views(page).await
    }

    /// The history timeline: appointments that have ended, latest first (from the cache).
    pub async fn past(
        &self,
        filter: &AppointmentFilter,
        limit: usize,
        before: Option<&str>,
    ) -> Result<ViewPage, CoreError> {
        self.psyter.session().touch()?;
        let cursor = before.map(str::parse::<PageCursor>).transpose()?;
        let cache = self.psyter.stores()?.cache;
        let page = cache.past(self.psyter.inner.config.clock.now(), limit, cursor, filter).await?;
        self.views(page).await
    }

    /// Full-text search over provider names, reasons and notes, latest first (from the cache).
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<AppointmentView>, CoreError> {
        self.psyter.session().touch()?;
        let items = self.psyter.stores()?.cache.search_history(query, limit).await?;
        Ok(self.views(CachedPage { items, next: None }).await?.items)
    }

    /// One appointment from the cache.
    pub async fn get(&self, id: AppointmentId) -> Result<AppointmentView, CoreError> {
        self.psyter.session().touch()?;
        let a = self.cached(id).await?;
        Ok(self.views(CachedPage { items: vec![a], next: None }).await?.items.remove(0))
    }

    /// The session note of an appointment, from the cache.
    pub async fn note(&self, id: AppointmentId) -> Result<Option<Note>, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.stores()?.cache.note(&id.to_string()).await
    }

    /// The records of the video calls of an appointment (the telemedicine history), oldest first.
    pub async fn calls(&self, id: AppointmentId) -> Result<Vec<crate::video::CallRecord>, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.stores()?.cache.calls(&id.to_string()).await
    }

    /// Actions not yet applied: queued, in flight, or refused (to show and dismiss).
    pub async fn pending_actions(&self) -> Result<Vec<PendingAction>, CoreError> {
        self.psyter.session().touch()?;
        Ok(self.psyter.stores()?.outbox.unapplied().await?.iter().map(pending_of).collect())
    }

    /// Forgets a refused action (and the placeholder of a refused booking).
    pub async fn dismiss(&self, outbox_id: i64) -> Result<(), CoreError> {
        self.psyter.session().touch()?;
        let stores = self.psyter.stores()?;
        match stores.outbox.entry(outbox_id).await? {
            Some(e) if e.state == OutboxState::Failed => {
                stores.outbox.remove(outbox_id).await?;
                stores.cache.resolve_placeholder(outbox_id, None).await
            }
            Some(_) => Err(CoreError::Conflict {
                code: "action_not_failed".into(),
                detail: "only a refused action can be dismissed".into(),
            }),
            None => Err(CoreError::NotFound),
        }
    }

    /// Books `start` with a provider in one call: checked locally first, then queued and sent. Offline,
    /// the booking is kept as a pending request and sent when the network returns.
    pub async fn book(&self, provider_id: UserId, start: Timestamp, reason: &str) -> Result<BookOutcome, CoreError> {
        let p = &self.psyter;
        p.session().touch()?;
        validate::reason(reason)?;
        if start <= p.inner.config.clock.now() {
            return Err(psyter_domain::DomainError::TooSoon.into());
        }
        let me = p.settings().me().await?;
        if me.role != Role::Patient {
            return Err(psyter_domain::DomainError::NotAllowed.into());
        }
        let provider = p.providers().profile(provider_id).await?;
        let end = start + jiff::SignedDuration::from_mins(i64::from(provider.session_minutes));
        let now = Timestamp::now();
        let placeholder = Appointment {
            id: AppointmentId::new(),
            patient_id: me.id,
            patient_name: me.display_name.clone(),
            provider_id,
            provider_name: provider.display_name.clone(),
            provider_time_zone: provider.time_zone.clone(),
            start,
            end,
            status: AppointmentStatus::Pending,
            reason: reason.to_owned(),
            cancel_reason: None,
            cancelled_by: None,
            price_cents: provider.price_cents,
            currency: provider.currency.clone(),
            created_at: now,
            updated_at: now,
            version: 0,
        };
        let request = BookRequest { provider_id, start, reason: reason.to_owned() };
        let item = OutboxItem {
            kind: OutboxKind::Book,
            target_id: provider_id.to_string(),
            payload: json!({ "request": request, "placeholder": placeholder }),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
        };
        let stores = p.stores()?;
        let outbox_id = stores.outbox.enqueue(item).await?;
        stores.cache.add_placeholder(outbox_id, &placeholder).await?;
        match self.send(outbox_id).await? {
            Some(Some(booked)) => Ok(BookOutcome::Booked(booked)),
            Some(None) => Err(CoreError::Internal { detail: "the booking was applied without a record".into() }),
            None => Ok(BookOutcome::Queued(AppointmentView {
                appointment: placeholder.clone(),
                pending: Some(PendingAction {
                    outbox_id,
                    appointment_id: placeholder.id.to_string(),
                    kind: OutboxKind::Book,
                    state: OutboxState::Queued,
                    error_code: None,
                }),
            })),
        }
    }

    /// Cancels an appointment (checked against the cancel policy first). Cancelling a booking that is
    /// still queued withdraws it: nothing reaches the server.
    pub async fn cancel(&self, id: AppointmentId, reason: &str) -> Result<ActionOutcome, CoreError> {
        let a = self.prepare(id).await?;
        if let Some(entry) = self.queued_booking(id).await? {
            let stores = self.psyter.stores()?;
            if entry.state == OutboxState::Sending || !stores.outbox.remove(entry.id).await? {
                return Err(booking_pending());
            }
            stores.cache.resolve_placeholder(entry.id, None).await?;
            let pending = self.psyter.publish_pending(&stores.outbox).await?;
            self.psyter.emit(CoreEvent::OutboxChanged { pending });
            return Ok(ActionOutcome::Applied);
        }
        let now = self.psyter.inner.config.clock.now();
        CancelPolicy::default().check_cancel(self.role()?, a.status, a.start, a.end, now)?;
        let request = CancelRequest { reason: reason.to_owned() };
        self.act(OutboxKind::Cancel, id, json!({ "request": request })).await
    }

    /// Moves an appointment to another start (checked against the policy first).
    pub async fn reschedule(&self, id: AppointmentId, start: Timestamp) -> Result<ActionOutcome, CoreError> {
        let a = self.prepare_booked(id).await?;
        let now = self.psyter.inner.config.clock.now();
        CancelPolicy::default().check_reschedule(self.role()?, a.status, a.start, now)?;
        self.act(OutboxKind::Reschedule, id, json!({ "request": RescheduleRequest { start } })).await
    }

    /// A provider's status action (arrived, fulfilled, noshow, entered-in-error), checked first.
    pub async fn set_status(&self, id: AppointmentId, action: StatusAction) -> Result<ActionOutcome, CoreError> {
        let a = self.prepare_booked(id).await?;
        let now = self.psyter.inner.config.clock.now();
        check_transition(a.status, status_of(action), self.role()?, a.start, a.end, now)?;
        self.act(OutboxKind::Status, id, json!({ "request": StatusRequest { status: action } })).await
    }

    /// Writes the provider's session note (empty text deletes it).
    pub async fn write_note(&self, id: AppointmentId, text: &str) -> Result<ActionOutcome, CoreError> {
        self.prepare_booked(id).await?;
        if self.role()? != Role::Provider {
            return Err(psyter_domain::DomainError::NotAllowed.into());
        }
        if !text.is_empty() {
            validate::note(text)?;
        }
        self.act(OutboxKind::Note, id, json!({ "request": NoteRequest { text: text.to_owned() } })).await
    }

    /// Checks the session and finds the cached appointment an action is about.
    async fn prepare(&self, id: AppointmentId) -> Result<Appointment, CoreError> {
        self.psyter.session().touch()?;
        self.cached(id).await
    }

    /// Like `prepare`, for actions that need the server's record: a booking still in the outbox has none.
    async fn prepare_booked(&self, id: AppointmentId) -> Result<Appointment, CoreError> {
        let a = self.prepare(id).await?;
        if self.queued_booking(id).await?.is_some() {
            return Err(booking_pending());
        }
        Ok(a)
    }

    /// The unapplied booking whose placeholder is `id`, if it is one.
    async fn queued_booking(&self, id: AppointmentId) -> Result<Option<OutboxEntry>, CoreError> {
        let unapplied = self.psyter.stores()?.outbox.unapplied().await?;
        Ok(unapplied.into_iter().find(|e| placeholder_of(e).is_some_and(|p| p.id == id)))
    }

    async fn cached(&self, id: AppointmentId) -> Result<Appointment, CoreError> {
        self.psyter.stores()?.cache.appointment(&id.to_string()).await?.ok_or(CoreError::NotFound)
    }

    fn role(&self) -> Result<Role, CoreError> {
        Ok(self.psyter.session().user().ok_or_else(not_signed_in)?.role)
    }

    /// Queues an action on appointment `id` and sends it.
    async fn act(
        &self,
        kind: OutboxKind,
        id: AppointmentId,
        payload: serde_json::Value,
    ) -> Result<ActionOutcome, CoreError> {
        let item =
            OutboxItem { kind, target_id: id.to_string(), payload, idempotency_key: uuid::Uuid::new_v4().to_string() };
        let outbox_id = self.psyter.stores()?.outbox.enqueue(item).await?;
        Ok(match self.send(outbox_id).await? {
            Some(_) => ActionOutcome::Applied,
            None => ActionOutcome::Queued { outbox_id },
        })
    }

    /// Sends the outbox up to and including entry `outbox_id`: `Some(record)` when the server applied it,
    /// `None` when it stays queued (offline); the server's refusal is returned as the error and the entry
    /// removed, since the caller reports it.
    async fn send(&self, outbox_id: i64) -> Result<Option<Option<Appointment>>, CoreError> {
        let p = &self.psyter;
        let stores = p.stores()?;
        let pending = p.publish_pending(&stores.outbox).await?;
        p.emit(CoreEvent::OutboxChanged { pending });
        if !p.online() {
            p.inner.wake.notify_one();
            return Ok(None);
        }
        let mut report = p.send_outbox().await?;
        if let Some(error) = report.refused.remove(&outbox_id) {
            stores.outbox.remove(outbox_id).await?;
            stores.cache.resolve_placeholder(outbox_id, None).await?;
            return Err(error);
        }
        if let Some(record) = report.applied.remove(&outbox_id) {
            if let Err(e) = p.reminders().replan().await {
                tracing::warn!(code = e.code(), "re-planning reminders after an action failed");
            }
            return Ok(Some(record));
        }
        // Another run (the sync loop) may have sent it first.
        match stores.outbox.entry(outbox_id).await? {
            Some(e) if e.state == OutboxState::Done => match e.result_id {
                Some(id) => Ok(Some(stores.cache.appointment(&id).await?)),
                None => Ok(Some(None)),
            },
            Some(e) if e.state == OutboxState::Failed => {
                let code = e.last_error_code.unwrap_or_else(|| "internal".into());
                Err(CoreError::Conflict { code, detail: "the server refused this action".into() })
            }
            _ => {
                p.inner.wake.notify_one();
                Ok(None)
            }
        }
    }

    /// Attaches pending actions to a page of records and encodes its cursor.
    async fn views(&self, page: CachedPage) -> Result<ViewPage, CoreError> {
        let unapplied = self.psyter.stores()?.outbox.unapplied().await?;
        let mut latest: HashMap<String, &OutboxEntry> = HashMap::new();
        for entry in &unapplied {
            latest.insert(subject_of(entry), entry);
        }
        let items = page
            .items
            .into_iter()
            .map(|appointment| {
                let pending = latest.get(&appointment.id.to_string()).map(|e| pending_of(e));
                AppointmentView { appointment, pending }
            })
            .collect();
        Ok(ViewPage { items, next: page.next.map(|c| c.to_string()) })
    }
}

/// The refusal of an action on a booking the server has not confirmed yet.
fn booking_pending() -> CoreError {
    CoreError::Conflict {
        code: "booking_pending".into(),
        detail: "this booking has not reached the server yet; try again after it syncs".into(),
    }
}

/// The appointment an outbox entry is about: a booking's placeholder, else its target.
fn subject_of(e: &OutboxEntry) -> String {
    placeholder_of(e).map_or_else(|| e.target_id.clone(), |p| p.id.to_string())
}

/// The pending action an outbox entry stands for.
fn pending_of(e: &OutboxEntry) -> PendingAction {
    PendingAction {
        outbox_id: e.id,
        appointment_id: subject_of(e),
        kind: e.kind,
        state: e.state,
        error_code: e.last_error_code.clone(),
    }
}

/// The status a status action leads to.
fn status_of(action: StatusAction) -> AppointmentStatus {
    match action {
        StatusAction::Arrived => AppointmentStatus::Arrived,
        StatusAction::Fulfilled => AppointmentStatus::Fulfilled,
        StatusAction::Noshow => AppointmentStatus::Noshow,
        StatusAction::EnteredInError => AppointmentStatus::EnteredInError,
    }
}
