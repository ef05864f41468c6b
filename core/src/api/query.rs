//! Query parameters of the list routes (the server reads them from the query string, so they are not
//! wire bodies in `psyter_domain::wire`).

use jiff::Timestamp;
use psyter_domain::{AppointmentStatus, Gender, UserId};

use super::request::ApiRequest;

/// Filters and paging of `GET /v1/providers`; every field optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ProviderSearch {
    /// Free text over name, title, bio and specialties (prefix match per word).
    pub q: Option<String>,
    /// Specialty slug, e.g. `anxiety`.
    pub specialty: Option<String>,
    /// Language tag, e.g. `ar`.
    pub language: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Highest session price in minor units.
    pub max_price_cents: Option<u32>,
    /// Lowest average rating, 0 to 5.
    pub min_rating: Option<f64>,
    /// With `available_to`: only providers with a free slot starting in this range.
    pub available_from: Option<Timestamp>,
    /// End of the availability range.
    pub available_to: Option<Timestamp>,
    /// Page size, 1 to 100 (server default 20).
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

impl ProviderSearch {
    /// Adds these filters to `req`'s query.
    pub fn apply<'a>(&self, req: ApiRequest<'a>) -> ApiRequest<'a> {
        req.query_opt("q", self.q.as_deref())
            .query_opt("specialty", self.specialty.as_deref())
            .query_opt("language", self.language.as_deref())
            .query_opt("gender", self.gender.map(Gender::as_str))
            .query_opt("max_price_cents", self.max_price_cents)
            .query_opt("min_rating", self.min_rating)
            .query_opt("available_from", self.available_from)
            .query_opt("available_to", self.available_to)
            .query_opt("limit", self.limit)
            .query_opt("cursor", self.cursor.as_deref())
    }
}

/// Sort order of appointment lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Soonest first (the server's default).
    #[default]
    Asc,
    /// Latest first.
    Desc,
}

/// Filters and paging of `GET /v1/appointments`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppointmentQuery {
    /// Only these statuses (empty: all).
    pub status: Vec<AppointmentStatus>,
    /// Only appointments with this provider.
    pub provider_id: Option<UserId>,
    /// Only appointments with this patient.
    pub patient_id: Option<UserId>,
    /// Only appointments starting at or after this instant.
    pub from: Option<Timestamp>,
    /// Only appointments starting before this instant.
    pub to: Option<Timestamp>,
    /// Sort order (server default: soonest first).
    pub order: Option<Order>,
    /// Page size, 1 to 200 (server default 50).
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

impl AppointmentQuery {
    /// Adds these filters to `req`'s query.
    pub fn apply<'a>(&self, req: ApiRequest<'a>) -> ApiRequest<'a> {
        let status =
            (!self.status.is_empty()).then(|| self.status.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","));
        let order = self.order.map(|o| match o {
            Order::Asc => "asc",
            Order::Desc => "desc",
        });
        req.query_opt("status", status)
            .query_opt("provider_id", self.provider_id)
            .query_opt("patient_id", self.patient_id)
            .query_opt("from", self.from)
            .query_opt("to", self.to)
            .query_opt("order", order)
            .query_opt("limit", self.limit)
            .query_opt("cursor", self.cursor.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_filters_are_sent() {
        let q = ProviderSearch { q: Some("anx".into()), limit: Some(5), ..Default::default() };
        let req = q.apply(ApiRequest::get("/v1/providers"));
        assert_eq!(req.query, vec![("q".to_owned(), "anx".to_owned()), ("limit".to_owned(), "5".to_owned())]);
        let a = AppointmentQuery {
            status: vec![AppointmentStatus::Booked, AppointmentStatus::Arrived],
            order: Some(Order::Desc),
            ..Default::default()
        };
        let req = a.apply(ApiRequest::get("/v1/appointments"));
        assert_eq!(
            req.query,
            vec![("status".to_owned(), "booked,arrived".to_owned()), ("order".to_owned(), "desc".to_owned())]
        );
    }
}
