//! DST-correct slot generation from availability rules.
//!
//! For every local date of the provider's zone, each working range (an override for the date beats the
//! weekly hours) is turned into an interval of instants: a start inside a DST gap moves to the transition
//! instant, a start inside a fold takes the earlier instant; an end inside a gap moves to the transition
//! instant, an end inside a fold takes the later instant, and an end of `00:00` is midnight at the end of
//! the date. Candidates then step through that interval in elapsed (absolute) time, so a fall-back night
//! has no missing hour, a spring-forward night has no slot inside the gap, and no two slots share a start.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{AvailabilityRules, DomainError, SlotStatus, TimeRange};

/// The longest range one call may generate slots for, in days.
pub const MAX_RANGE_DAYS: i64 = 62;

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 24 * 60 * 60;
/// Bookings this far (or less) from the generated range can share a local date with a candidate: one
/// day plus the largest possible jump of a zone's offset, with room to spare.
const DATE_MARGIN_SECONDS: i64 = 3 * SECONDS_PER_DAY;

/// An existing appointment that holds time: the session itself, without buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    /// Session start.
    pub start: Timestamp,
    /// Session end (exclusive).
    pub end: Timestamp,
}

/// A bookable (or not) candidate time, FHIR `Slot`-like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// Session start (UTC instant).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    /// Session end (UTC instant, exclusive).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: Timestamp,
    /// FHIR slot status.
    pub status: SlotStatus,
}

/// The time an appointment blocks: `[start - buffer_before, end + buffer_after)`.
pub fn blocked_range(rules: &AvailabilityRules, start: Timestamp, end: Timestamp) -> (Timestamp, Timestamp) {
    let before = SignedDuration::from_mins(i64::from(rules.buffer_before_minutes));
    let after = SignedDuration::from_mins(i64::from(rules.buffer_after_minutes));
    (start.saturating_sub(before).unwrap_or(Timestamp::MIN), end.saturating_add(after).unwrap_or(Timestamp::MAX))
}

/// Every candidate slot whose start lies in `[from, to)`, in start order.
pub fn generate_slots(
    rules: &AvailabilityRules,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
    bookings: &[Booking],
) -> Result<Vec<Slot>, DomainError> {
    let tz = prepare(rules)?;
    if from >= to {
        return Err(DomainError::Invalid { field: "to", reason: "must be after from" });
    }
    if to.duration_since(from) > SignedDuration::from_hours(MAX_RANGE_DAYS * 24) {
        return Err(DomainError::Invalid { field: "to", reason: "at most 62 days after from" });
    }
    let (earliest, latest) = start_bounds(rules, now);
    let lo = ceil_second(from).max(earliest);
    let hi = ceil_second(to).min(latest.saturating_add(1));
    let starts = candidate_starts(rules, &tz, lo, hi);
    Ok(with_status(rules, &tz, &starts, bookings))
}

/// Checks that a session may be booked at `start`: returns the slot, or why not.
pub fn check_bookable(
    rules: &AvailabilityRules,
    start: Timestamp,
    now: Timestamp,
    bookings: &[Booking],
) -> Result<Slot, DomainError> {
    let tz = prepare(rules)?;
    let (start_ns, now_ns) = (start.as_nanosecond(), now.as_nanosecond());
    let notice_ns = i128::from(rules.minimum_notice_minutes) * 60 * NANOS_PER_SECOND;
    let window_ns = i128::from(rules.booking_window_days) * i128::from(SECONDS_PER_DAY) * NANOS_PER_SECOND;
    if start_ns < now_ns + notice_ns {
        return Err(DomainError::TooSoon);
    }
    if start_ns > now_ns + window_ns {
        return Err(DomainError::TooFarAhead);
    }
    if start.subsec_nanosecond() != 0 {
        return Err(DomainError::SlotUnaligned);
    }
    let s = start.as_second();
    let starts = candidate_starts(rules, &tz, s, s.saturating_add(1));
    let slot = with_status(rules, &tz, &starts, bookings)
        .into_iter()
        .find(|slot| slot.start == start)
        .ok_or(DomainError::SlotUnaligned)?;
    match slot.status {
        SlotStatus::Free => Ok(slot),
        SlotStatus::BusyUnavailable => Err(DomainError::DailyLimitReached),
        SlotStatus::Busy | SlotStatus::BusyTentative => Err(DomainError::SlotTaken),
    }
}

