//! Typed calls for accounts, sessions, TOTP and a provider's availability.

use psyter_domain::AvailabilityRules;
use psyter_domain::wire::{LoginRequest, Me, RegisterRequest, TokenResponse, TotpSetup, UpdateMe};
use serde_json::json;

use super::client::ApiClient;
use super::request::{ApiRequest, Method};
use crate::CoreError;

// The request bodies below are built field by field because the wire request types only derive
// `Deserialize` (the server reads them); the field names are the wire contract's.

impl ApiClient {
    /// `POST /v1/auth/register`: creates an account and signs it in.
    pub async fn register(&self, req: &RegisterRequest) -> Result<TokenResponse, CoreError> {
        let body = json!({
            "email": req.email, "password": req.password, "display_name": req.display_name,
            "role": req.role, "time_zone": req.time_zone, "locale": req.locale,
        });
        self.call(ApiRequest::post("/v1/auth/register").json_value(body)).await
    }

    /// `POST /v1/auth/login`: signs in with email, password and (when enabled) a TOTP code.
    pub async fn login(&self, req: &LoginRequest) -> Result<TokenResponse, CoreError> {
        let body = json!({"email": req.email, "password": req.password, "totp_code": req.totp_code});
        self.call(ApiRequest::post("/v1/auth/login").json_value(body)).await
    }

    /// `POST /v1/auth/refresh`: exchanges the refresh token for a new pair (the old one stops working).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, CoreError> {
        self.call(ApiRequest::post("/v1/auth/refresh").json_value(json!({"refresh_token": refresh_token}))).await
    }

    /// `POST /v1/auth/logout`: ends the refresh token's session on the server (idempotent).
    pub async fn logout(&self, refresh_token: &str) -> Result<(), CoreError> {
        self.call(ApiRequest::post("/v1/auth/logout").json_value(json!({"refresh_token": refresh_token}))).await
    }

    /// `GET /v1/me`: the signed-in account.
    pub async fn me(&self, token: &str) -> Result<Me, CoreError> {
        self.call(ApiRequest::get("/v1/me").bearer(token)).await
    }

    /// `PATCH /v1/me`: changes display name, locale, time zone or reminder offsets.
    pub async fn update_me(&self, token: &str, update: &UpdateMe) -> Result<Me, CoreError> {
        let body = json!({
            "display_name": update.display_name, "locale": update.locale,
            "time_zone": update.time_zone, "reminder_minutes": update.reminder_minutes,
        });
        self.call(ApiRequest::new(Method::Patch, "/v1/me").bearer(token).json_value(body)).await
    }

    /// `POST /v1/me/totp/setup`: starts TOTP enrolment and returns the new secret.
    pub async fn totp_setup(&self, token: &str) -> Result<TotpSetup, CoreError> {
        self.call(ApiRequest::post("/v1/me/totp/setup").bearer(token)).await
    }

    /// `POST /v1/me/totp/enable`: confirms enrolment with a current code; sign-in then needs codes.
    pub async fn totp_enable(&self, token: &str, code: &str) -> Result<Me, CoreError> {
        self.call(ApiRequest::post("/v1/me/totp/enable").bearer(token).json_value(json!({"code": code}))).await
    }

    /// `POST /v1/me/totp/disable`: removes the second factor, confirmed with a current code.
    pub async fn totp_disable(&self, token: &str, code: &str) -> Result<Me, CoreError> {
        self.call(ApiRequest::post("/v1/me/totp/disable").bearer(token).json_value(json!({"code": code}))).await
    }

    /// `GET /v1/me/availability`: the signed-in provider's availability rules.
    pub async fn availability(&self, token: &str) -> Result<AvailabilityRules, CoreError> {
        self.call(ApiRequest::get("/v1/me/availability").bearer(token)).await
    }

    /// `PUT /v1/me/availability`: replaces the signed-in provider's availability rules.
    pub async fn put_availability(
        &self,
        token: &str,
        rules: &AvailabilityRules,
    ) -> Result<AvailabilityRules, CoreError> {
        self.call(ApiRequest::new(Method::Put, "/v1/me/availability").bearer(token).json(rules)?).await
    }
}
