//! Provider search, profiles and slots; the provider's own availability with a live preview.

use jiff::Timestamp;
use psyter_core::ProviderResults;
use psyter_core::api::ProviderSearch;
use psyter_core::cache::AppointmentFilter;
use psyter_domain::wire::SlotList;
use psyter_domain::{AvailabilityRules, Booking, ProviderProfile, Slot, UserId, generate_slots};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Most appointments read to mark the preview's busy times.
const PREVIEW_BOOKINGS: usize = 500;

/// Searches providers (offline: recent results from the cache, marked `from_cache`).
#[tauri::command(rename_all = "snake_case")]
pub async fn providers_search(state: State<'_, AppState>, search: ProviderSearch) -> IpcResult<ProviderResults> {
    Ok(state.core()?.providers().search(&search).await?)
}

/// One provider's profile.
#[tauri::command(rename_all = "snake_case")]
pub async fn providers_profile(state: State<'_, AppState>, id: UserId) -> IpcResult<ProviderProfile> {
    Ok(state.core()?.providers().profile(id).await?)
}

/// A provider's bookable slots between `from` and `to` (the server's defaults when absent).
#[tauri::command(rename_all = "snake_case")]
pub async fn providers_slots(
    state: State<'_, AppState>,
    id: UserId,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> IpcResult<SlotList> {
    Ok(state.core()?.providers().slots(id, from, to).await?)
}

/// The signed-in provider's availability rules.
#[tauri::command(rename_all = "snake_case")]
pub async fn availability_get(state: State<'_, AppState>) -> IpcResult<AvailabilityRules> {
    Ok(state.core()?.availability().get().await?)
}

/// Saves the provider's availability rules (validated first).
#[tauri::command(rename_all = "snake_case")]
pub async fn availability_put(state: State<'_, AppState>, rules: AvailabilityRules) -> IpcResult<AvailabilityRules> {
    Ok(state.core()?.availability().put(&rules).await?)
}

/// The slots `rules` would give between `from` and `to`, around the provider's cached appointments:
/// computed here with the server's own rules (no request), for the editor's live preview.
#[tauri::command(rename_all = "snake_case")]
pub async fn availability_preview(
    state: State<'_, AppState>,
    rules: AvailabilityRules,
    from: Timestamp,
    to: Timestamp,
) -> IpcResult<Vec<Slot>> {
    let core = state.core()?;
    let filter = AppointmentFilter { from: Some(from), to: Some(to), ..AppointmentFilter::default() };
    let page = core.appointments().upcoming(&filter, PREVIEW_BOOKINGS, None).await?;
    let bookings: Vec<Booking> = page
        .items
        .iter()
        .map(|v| &v.appointment)
        .filter(|a| a.status.holds_time())
        .map(|a| Booking { start: a.start, end: a.end })
        .collect();
    generate_slots(&rules, from, to, Timestamp::now(), &bookings)
        .map_err(|e| IpcError::from(psyter_core::CoreError::from(e)))
}