/// Validates the rules and resolves their zone once.
fn prepare(rules: &AvailabilityRules) -> Result<TimeZone, DomainError> {
    rules.validate()?;
    TimeZone::get(&rules.time_zone).map_err(|_| DomainError::UnknownTimeZone)
}

/// The earliest and latest allowed slot start in whole seconds, from the notice and the booking window.
fn start_bounds(rules: &AvailabilityRules, now: Timestamp) -> (i64, i64) {
    let notice = i64::from(rules.minimum_notice_minutes) * 60;
    let window = i64::from(rules.booking_window_days) * SECONDS_PER_DAY;
    (ceil_second(now).saturating_add(notice), floor_second(now).saturating_add(window))
}

/// The smallest whole second at or after `t`.
fn ceil_second(t: Timestamp) -> i64 {
    t.as_second() + i64::from(t.subsec_nanosecond() > 0)
}

/// The largest whole second at or before `t`.
fn floor_second(t: Timestamp) -> i64 {
    t.as_second() - i64::from(t.subsec_nanosecond() < 0)
}

/// The local date of an instant given in seconds (clamped to the representable range).
fn local_date(tz: &TimeZone, second: i64) -> Date {
    let clamped = second.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    tz.to_datetime(Timestamp::from_second(clamped).unwrap_or(Timestamp::MIN)).date()
}

