//! What the user may do to an appointment now (shown before acting), a period's statistics, and
//! retrying an action the server refused.

use std::collections::BTreeMap;

use jiff::Timestamp;
use psyter_domain::{AppointmentId, AppointmentStatus, CancelPolicy, in_join_window};
use serde::Serialize;

use super::{Appointments, booking_pending};
use crate::CoreError;
use crate::cache::{AppointmentFilter, OutboxState};
use crate::events::CoreEvent;

/// Largest page read while counting a period's appointments.
const STATS_PAGE: usize = 500;

/// What the user may do to an appointment now, and the rule behind it, for showing before acting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangePolicy {
    /// Cancelling is allowed now.
    pub can_cancel: bool,
    /// Moving it is allowed now.
    pub can_reschedule: bool,
    /// The last instant a patient may cancel or move it.
    pub cutoff: Timestamp,
    /// Why cancelling is refused (an error code such as `inside_cutoff`), when it is.
    pub cancel_refusal: Option<String>,
    /// Why moving it is refused, when it is.
    pub reschedule_refusal: Option<String>,
    /// The video consultation may be joined now.
    pub can_join: bool,
}

/// A period's appointment counts and a provider's earnings from fulfilled consultations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Appointments starting in the period.
    pub total: u32,
    /// Of those, how many are in each status.
    pub by_status: BTreeMap<AppointmentStatus, u32>,
    /// The sum of fulfilled consultations' prices, in cents.
    pub earnings_cents: u64,
    /// The currency of the earnings (the first one seen; empty when there are none).
    pub currency: String,
}

impl Appointments {
    /// The cancel/reschedule policy of an appointment as it applies now, and whether it can be joined.
    pub async fn policy(&self, id: AppointmentId) -> Result<ChangePolicy, CoreError> {
        let a = self.prepare(id).await?;
        let role = self.role()?;
        let now = self.psyter.inner.config.clock.now();
        let rules = CancelPolicy::default();
        let code = |r: Result<(), psyter_domain::DomainError>| r.err().map(|e| CoreError::from(e).code().to_owned());
        let (cancel_refusal, reschedule_refusal) = if self.queued_booking(id).await?.is_some() {
            (None, Some(booking_pending().code().to_owned()))
        } else {
            (
                code(rules.check_cancel(role, a.status, a.start, a.end, now)),
                code(rules.check_reschedule(role, a.status, a.start, now)),
            )
        };
        let joinable = matches!(a.status, AppointmentStatus::Booked | AppointmentStatus::Arrived);
        Ok(ChangePolicy {
            can_cancel: cancel_refusal.is_none(),
            can_reschedule: reschedule_refusal.is_none(),
            cutoff: rules.cutoff_instant(a.start),
            cancel_refusal,
            reschedule_refusal,
            can_join: joinable && in_join_window(a.start, a.end, now),
        })
    }

    /// Counts the cached appointments starting in `[from, to)` by status, with fulfilled earnings.
    pub async fn stats(&self, from: Timestamp, to: Timestamp) -> Result<Stats, CoreError> {
        let filter = AppointmentFilter { from: Some(from), to: Some(to), ..AppointmentFilter::default() };
        let mut stats = Stats { total: 0, by_status: BTreeMap::new(), earnings_cents: 0, currency: String::new() };
        for upcoming in [true, false] {
            let mut cursor: Option<String> = None;
            loop {
                let page = if upcoming {
                    self.upcoming(&filter, STATS_PAGE, cursor.as_deref()).await?
                } else {
                    self.past(&filter, STATS_PAGE, cursor.as_deref()).await?
                };
                for view in &page.items {
                    let a = &view.appointment;
                    stats.total += 1;
                    *stats.by_status.entry(a.status).or_default() += 1;
                    if a.status == AppointmentStatus::Fulfilled {
                        stats.earnings_cents += u64::from(a.price_cents);
                        if stats.currency.is_empty() {
                            stats.currency.clone_from(&a.currency);
                        }
                    }
                }
                match page.next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
        }
        Ok(stats)
    }

    /// Sends a queued action now, or gives a refused one another try under a new idempotency key (the
    /// server replays its stored refusal for the old key); the sync loop does the sending.
    pub async fn retry(&self, outbox_id: i64) -> Result<(), CoreError> {
        self.psyter.session().touch()?;
        let stores = self.psyter.stores()?;
        match stores.outbox.entry(outbox_id).await? {
            Some(e) if e.state == OutboxState::Failed => {
                stores.outbox.requeue(outbox_id, &uuid::Uuid::new_v4().to_string()).await?;
                let pending = self.psyter.publish_pending(&stores.outbox).await?;
                self.psyter.emit(CoreEvent::OutboxChanged { pending });
            }
            Some(e) if e.state == OutboxState::Done => return Err(CoreError::NotFound),
            Some(_) => {}
            None => return Err(CoreError::NotFound),
        }
        self.psyter.sync().wake();
        Ok(())
    }
}
