//! A provider's availability rules, expressed in the provider's own IANA time zone.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Every day of the week, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
}

impl From<jiff::civil::Weekday> for Weekday {
    fn from(w: jiff::civil::Weekday) -> Self {
        use jiff::civil::Weekday as J;
        match w {
            J::Monday => Weekday::Monday,
            J::Tuesday => Weekday::Tuesday,
            J::Wednesday => Weekday::Wednesday,
            J::Thursday => Weekday::Thursday,
            J::Friday => Weekday::Friday,
            J::Saturday => Weekday::Saturday,
            J::Sunday => Weekday::Sunday,
        }
    }
}

/// A local wall-clock range within one day. `end` of `00:00` means midnight at the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeRange {
    /// Local start, e.g. "09:00".
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
    pub start: Time,
    /// Local end (exclusive), e.g. "17:00"; "00:00" means end of day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "17:00"))]
    pub end: Time,
}

impl TimeRange {
    /// Whether `end` means midnight at the end of the day.
    pub fn ends_at_midnight(&self) -> bool {
        self.end == Time::midnight()
    }

    /// Minutes from midnight to start and to end (end may be 1440).
    pub fn minutes(&self) -> (u32, u32) {
        let m = |t: Time| t.hour() as u32 * 60 + t.minute() as u32;
        let end = if self.ends_at_midnight() { 24 * 60 } else { m(self.end) };
        (m(self.start), end)
    }
}

/// Working hours on one weekday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyHours {
    /// The weekday these hours apply to.
    pub day: Weekday,
    /// The local range.
    #[serde(flatten)]
    pub range: TimeRange,
}

/// Hours for one specific local date that replace the weekly hours of that date (empty = day off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DateOverride {
    /// The local date, e.g. "2026-12-24".
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Ranges worked that date; empty means unavailable all day.
    pub hours: Vec<TimeRange>,
}

/// Everything that decides when a provider can be booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AvailabilityRules {
    /// IANA zone the hours are expressed in.
    pub time_zone: String,
    /// Recurring weekly hours (several ranges per day allowed, not overlapping).
    pub weekly: Vec<WeeklyHours>,
    /// Date-specific hours that beat the weekly hours.
    pub overrides: Vec<DateOverride>,
    /// Minutes kept free before each session.
    pub buffer_before_minutes: u32,
    /// Minutes kept free after each session.
    pub buffer_after_minutes: u32,
    /// Minimum minutes between now and a bookable start.
    pub minimum_notice_minutes: u32,
    /// How many days ahead a patient may book.
    pub booking_window_days: u32,
    /// Step between candidate slot starts, in minutes.
    pub slot_interval_minutes: u32,
    /// Length of one session in minutes.
    pub session_minutes: u32,
    /// Most sessions per local day; `None` for no limit.
    pub daily_limit: Option<u32>,
}

impl AvailabilityRules {
    /// Sensible defaults for a new provider: weekdays 09:00-17:00, 50-minute sessions on the hour.
    pub fn default_for(time_zone: &str) -> Self {
        let nine_to_five = TimeRange { start: Time::constant(9, 0, 0, 0), end: Time::constant(17, 0, 0, 0) };
        let weekly = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday]
            .into_iter()
            .map(|day| WeeklyHours { day, range: nine_to_five })
            .collect();
        Self {
            time_zone: time_zone.to_owned(),
            weekly,
            overrides: Vec::new(),
            buffer_before_minutes: 0,
            buffer_after_minutes: 10,
            minimum_notice_minutes: 12 * 60,
            booking_window_days: 60,
            slot_interval_minutes: 60,
            session_minutes: 50,
            daily_limit: None,
        }
    }

    /// The ranges that apply on a local date: the override if any, else the weekly hours.
    pub fn ranges_on(&self, date: Date) -> Vec<TimeRange> {
        if let Some(o) = self.overrides.iter().find(|o| o.date == date) {
            let mut hours = o.hours.clone();
            hours.sort_by_key(|r| r.start);
            return hours;
        }
        let day = Weekday::from(date.weekday());
        let mut ranges: Vec<TimeRange> = self.weekly.iter().filter(|w| w.day == day).map(|w| w.range).collect();
        ranges.sort_by_key(|r| r.start);
        ranges
    }

    /// Checks every rule: known zone, sane bounds, well-formed and non-overlapping ranges.
    pub fn validate(&self) -> Result<(), DomainError> {
        crate::validate::time_zone(&self.time_zone)?;
        let bound = |field: &'static str, v: u32, lo: u32, hi: u32, reason: &'static str| {
            if (lo..=hi).contains(&v) { Ok(()) } else { Err(DomainError::Invalid { field, reason }) }
        };
        bound("session_minutes", self.session_minutes, 10, 240, "must be 10 to 240")?;
        bound("slot_interval_minutes", self.slot_interval_minutes, 5, 240, "must be 5 to 240")?;
        bound("buffer_before_minutes", self.buffer_before_minutes, 0, 120, "must be 0 to 120")?;
        bound("buffer_after_minutes", self.buffer_after_minutes, 0, 120, "must be 0 to 120")?;
        bound("minimum_notice_minutes", self.minimum_notice_minutes, 0, 30 * 24 * 60, "must be 0 to 43200")?;
        bound("booking_window_days", self.booking_window_days, 1, 365, "must be 1 to 365")?;
        if let Some(limit) = self.daily_limit {
            bound("daily_limit", limit, 1, 96, "must be 1 to 96")?;
        }
        if self.weekly.len() > 7 * 12 {
            return Err(DomainError::Invalid { field: "weekly", reason: "too many ranges" });
        }
        if self.overrides.len() > 366 {
            return Err(DomainError::Invalid { field: "overrides", reason: "at most 366 date overrides" });
        }
        for day in Weekday::ALL {
            let ranges: Vec<TimeRange> = self.weekly.iter().filter(|w| w.day == day).map(|w| w.range).collect();
            check_ranges("weekly", &ranges)?;
        }
        let mut dates: Vec<Date> = self.overrides.iter().map(|o| o.date).collect();
        dates.sort();
        if dates.windows(2).any(|w| w[0] == w[1]) {
            return Err(DomainError::Invalid { field: "overrides", reason: "each date may appear once" });
        }
        for o in &self.overrides {
            if o.hours.len() > 12 {
                return Err(DomainError::Invalid { field: "overrides", reason: "at most 12 ranges per date" });
            }
            check_ranges("overrides", &o.hours)?;
        }
        Ok(())
    }
}

/// Ranges of one day must each be non-empty, minute-aligned and must not overlap.
fn check_ranges(field: &'static str, ranges: &[TimeRange]) -> Result<(), DomainError> {
    let mut mins: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if r.start.second() != 0
            || r.start.subsec_nanosecond() != 0
            || r.end.second() != 0
            || r.end.subsec_nanosecond() != 0
        {
            return Err(DomainError::Invalid { field, reason: "times must be whole minutes" });
        }
        let (s, e) = r.minutes();
        if s >= e {
            return Err(DomainError::Invalid { field, reason: "each range must end after it starts" });
        }
        mins.push((s, e));
    }
    mins.sort();
    if mins.windows(2).any(|w| w[1].0 < w[0].1) {
        return Err(DomainError::Invalid { field, reason: "ranges on one day must not overlap" });
    }
    Ok(())
}
