//! Reminder planning: pure functions from cached appointments and the user's offsets to the local
//! notifications that should exist, and the difference from what is scheduled now.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use psyter_domain::AppointmentStatus;
use psyter_domain::wire::Appointment;
use serde::{Deserialize, Serialize};

/// The default offsets: a day and an hour before.
pub const DEFAULT_OFFSETS: [u32; 2] = [24 * 60, 60];

/// One local notification to show before an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reminder {
    /// Stable id: `<appointment id>/<minutes before>`, so re-planning only touches what changed.
    pub id: String,
    /// The appointment it is for.
    pub appointment_id: String,
    /// When to show it.
    pub fire_at: Timestamp,
    /// How long before the start it fires.
    pub minutes_before: u32,
    /// The notification's title, in the user's language.
    pub title: String,
    /// The notification's text, in the user's language and time zone.
    pub body: String,
}

/// The changes that turn the scheduled set into the planned one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderDiff {
    /// Reminders to schedule (new, or changed time or text).
    pub schedule: Vec<Reminder>,
    /// Ids of reminders to withdraw (cancelled, moved, past, or offsets changed).
    pub cancel: Vec<String>,
}

/// The reminders that should exist at `now`: for each booked appointment, one per offset whose time
/// is still ahead. `text` gives the title and body of one reminder. Offsets are de-duplicated; an
/// appointment that is not booked (cancelled, pending, ended) gets none.
pub fn plan(
    appointments: &[Appointment],
    offsets: &[u32],
    now: Timestamp,
    text: impl Fn(&Appointment, u32) -> (String, String),
) -> Vec<Reminder> {
    let mut offsets = offsets.to_vec();
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    offsets.dedup();
    let mut out = Vec::new();
    for a in appointments.iter().filter(|a| a.status == AppointmentStatus::Booked && a.start > now) {
        for &minutes in &offsets {
            let Ok(fire_at) = a.start.checked_sub(SignedDuration::from_mins(i64::from(minutes))) else { continue };
            if fire_at <= now {
                continue;
            }
            let (title, body) = text(a, minutes);
            out.push(Reminder {
                id: format!("{}/{minutes}", a.id),
                appointment_id: a.id.to_string(),
                fire_at,
                minutes_before: minutes,
                title,
                body,
            });
        }
    }
    out.sort_by(|x, y| (x.fire_at, &x.id).cmp(&(y.fire_at, &y.id)));
    out
}

/// What to schedule and withdraw to go from `scheduled` to `planned`.
pub fn diff(scheduled: &[Reminder], planned: &[Reminder]) -> ReminderDiff {
    let before: BTreeMap<&str, &Reminder> = scheduled.iter().map(|r| (r.id.as_str(), r)).collect();
    let after: BTreeMap<&str, &Reminder> = planned.iter().map(|r| (r.id.as_str(), r)).collect();
    ReminderDiff {
        schedule: planned.iter().filter(|r| before.get(r.id.as_str()) != Some(r)).cloned().collect(),
        cancel: scheduled.iter().filter(|r| !after.contains_key(r.id.as_str())).map(|r| r.id.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psyter_domain::{AppointmentId, UserId};

    fn appointment(start: Timestamp, status: AppointmentStatus) -> Appointment {
        Appointment {
            id: AppointmentId::new(),
            patient_id: UserId::new(),
            patient_name: "P".into(),
            provider_id: UserId::new(),
            provider_name: "Dr. Q".into(),
            provider_time_zone: "UTC".into(),
            start,
            end: start + SignedDuration::from_mins(50),
            status,
            reason: String::new(),
            cancel_reason: None,
            cancelled_by: None,
            price_cents: 0,
            currency: "USD".into(),
            created_at: start,
            updated_at: start,
            version: 1,
        }
    }

    fn text(a: &Appointment, m: u32) -> (String, String) {
        ("t".into(), format!("{} in {m}", a.provider_name))
    }

    #[test]
    fn booked_future_appointments_get_one_reminder_per_offset_still_ahead() {
        let now: Timestamp = "2030-01-01T12:00:00Z".parse().expect("now");
        let soon = appointment(now + SignedDuration::from_hours(3), AppointmentStatus::Booked);
        let later = appointment(now + SignedDuration::from_hours(48), AppointmentStatus::Booked);
        let cancelled = appointment(now + SignedDuration::from_hours(48), AppointmentStatus::Cancelled);
        let pending = appointment(now + SignedDuration::from_hours(48), AppointmentStatus::Pending);
        let all = [soon.clone(), later.clone(), cancelled, pending];
        let planned = plan(&all, &[60, 1440, 60], now, text);
        let ids: Vec<_> = planned.iter().map(|r| r.id.clone()).collect();
        // The day-before reminder of `soon` would be in the past; duplicates collapse; order is by time.
        assert_eq!(ids, [format!("{}/60", soon.id), format!("{}/1440", later.id), format!("{}/60", later.id)]);
        assert_eq!(planned[0].fire_at, soon.start - SignedDuration::from_hours(1));
        assert_eq!(planned[0].body, "Dr. Q in 60");
    }

    #[test]
    fn the_diff_withdraws_what_went_away_and_schedules_what_changed() {
        let now: Timestamp = "2030-01-01T12:00:00Z".parse().expect("now");
        let a = appointment(now + SignedDuration::from_hours(30), AppointmentStatus::Booked);
        let before = plan(std::slice::from_ref(&a), &DEFAULT_OFFSETS, now, text);
        assert_eq!(before.len(), 2);
        assert_eq!(diff(&before, &before), ReminderDiff::default());
        let moved = Appointment { start: a.start + SignedDuration::from_hours(1), ..a.clone() };
        let after = plan(&[moved], &DEFAULT_OFFSETS, now, text);
        let d = diff(&before, &after);
        assert_eq!((d.schedule.len(), d.cancel.len()), (2, 0), "same ids, new times: rescheduled");
        let gone = diff(&before, &[]);
        assert_eq!(gone.cancel, before.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
    }
}
