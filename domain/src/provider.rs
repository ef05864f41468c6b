//! Provider profiles as patients search and read them.

use serde::{Deserialize, Serialize};

use crate::{DomainError, UserId, validate};

/// A provider's self-described gender, used as a search filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Another gender or not stated.
    Other,
}

impl Gender {
    /// The stable wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }
}

impl std::str::FromStr for Gender {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "female" => Ok(Gender::Female),
            "male" => Ok(Gender::Male),
            "other" => Ok(Gender::Other),
            _ => Err(DomainError::Invalid { field: "gender", reason: "must be female, male or other" }),
        }
    }
}

/// What a patient sees of a provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderProfile {
    /// The provider's user id.
    pub id: UserId,
    /// Name as shown to patients.
    pub display_name: String,
    /// Professional title, e.g. "Clinical psychologist".
    pub title: String,
    /// Specialties as stable slugs, e.g. "anxiety", "couples".
    pub specialties: Vec<String>,
    /// Languages spoken, as BCP 47 primary tags ("en", "ar").
    pub languages: Vec<String>,
    /// Gender, for patients who prefer one.
    pub gender: Gender,
    /// Price of one session in minor units of `currency`.
    pub price_cents: u32,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Average rating from 0.0 to 5.0.
    pub rating: f32,
    /// How many ratings the average is over.
    pub rating_count: u32,
    /// Free-text biography.
    pub bio: String,
    /// The provider's IANA time zone; availability is expressed in it.
    pub time_zone: String,
    /// Length of one session in minutes.
    pub session_minutes: u32,
}

impl ProviderProfile {
    /// Checks every field against the domain's rules.
    pub fn validate(&self) -> Result<(), DomainError> {
        validate::display_name(&self.display_name)?;
        validate::time_zone(&self.time_zone)?;
        if !(0.0..=5.0).contains(&self.rating) || self.rating.is_nan() {
            return Err(DomainError::Invalid { field: "rating", reason: "must be between 0 and 5" });
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(DomainError::Invalid { field: "currency", reason: "must be an ISO 4217 code" });
        }
        if self.bio.chars().count() > 4000 {
            return Err(DomainError::Invalid { field: "bio", reason: "at most 4000 characters" });
        }
        Ok(())
    }
}
