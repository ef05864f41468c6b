//! Provider search (the server, falling back to recent results in the cache), profiles and slots, and a
//! provider's own availability rules.

use jiff::Timestamp;
use psyter_domain::wire::SlotList;
use psyter_domain::{AvailabilityRules, ProviderProfile, UserId};

use super::Psyter;
use crate::api::ProviderSearch;
use crate::{CoreError, ErrorKind};

/// Search results, and whether they came from the cache because the server could not be reached.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProviderResults {
    /// The providers found.
    pub items: Vec<ProviderProfile>,
    /// Pass back as `cursor` for more (server results only).
    pub next_cursor: Option<String>,
    /// True when offline: recent results matching the words, without the server's filters and ranking.
    pub from_cache: bool,
}

/// Provider search, profiles and slots.
#[derive(Clone, Debug)]
pub struct Providers {
    psyter: Psyter,
}

impl Providers {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// Searches providers on the server and remembers the results; offline, searches recent results and
    /// the user's own providers in the cache by name, title and specialty words.
    pub async fn search(&self, search: &ProviderSearch) -> Result<ProviderResults, CoreError> {
        self.psyter.session().touch()?;
        let stores = self.psyter.stores()?;
        let online = if self.psyter.online() {
            self.psyter.session().api().search_providers(search).await
        } else {
            Err(CoreError::Offline)
        };
        match online {
            Ok(page) => {
                stores.cache.store_providers(&page.items, true).await?;
                Ok(ProviderResults { items: page.items, next_cursor: page.next_cursor, from_cache: false })
            }
            Err(e) if e.kind() == ErrorKind::Offline => {
                let words = search.q.as_deref().unwrap_or_default();
                let limit = search.limit.unwrap_or(20) as usize;
                let items = stores.cache.search_providers(words, limit).await?;
                Ok(ProviderResults { items, next_cursor: None, from_cache: true })
            }
            Err(e) => Err(e),
        }
    }

    /// A provider's profile: the server's when reachable (and cached), else the cached one.
    pub async fn profile(&self, id: UserId) -> Result<ProviderProfile, CoreError> {
        self.psyter.session().touch()?;
        let cache = self.psyter.stores()?.cache;
        let online =
            if self.psyter.online() { self.psyter.session().api().provider(id).await } else { Err(CoreError::Offline) };
        match online {
            Ok(profile) => {
                cache.store_providers(std::slice::from_ref(&profile), false).await?;
                Ok(profile)
            }
            Err(e) if e.kind() == ErrorKind::Offline => cache.provider(&id.to_string()).await?.ok_or(e),
            Err(e) => Err(e),
        }
    }

    /// Free slots of a provider in `[from, to)` (server defaults: now, 14 days). Needs the server: slots
    /// change with every booking, so a cached list would invite conflicts.
    pub async fn slots(
        &self,
        id: UserId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<SlotList, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.check_online()?;
        self.psyter.session().api().slots(id, from, to).await
    }
}

/// A provider's own availability rules (weekly hours, overrides, buffers, notice, limits).
#[derive(Clone, Debug)]
pub struct Availability {
    psyter: Psyter,
}

impl Availability {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// The signed-in provider's rules.
    pub async fn get(&self) -> Result<AvailabilityRules, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.api(|api, t| async move { api.availability(&t).await }).await
    }

    /// Replaces the rules, validated locally first with the same rules the server applies.
    pub async fn put(&self, rules: &AvailabilityRules) -> Result<AvailabilityRules, CoreError> {
        self.psyter.session().touch()?;
        rules.validate()?;
        self.psyter.api(|api, t| async move { api.put_availability(&t, rules).await }).await
    }
}
