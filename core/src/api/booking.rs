//! Typed calls for the directory, slots, appointments, notes, the sync feed and video credentials.

use jiff::Timestamp;
use psyter_domain::wire::{
    Appointment, AppointmentPage, BookRequest, CancelRequest, Note, NoteRequest, ProviderPage, RescheduleRequest,
    SlotList, StatusRequest, SyncPage, VideoCredentials,
};
use psyter_domain::{AppointmentId, ProviderProfile, UserId};

use super::client::ApiClient;
use super::query::{AppointmentQuery, ProviderSearch};
use super::request::{ApiRequest, Method};
use crate::CoreError;

fn appointment_path(id: AppointmentId, tail: &str) -> String {
    format!("/v1/appointments/{id}{tail}")
}

impl ApiClient {
    /// `GET /v1/providers`: one page of providers matching `search`, best rated first.
    pub async fn search_providers(&self, search: &ProviderSearch) -> Result<ProviderPage, CoreError> {
        self.call(search.apply(ApiRequest::get("/v1/providers"))).await
    }

    /// `GET /v1/providers/{id}`: one provider's public profile.
    pub async fn provider(&self, id: UserId) -> Result<ProviderProfile, CoreError> {
        self.call(ApiRequest::get(format!("/v1/providers/{id}"))).await
    }

    /// `GET /v1/providers/{id}/slots`: free slots in `[from, to)` (server defaults: now, 14 days).
    pub async fn slots(
        &self,
        id: UserId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<SlotList, CoreError> {
        let req = ApiRequest::get(format!("/v1/providers/{id}/slots")).query_opt("from", from).query_opt("to", to);
        self.call(req).await
    }

    /// `POST /v1/appointments`: books a slot. Reuse `idempotency_key` for every retry of this booking.
    pub async fn book(&self, token: &str, req: &BookRequest, idempotency_key: &str) -> Result<Appointment, CoreError> {
        let r = ApiRequest::post("/v1/appointments").bearer(token).idempotency_key(idempotency_key).json(req)?;
        self.call(r).await
    }

    /// `GET /v1/appointments`: one page of the caller's appointments.
    pub async fn appointments(&self, token: &str, query: &AppointmentQuery) -> Result<AppointmentPage, CoreError> {
        self.call(query.apply(ApiRequest::get("/v1/appointments").bearer(token))).await
    }

    /// `GET /v1/appointments/{id}`: one appointment the caller takes part in.
    pub async fn appointment(&self, token: &str, id: AppointmentId) -> Result<Appointment, CoreError> {
        self.call(ApiRequest::get(appointment_path(id, "")).bearer(token)).await
    }

    /// `POST /v1/appointments/{id}/cancel`: cancels (a no-op when already cancelled); retried only with a key.
    pub async fn cancel(
        &self,
        token: &str,
        id: AppointmentId,
        req: &CancelRequest,
        idempotency_key: Option<&str>,
    ) -> Result<Appointment, CoreError> {
        let mut r = ApiRequest::post(appointment_path(id, "/cancel")).bearer(token).json(req)?;
        r.idempotency_key = idempotency_key;
        self.call(r).await
    }

    /// `POST /v1/appointments/{id}/reschedule`: moves the appointment to another slot atomically.
    pub async fn reschedule(
        &self,
        token: &str,
        id: AppointmentId,
        req: &RescheduleRequest,
        idempotency_key: &str,
    ) -> Result<Appointment, CoreError> {
        let r = ApiRequest::post(appointment_path(id, "/reschedule"))
            .bearer(token)
            .idempotency_key(idempotency_key)
            .json(req)?;
        self.call(r).await
    }

    /// `POST /v1/appointments/{id}/status`: a provider's status action; retried only with a key.
    pub async fn set_status(
        &self,
        token: &str,
        id: AppointmentId,
        req: &StatusRequest,
        idempotency_key: Option<&str>,
    ) -> Result<Appointment, CoreError> {
        let mut r = ApiRequest::post(appointment_path(id, "/status")).bearer(token).json(req)?;
        r.idempotency_key = idempotency_key;
        self.call(r).await
    }

    /// `PUT /v1/appointments/{id}/notes`: writes the provider's note; empty text deletes it (`None`).
    pub async fn put_note(&self, token: &str, id: AppointmentId, req: &NoteRequest) -> Result<Option<Note>, CoreError> {
        self.call(ApiRequest::new(Method::Put, appointment_path(id, "/notes")).bearer(token).json(req)?).await
    }

    /// `GET /v1/appointments/{id}/notes`: the provider's note (`NotFound` when there is none).
    pub async fn note(&self, token: &str, id: AppointmentId) -> Result<Note, CoreError> {
        self.call(ApiRequest::get(appointment_path(id, "/notes")).bearer(token)).await
    }

    /// `GET /v1/sync`: changes visible to the caller after cursor `since` (0 for everything).
    pub async fn sync(&self, token: &str, since: i64, limit: Option<u32>) -> Result<SyncPage, CoreError> {
        self.call(ApiRequest::get("/v1/sync").bearer(token).query("since", since).query_opt("limit", limit)).await
    }

    /// `POST /v1/appointments/{id}/video-token`: credentials to join inside the join window (not retried).
    pub async fn video_token(&self, token: &str, id: AppointmentId) -> Result<VideoCredentials, CoreError> {
        self.call(ApiRequest::post(appointment_path(id, "/video-token")).bearer(token)).await
    }
}
