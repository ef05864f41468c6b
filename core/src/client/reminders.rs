//! Appointment reminders: planned from the cache with the user's offsets, handed to the platform's
//! `NotificationScheduler`, and re-planned whenever sync or an action changes appointments.

use jiff::Timestamp;
use psyter_domain::AppointmentStatus;
use psyter_domain::wire::{Appointment, Me};

use super::Psyter;
use crate::CoreError;
use crate::cache::{AppointmentFilter, MAX_PAGE};
use crate::events::CoreEvent;
use crate::i18n::{Arg, Localizer};
use crate::reminders::{Reminder, diff, plan};

/// Meta key of the reminders handed to the scheduler.
const SCHEDULED_KEY: &str = "scheduled_reminders";

/// Appointment reminders.
#[derive(Clone, Debug)]
pub struct Reminders {
    psyter: Psyter,
}

impl Reminders {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// The reminders currently scheduled, soonest first.
    pub async fn scheduled(&self) -> Result<Vec<Reminder>, CoreError> {
        self.psyter.session().touch()?;
        Ok(self.psyter.stores()?.cache.meta::<Vec<Reminder>>(SCHEDULED_KEY).await?.unwrap_or_default())
    }

    /// Plans reminders from the cache and brings the platform's notifications in line: new ones are
    /// scheduled, changed ones replaced, and those of cancelled, moved or past appointments withdrawn.
    /// Returns the plan. Without a scheduler the plan is still kept (the CLI shows it).
    pub async fn replan(&self) -> Result<Vec<Reminder>, CoreError> {
        let p = &self.psyter;
        let cache = p.stores()?.cache;
        let me = p.account().await?;
        let now = p.inner.config.clock.now();
        let booked = upcoming_booked(p, now).await?;
        let localizer = Localizer::negotiate(&[me.locale.as_str()]);
        let planned = plan(&booked, &me.reminder_minutes, now, |a, minutes| texts(&localizer, &me, a, minutes));
        let scheduled = cache.meta::<Vec<Reminder>>(SCHEDULED_KEY).await?.unwrap_or_default();
        let changes = diff(&scheduled, &planned);
        if let Some(scheduler) = p.inner.config.notifications.clone() {
            let (schedule, cancel) = (changes.schedule.clone(), changes.cancel.clone());
            tokio::task::spawn_blocking(move || {
                cancel.iter().try_for_each(|id| scheduler.cancel(id))?;
                schedule.iter().try_for_each(|r| scheduler.schedule(r))
            })
            .await
            .map_err(|_| CoreError::Internal { detail: "the notification scheduler failed".into() })??;
        }
        cache.set_meta(SCHEDULED_KEY, &planned).await?;
        p.emit(CoreEvent::RemindersPlanned { scheduled: planned.len() as u32 });
        Ok(planned)
    }
}

/// Every booked appointment that has not started, from the cache.
async fn upcoming_booked(p: &Psyter, now: Timestamp) -> Result<Vec<Appointment>, CoreError> {
    let cache = p.stores()?.cache;
    let filter = AppointmentFilter { statuses: vec![AppointmentStatus::Booked], ..AppointmentFilter::default() };
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = cache.upcoming(now, MAX_PAGE, cursor, &filter).await?;
        out.extend(page.items);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// The title and body of one reminder, in the user's language and time zone.
fn texts(localizer: &Localizer, me: &Me, a: &Appointment, minutes: u32) -> (String, String) {
    // An unknown zone in the account falls back to the appointment's own zone, then UTC.
    let when = localizer
        .format_datetime(a.start, &me.time_zone)
        .or_else(|_| localizer.format_datetime(a.start, &a.provider_time_zone))
        .or_else(|_| localizer.format_datetime(a.start, "UTC"))
        .unwrap_or_else(|_| a.start.to_string());
    let other = if me.id == a.patient_id { a.provider_name.as_str() } else { a.patient_name.as_str() };
    let args = [("provider", Arg::from(other)), ("when", Arg::from(when)), ("minutes", Arg::from(minutes))];
    (localizer.message("reminder-title", &args), localizer.message("reminder-body", &args))
}