/// Sorted, unique candidate starts in whole seconds with `lo <= start < hi`.
fn candidate_starts(rules: &AvailabilityRules, tz: &TimeZone, lo: i64, hi: i64) -> Vec<i64> {
    let mut out = Vec::new();
    if lo >= hi {
        return out;
    }
    let session = i64::from(rules.session_minutes) * 60;
    let interval = (i64::from(rules.slot_interval_minutes) * 60).max(1);
    let first = local_date(tz, lo);
    let first = first.yesterday().unwrap_or(first);
    let last = local_date(tz, hi - 1);
    let last = last.tomorrow().unwrap_or(last);
    let mut day = first;
    loop {
        for range in rules.ranges_on(day) {
            let Some((start, end)) = range_instants(tz, day, &range) else {
                continue;
            };
            let mut s = start;
            if s < lo {
                s += (lo - s + interval - 1) / interval * interval;
            }
            while s < hi && s.saturating_add(session) <= end {
                out.push(s);
                s = s.saturating_add(interval);
            }
        }
        match day.tomorrow() {
            Ok(next) if day < last => day = next,
            _ => break,
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The instants (whole seconds) a local range of `day` spans, or `None` outside the supported years.
fn range_instants(tz: &TimeZone, day: Date, range: &TimeRange) -> Option<(i64, i64)> {
    let start = resolve(tz, day.to_datetime(range.start), false)?;
    let end_dt = if range.ends_at_midnight() {
        day.tomorrow().ok()?.to_datetime(Time::midnight())
    } else {
        day.to_datetime(range.end)
    };
    let end = resolve(tz, end_dt, true)?;
    Some((start.as_second(), end.as_second()))
}

/// A local datetime as an instant: a gap gives the transition instant; a fold gives the earlier instant
/// for a start and the later one for an end.
fn resolve(tz: &TimeZone, dt: DateTime, is_end: bool) -> Option<Timestamp> {
    let offset = match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset,
        AmbiguousOffset::Fold { before, after } => {
            if is_end {
                after
            } else {
                before
            }
        }
        AmbiguousOffset::Gap { before, after } => return gap_transition(tz, dt, before, after),
    };
    offset.to_timestamp(dt).ok()
}

/// The transition instant of the gap that contains `dt`: after `dt - after` and at most `dt - before`.
fn gap_transition(tz: &TimeZone, dt: DateTime, before: Offset, after: Offset) -> Option<Timestamp> {
    let lower = after.to_timestamp(dt).ok()?;
    let upper = before.to_timestamp(dt).ok()?;
    let transition = tz.following(lower).next().map(|t| t.timestamp());
    Some(transition.filter(|t| *t > lower && *t <= upper).unwrap_or(upper))
}

/// Turns sorted candidate starts into slots with their status, in one pass over the sorted bookings.
fn with_status(rules: &AvailabilityRules, tz: &TimeZone, starts: &[i64], bookings: &[Booking]) -> Vec<Slot> {
    let (Some(&lo), Some(&hi)) = (starts.first(), starts.last()) else {
        return Vec::new();
    };
    let session = i64::from(rules.session_minutes) * 60;
    let before_ns = i128::from(rules.buffer_before_minutes) * 60 * NANOS_PER_SECOND;
    let after_ns = i128::from(rules.buffer_after_minutes) * 60 * NANOS_PER_SECOND;
    let blocks_lo = i128::from(lo) * NANOS_PER_SECOND - before_ns;
    let blocks_hi = i128::from(hi.saturating_add(session)) * NANOS_PER_SECOND + after_ns;
    // Buffered ranges of the bookings that can touch a candidate's buffered range, by start.
    let mut blocks: Vec<(i128, i128)> = bookings
        .iter()
        .map(|b| (b.start.as_nanosecond() - before_ns, b.end.as_nanosecond() + after_ns))
        .filter(|&(s, e)| s < e && e > blocks_lo && s < blocks_hi)
        .collect();
    blocks.sort_unstable();
    // Local dates of the bookings that can share a date with a candidate, for the daily limit.
    let mut dates: Vec<Date> = match rules.daily_limit {
        Some(_) => {
            let (near_lo, near_hi) = (lo.saturating_sub(DATE_MARGIN_SECONDS), hi.saturating_add(DATE_MARGIN_SECONDS));
            bookings
                .iter()
                .filter(|b| (near_lo..=near_hi).contains(&b.start.as_second()))
                .map(|b| tz.to_datetime(b.start).date())
                .collect()
        }
        None => Vec::new(),
    };
    dates.sort_unstable();
    let limit = rules.daily_limit.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));

    let mut out = Vec::with_capacity(starts.len());
    let (mut next, mut reach) = (0, i128::MIN);
    for &s in starts {
        let (Ok(start), Ok(end)) = (Timestamp::from_second(s), Timestamp::from_second(s.saturating_add(session)))
        else {
            continue;
        };
        let cand_lo = i128::from(s) * NANOS_PER_SECOND - before_ns;
        let cand_hi = i128::from(s.saturating_add(session)) * NANOS_PER_SECOND + after_ns;
        // `reach` is the latest end among bookings whose buffered range starts before `cand_hi`; the
        // candidate's end only grows, so that prefix only grows.
        while let Some(&(bs, be)) = blocks.get(next) {
            if bs >= cand_hi {
                break;
            }
            reach = reach.max(be);
            next += 1;
        }
        let status = if reach > cand_lo {
            SlotStatus::Busy
        } else if dates.len() >= limit && booked_on(&dates, tz.to_datetime(start).date()) >= limit {
            SlotStatus::BusyUnavailable
        } else {
            SlotStatus::Free
        };
        out.push(Slot { start, end, status });
    }
    out
}

/// How many of the sorted `dates` equal `date`.
fn booked_on(dates: &[Date], date: Date) -> usize {
    dates.partition_point(|d| *d <= date) - dates.partition_point(|d| *d < date)
}

#[cfg(test)]
mod tests;
