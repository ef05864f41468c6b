use jiff::civil::{Date, Time, date};

use super::*;
use crate::availability::{DateOverride, TimeRange, Weekday, WeeklyHours};

const ALL_DAYS: [Weekday; 7] = Weekday::ALL;

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn hm(h: i8, m: i8) -> Time {
    Time::constant(h, m, 0, 0)
}

fn range(h1: i8, m1: i8, h2: i8, m2: i8) -> TimeRange {
    TimeRange { start: hm(h1, m1), end: hm(h2, m2) }
}

/// Rules with no buffers, no notice, a year-long window, 50-minute sessions every hour.
fn rules(tz: &str, weekly: &[(Weekday, TimeRange)]) -> AvailabilityRules {
    AvailabilityRules {
        time_zone: tz.to_owned(),
        weekly: weekly.iter().map(|&(day, range)| WeeklyHours { day, range }).collect(),
        overrides: Vec::new(),
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        minimum_notice_minutes: 0,
        booking_window_days: 365,
        slot_interval_minutes: 60,
        session_minutes: 50,
        daily_limit: None,
    }
}

/// The same ranges on every day of the week.
fn every_day(tz: &str, ranges: &[TimeRange]) -> AvailabilityRules {
    let weekly: Vec<(Weekday, TimeRange)> =
        ALL_DAYS.iter().flat_map(|&d| ranges.iter().map(move |&r| (d, r))).collect();
    rules(tz, &weekly)
}

fn now() -> Timestamp {
    ts("2026-01-01T00:00:00Z")
}

fn gen_between(r: &AvailabilityRules, from: &str, to: &str) -> Vec<Slot> {
    generate_slots(r, ts(from), ts(to), now(), &[]).expect("generate")
}

fn starts(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.start.to_string()).collect()
}

fn statuses(slots: &[Slot]) -> Vec<(String, SlotStatus)> {
    slots.iter().map(|s| (s.start.to_string(), s.status)).collect()
}

fn booking(start: &str, end: &str) -> Booking {
    Booking { start: ts(start), end: ts(end) }
}

fn day_off(date: Date) -> DateOverride {
    DateOverride { date, hours: Vec::new() }
}

// ---- plain days -------------------------------------------------------------------------------------

#[test]
fn weekly_hours_produce_hourly_sessions_in_the_providers_zone() {
    // Monday 2026-03-02 in New York is EST (-05:00).
    let r = rules("America/New_York", &[(Weekday::Monday, range(9, 0, 12, 0))]);
    let slots = gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z", "2026-03-02T16:00:00Z"]);
    assert!(slots.iter().all(|s| s.end == s.start + SignedDuration::from_mins(50) && s.status == SlotStatus::Free));
}

#[test]
fn last_session_must_fit_before_the_range_end() {
    let mut r = rules("UTC", &[(Weekday::Monday, range(9, 0, 9, 50))]);
    assert_eq!(starts(&gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z")), ["2026-03-02T09:00:00Z"]);
    r.weekly[0].range = range(9, 0, 9, 49);
    assert!(gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z").is_empty());
}

#[test]
fn override_beats_weekly_hours() {
    let mut r = rules("America/New_York", &[(Weekday::Monday, range(9, 0, 12, 0))]);
    r.overrides.push(DateOverride { date: date(2026, 3, 2), hours: vec![range(13, 0, 15, 0)] });
    let slots = gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-02T18:00:00Z", "2026-03-02T19:00:00Z"]);
    // The next Monday (now EDT, -04:00) keeps the weekly hours.
    let slots = gen_between(&r, "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-09T13:00:00Z", "2026-03-09T14:00:00Z", "2026-03-09T15:00:00Z"]);
}

#[test]
fn override_can_add_hours_on_a_day_without_weekly_hours() {
    let mut r = rules("UTC", &[(Weekday::Monday, range(9, 0, 12, 0))]);
    r.overrides.push(DateOverride { date: date(2026, 3, 7), hours: vec![range(10, 0, 11, 0)] });
    let slots = gen_between(&r, "2026-03-07T00:00:00Z", "2026-03-08T00:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-07T10:00:00Z"]);
}

#[test]
fn empty_override_is_a_day_off() {
    let mut r = rules("America/New_York", &[(Weekday::Monday, range(9, 0, 12, 0))]);
    r.overrides.push(day_off(date(2026, 3, 2)));
    assert!(gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z").is_empty());
    assert_eq!(gen_between(&r, "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z").len(), 3);
}

#[test]
fn end_of_midnight_means_end_of_day() {
    let mut r = every_day("Europe/London", &[range(22, 0, 0, 0)]);
    r.session_minutes = 60;
    // Winter: London is UTC. 22:00 and 23:00 (the latter ending exactly at midnight), nothing after.
    let slots = gen_between(&r, "2026-01-12T12:00:00Z", "2026-01-13T12:00:00Z");
    assert_eq!(starts(&slots), ["2026-01-12T22:00:00Z", "2026-01-12T23:00:00Z"]);
    assert_eq!(slots[1].end, ts("2026-01-13T00:00:00Z"));
    // A whole day 00:00-00:00 is 24 hourly sessions.
    let r = every_day("Europe/London", &[range(0, 0, 0, 0)]);
    assert_eq!(gen_between(&r, "2026-01-12T00:00:00Z", "2026-01-13T00:00:00Z").len(), 24);
}

#[test]
fn several_ranges_on_one_day() {
    let r = rules(
        "UTC",
        &[
            (Weekday::Monday, range(13, 0, 17, 0)),
            (Weekday::Monday, range(9, 0, 12, 0)),
            (Weekday::Tuesday, range(8, 0, 9, 0)),
        ],
    );
    let slots = gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-04T00:00:00Z");
    assert_eq!(
        starts(&slots),
        [
            "2026-03-02T09:00:00Z",
            "2026-03-02T10:00:00Z",
            "2026-03-02T11:00:00Z",
            "2026-03-02T13:00:00Z",
            "2026-03-02T14:00:00Z",
            "2026-03-02T15:00:00Z",
            "2026-03-02T16:00:00Z",
            "2026-03-03T08:00:00Z",
        ]
    );
}

#[test]
fn only_starts_inside_from_to_are_returned() {
    let r = every_day("UTC", &[range(9, 0, 12, 0)]);
    // from just after 09:00 drops 09:00; to exactly 11:00 is exclusive.
    let slots = gen_between(&r, "2026-03-02T09:00:00.000000001Z", "2026-03-02T11:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-02T10:00:00Z"]);
    let slots = gen_between(&r, "2026-03-02T09:00:00Z", "2026-03-02T11:00:00.000000001Z");
    assert_eq!(starts(&slots), ["2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"]);
}

#[test]
fn interval_shorter_than_session_overlaps_candidates() {
    let mut r = every_day("UTC", &[range(9, 0, 11, 0)]);
    r.slot_interval_minutes = 30;
    r.session_minutes = 60;
    let slots = gen_between(&r, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-02T09:00:00Z", "2026-03-02T09:30:00Z", "2026-03-02T10:00:00Z"]);
}

// ---- buffers, notice, window, daily limit ------------------------------------------------------------

#[test]
fn blocked_range_adds_both_buffers() {
    let mut r = rules("UTC", &[]);
    r.buffer_before_minutes = 15;
    r.buffer_after_minutes = 10;
    assert_eq!(
        blocked_range(&r, ts("2026-03-02T10:00:00Z"), ts("2026-03-02T10:50:00Z")),
        (ts("2026-03-02T09:45:00Z"), ts("2026-03-02T11:00:00Z"))
    );
    // Saturates instead of panicking at the ends of time.
    assert_eq!(blocked_range(&r, Timestamp::MIN, Timestamp::MAX), (Timestamp::MIN, Timestamp::MAX));
}

#[test]
fn after_buffer_blocks_the_following_candidates() {
    let mut r = every_day("UTC", &[range(8, 0, 13, 0)]);
    r.slot_interval_minutes = 5;
    r.buffer_after_minutes = 10;
    let b = [booking("2026-03-02T10:00:00Z", "2026-03-02T10:50:00Z")];
    let slots =
        generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-03T00:00:00Z"), now(), &b).expect("generate");
    let status = |t: &str| slots.iter().find(|s| s.start == ts(t)).map(|s| s.status);
    // Candidate 09:00 (blocked until 10:00) just touches the booking's range [10:00, 11:00).
    assert_eq!(status("2026-03-02T09:00:00Z"), Some(SlotStatus::Free));
    assert_eq!(status("2026-03-02T09:05:00Z"), Some(SlotStatus::Busy));
    assert_eq!(status("2026-03-02T10:55:00Z"), Some(SlotStatus::Busy));
    assert_eq!(status("2026-03-02T11:00:00Z"), Some(SlotStatus::Free));
}

#[test]
fn before_buffer_applies_to_candidates_and_bookings() {
    let mut r = every_day("UTC", &[range(8, 0, 13, 0)]);
    r.slot_interval_minutes = 5;
    r.buffer_before_minutes = 10;
    r.buffer_after_minutes = 10;
    let b = [booking("2026-03-02T10:00:00Z", "2026-03-02T10:50:00Z")];
    let slots =
        generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-03T00:00:00Z"), now(), &b).expect("generate");
    let status = |t: &str| slots.iter().find(|s| s.start == ts(t)).map(|s| s.status);
    // Booking blocks [09:50, 11:00); candidate at s blocks [s - 10, s + 60).
    assert_eq!(status("2026-03-02T08:50:00Z"), Some(SlotStatus::Free));
    assert_eq!(status("2026-03-02T08:55:00Z"), Some(SlotStatus::Busy));
    assert_eq!(status("2026-03-02T11:05:00Z"), Some(SlotStatus::Busy));
    assert_eq!(status("2026-03-02T11:10:00Z"), Some(SlotStatus::Free));
}

#[test]
fn no_buffers_means_touching_sessions_are_free() {
    let mut r10 = every_day("UTC", &[range(8, 0, 13, 0)]);
    r10.slot_interval_minutes = 10;
    let b = [booking("2026-03-02T10:00:00Z", "2026-03-02T10:50:00Z")];
    let slots =
        generate_slots(&r10, ts("2026-03-02T00:00:00Z"), ts("2026-03-03T00:00:00Z"), now(), &b).expect("generate");
    let busy: Vec<String> =
        slots.iter().filter(|s| s.status == SlotStatus::Busy).map(|s| s.start.to_string()).collect();
    // s busy iff s < 10:50 and s + 50 > 10:00.
    assert_eq!(busy.first().map(String::as_str), Some("2026-03-02T09:20:00Z"));
    assert_eq!(busy.last().map(String::as_str), Some("2026-03-02T10:40:00Z"));
    assert_eq!(busy.len(), 9);
}

#[test]
fn many_unsorted_bookings_are_all_seen() {
    let r = every_day("UTC", &[range(8, 0, 18, 0)]);
    let b = [
        booking("2026-03-02T16:00:00Z", "2026-03-02T16:50:00Z"),
        booking("2026-03-02T08:00:00Z", "2026-03-02T12:00:00Z"),
        booking("2026-03-02T09:00:00Z", "2026-03-02T09:50:00Z"),
        booking("2026-03-02T13:30:00Z", "2026-03-02T13:40:00Z"),
    ];
    let slots =
        generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-03T00:00:00Z"), now(), &b).expect("generate");
    let free: Vec<String> =
        slots.iter().filter(|s| s.status == SlotStatus::Free).map(|s| s.start.to_string()).collect();
    assert_eq!(free, ["2026-03-02T12:00:00Z", "2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z", "2026-03-02T17:00:00Z"]);
}

#[test]
fn minimum_notice_and_booking_window_are_respected() {
    let mut r = every_day("America/New_York", &[range(9, 0, 17, 0)]);
    r.minimum_notice_minutes = 60;
    r.booking_window_days = 1;
    // 09:30 EST on Monday 2026-03-02.
    let now = ts("2026-03-02T14:30:00Z");
    let slots = generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-05T00:00:00Z"), now, &[]).expect("generate");
    let s = starts(&slots);
    // 10:00 EST (15:00Z) is inside the notice, 10:30 would be exactly on it but is not a candidate.
    assert_eq!(s.first().map(String::as_str), Some("2026-03-02T16:00:00Z"));
    // The window ends at 2026-03-03T14:30Z: Tuesday 09:00 EST (14:00Z) is in, 10:00 EST out.
    assert_eq!(s.last().map(String::as_str), Some("2026-03-03T14:00:00Z"));
    // Monday 11:00-16:00 EST (six) and Tuesday 09:00 EST.
    assert_eq!(s.len(), 6 + 1);
    // Both bounds are inclusive: a start exactly at now + notice and exactly at now + window is kept.
    let mut r = every_day("UTC", &[range(0, 0, 0, 0)]);
    r.minimum_notice_minutes = 90;
    r.booking_window_days = 1;
    let now = ts("2026-03-02T08:30:00Z");
    let slots = generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-04T00:00:00Z"), now, &[]).expect("generate");
    assert_eq!(slots.first().map(|s| s.start), Some(ts("2026-03-02T10:00:00Z")));
    let now = ts("2026-03-02T08:00:00Z");
    let slots = generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-04T00:00:00Z"), now, &[]).expect("generate");
    assert_eq!(slots.first().map(|s| s.start), Some(ts("2026-03-02T10:00:00Z")));
    assert_eq!(slots.last().map(|s| s.start), Some(ts("2026-03-03T08:00:00Z")));
    // Nothing in the past even with no notice.
    r.minimum_notice_minutes = 0;
    let slots = generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-03T00:00:00Z"), now, &[]).expect("generate");
    assert_eq!(slots.first().map(|s| s.start), Some(now));
}

#[test]
fn daily_limit_marks_the_rest_of_the_local_day_unavailable() {
    let mut r = every_day("America/New_York", &[range(9, 0, 12, 0), range(20, 0, 22, 0)]);
    r.daily_limit = Some(2);
    // Monday 2026-03-02 (EST): a booking at 09:00 and one at 21:00 local, which is already Tuesday in UTC.
    let b = [
        booking("2026-03-02T14:00:00Z", "2026-03-02T14:50:00Z"),
        booking("2026-03-03T02:00:00Z", "2026-03-03T02:50:00Z"),
    ];
    let slots =
        generate_slots(&r, ts("2026-03-02T05:00:00Z"), ts("2026-03-04T05:00:00Z"), now(), &b).expect("generate");
    assert_eq!(
        statuses(&slots),
        [
            ("2026-03-02T14:00:00Z".to_owned(), SlotStatus::Busy),
            ("2026-03-02T15:00:00Z".to_owned(), SlotStatus::BusyUnavailable),
            ("2026-03-02T16:00:00Z".to_owned(), SlotStatus::BusyUnavailable),
            ("2026-03-03T01:00:00Z".to_owned(), SlotStatus::BusyUnavailable),
            ("2026-03-03T02:00:00Z".to_owned(), SlotStatus::Busy),
            // Tuesday local: no bookings yet.
            ("2026-03-03T14:00:00Z".to_owned(), SlotStatus::Free),
            ("2026-03-03T15:00:00Z".to_owned(), SlotStatus::Free),
            ("2026-03-03T16:00:00Z".to_owned(), SlotStatus::Free),
            ("2026-03-04T01:00:00Z".to_owned(), SlotStatus::Free),
            ("2026-03-04T02:00:00Z".to_owned(), SlotStatus::Free),
        ]
    );
    // Below the limit nothing changes.
    r.daily_limit = Some(3);
    let slots =
        generate_slots(&r, ts("2026-03-02T05:00:00Z"), ts("2026-03-03T05:00:00Z"), now(), &b).expect("generate");
    assert!(slots.iter().all(|s| s.status != SlotStatus::BusyUnavailable));
}

#[test]
fn generate_rejects_bad_ranges_and_bad_rules() {
    let r = every_day("UTC", &[range(9, 0, 17, 0)]);
    let t0 = ts("2026-03-02T00:00:00Z");
    assert!(matches!(generate_slots(&r, t0, t0, now(), &[]), Err(DomainError::Invalid { field: "to", .. })));
    let earlier = t0 - SignedDuration::from_secs(1);
    assert!(matches!(generate_slots(&r, t0, earlier, now(), &[]), Err(DomainError::Invalid { field: "to", .. })));
    let max = t0 + SignedDuration::from_hours(24 * MAX_RANGE_DAYS);
    assert!(generate_slots(&r, t0, max, now(), &[]).is_ok());
    let too_long = max + SignedDuration::from_nanos(1);
    assert!(matches!(generate_slots(&r, t0, too_long, now(), &[]), Err(DomainError::Invalid { field: "to", .. })));
    let mut bad = r.clone();
    bad.session_minutes = 5;
    assert!(matches!(
        generate_slots(&bad, t0, max, now(), &[]),
        Err(DomainError::Invalid { field: "session_minutes", .. })
    ));
    // Rules are checked before the range.
    assert!(matches!(
        generate_slots(&bad, t0, t0, now(), &[]),
        Err(DomainError::Invalid { field: "session_minutes", .. })
    ));
    let mut unknown = r.clone();
    unknown.time_zone = "Mars/Olympus_Mons".to_owned();
    assert_eq!(generate_slots(&unknown, t0, max, now(), &[]), Err(DomainError::UnknownTimeZone));
}

#[test]
fn generate_survives_the_ends_of_time() {
    let r = every_day("Pacific/Kiritimati", &[range(0, 0, 0, 0)]);
    for (from, to) in [
        (Timestamp::MIN, Timestamp::MIN + SignedDuration::from_hours(48)),
        (Timestamp::MAX - SignedDuration::from_hours(48), Timestamp::MAX),
    ] {
        let slots = generate_slots(&r, from, to, from, &[Booking { start: from, end: to }]).expect("generate");
        assert!(slots.windows(2).all(|w| w[0].start < w[1].start));
        let _ = check_bookable(&r, to, from, &[]);
        let _ = check_bookable(&r, from, to, &[]);
    }
}

// ---- DST ----------------------------------------------------------------------------------------------

#[test]
fn new_york_spring_forward_has_no_slot_in_the_gap() {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z).
    let r = every_day("America/New_York", &[range(0, 0, 4, 0)]);
    let slots = gen_between(&r, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z");
    // 00:00 EST, 01:00 EST, 03:00 EDT.
    assert_eq!(starts(&slots), ["2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z"]);
}

#[test]
fn new_york_fall_back_has_no_missing_hour() {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00Z); 01:00-02:00 happens twice.
    let r = every_day("America/New_York", &[range(0, 0, 4, 0)]);
    let slots = gen_between(&r, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");
    // 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST, 03:00 EST.
    assert_eq!(
        starts(&slots),
        [
            "2026-11-01T04:00:00Z",
            "2026-11-01T05:00:00Z",
            "2026-11-01T06:00:00Z",
            "2026-11-01T07:00:00Z",
            "2026-11-01T08:00:00Z"
        ]
    );
    let tz = TimeZone::get("America/New_York").expect("zone");
    let local: Vec<String> = slots.iter().map(|s| tz.to_datetime(s.start).time().to_string()).collect();
    assert_eq!(local, ["00:00:00", "01:00:00", "01:00:00", "02:00:00", "03:00:00"]);
}

#[test]
fn new_york_ranges_starting_or_ending_in_the_gap() {
    let day = "2026-03-08T00:00:00Z";
    let next = "2026-03-09T00:00:00Z";
    // Start 02:30 does not exist: the range starts at the transition, 03:00 EDT (07:00Z); ends 05:00 EDT.
    let r = every_day("America/New_York", &[range(2, 30, 5, 0)]);
    assert_eq!(starts(&gen_between(&r, day, next)), ["2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"]);
    // End 02:30 does not exist: the range ends at the transition (07:00Z).
    let r = every_day("America/New_York", &[range(0, 0, 2, 30)]);
    assert_eq!(starts(&gen_between(&r, day, next)), ["2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z"]);
    // A range entirely inside the gap is empty.
    let r = every_day("America/New_York", &[range(2, 0, 3, 0)]);
    assert!(gen_between(&r, day, next).is_empty());
    // Ending 03:00 EDT: 01:00 EST (06:00Z) fits since only one hour elapses until 07:00Z.
    let r = every_day("America/New_York", &[range(1, 0, 3, 0)]);
    assert_eq!(starts(&gen_between(&r, day, next)), ["2026-03-08T06:00:00Z"]);
}

#[test]
fn new_york_ranges_starting_or_ending_in_the_fold() {
    let day = "2026-11-01T00:00:00Z";
    let next = "2026-11-02T00:00:00Z";
    // End 01:30 is ambiguous: the later one (01:30 EST = 06:30Z) ends the range.
    let mut r = every_day("America/New_York", &[range(0, 0, 1, 30)]);
    r.slot_interval_minutes = 30;
    assert_eq!(
        starts(&gen_between(&r, day, next)),
        ["2026-11-01T04:00:00Z", "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z"]
    );
    // Start 01:30 is ambiguous: the earlier one (01:30 EDT = 05:30Z) starts it; 03:00 EST = 08:00Z ends it.
    let r = every_day("America/New_York", &[range(1, 30, 3, 0)]);
    assert_eq!(starts(&gen_between(&r, day, next)), ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"]);
}

#[test]
fn ranges_that_overlap_in_time_after_a_fold_give_unique_starts() {
    // 00:00-01:30 ends at 06:30Z, 01:30-03:00 starts at 05:30Z: both produce 05:30Z and 06:00Z.
    let mut r = every_day("America/New_York", &[range(0, 0, 1, 30), range(1, 30, 3, 0)]);
    r.slot_interval_minutes = 30;
    r.session_minutes = 30;
    let slots = gen_between(&r, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");
    let expected: Vec<String> =
        (0..8).map(|k| (ts("2026-11-01T04:00:00Z") + SignedDuration::from_mins(30 * k)).to_string()).collect();
    assert_eq!(starts(&slots), expected);
}

#[test]
fn london_spring_forward() {
    // 2026-03-29: 01:00 GMT jumps to 02:00 BST (01:00Z).
    let r = every_day("Europe/London", &[range(0, 0, 4, 0)]);
    let slots = gen_between(&r, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"]);
    // A start of 01:30 (in the gap) moves to the transition.
    let r = every_day("Europe/London", &[range(1, 30, 4, 0)]);
    let slots = gen_between(&r, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z");
    assert_eq!(starts(&slots), ["2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"]);
}

#[test]
fn london_fall_back() {
    // 2026-10-25: 02:00 BST falls back to 01:00 GMT (01:00Z).
    let r = every_day("Europe/London", &[range(0, 0, 4, 0)]);
    let slots = gen_between(&r, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z");
    assert_eq!(
        starts(&slots),
        [
            "2026-10-24T23:00:00Z",
            "2026-10-25T00:00:00Z",
            "2026-10-25T01:00:00Z",
            "2026-10-25T02:00:00Z",
            "2026-10-25T03:00:00Z"
        ]
    );
    // Ending in the fold at 01:30 takes the later 01:30 (GMT).
    let mut r = every_day("Europe/London", &[range(0, 0, 1, 30)]);
    r.session_minutes = 90;
    r.slot_interval_minutes = 30;
    let slots = gen_between(&r, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z");
    assert_eq!(starts(&slots), ["2026-10-24T23:00:00Z", "2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z"]);
}

#[test]
fn lord_howe_half_hour_shifts() {
    let mut r = every_day("Australia/Lord_Howe", &[range(0, 0, 4, 0)]);
    r.slot_interval_minutes = 30;
    r.session_minutes = 30;
    // 2026-10-04: 02:00 +10:30 jumps to 02:30 +11 (15:30Z): 3.5 hours elapse, 7 sessions.
    let slots = gen_between(&r, "2026-10-03T06:00:00Z", "2026-10-04T06:00:00Z");
    let expected: Vec<String> =
        (0..7).map(|k| (ts("2026-10-03T13:30:00Z") + SignedDuration::from_mins(30 * k)).to_string()).collect();
    assert_eq!(starts(&slots), expected);
    // 2026-04-05: 02:00 +11 falls back to 01:30 +10:30 (15:00Z): 4.5 hours elapse, 9 sessions.
    let slots = gen_between(&r, "2026-04-04T06:00:00Z", "2026-04-05T06:00:00Z");
    let expected: Vec<String> =
        (0..9).map(|k| (ts("2026-04-04T13:00:00Z") + SignedDuration::from_mins(30 * k)).to_string()).collect();
    assert_eq!(starts(&slots), expected);
    // Starting inside the half-hour gap moves to the transition.
    let r2 = AvailabilityRules { weekly: every_day("Australia/Lord_Howe", &[range(2, 15, 3, 0)]).weekly, ..r };
    let slots = gen_between(&r2, "2026-10-03T06:00:00Z", "2026-10-04T06:00:00Z");
    assert_eq!(starts(&slots), ["2026-10-03T15:30:00Z"]);
}

#[test]
fn santiago_transitions_at_midnight() {
    // Chile: 2026-09-06 00:00 -04 jumps to 01:00 -03 (04:00Z); 2026-04-05 00:00 -03 falls back to 23:00 -04
    // of April 4 (03:00Z).
    let r = rules("America/Santiago", &[(Weekday::Saturday, range(22, 0, 0, 0)), (Weekday::Sunday, range(0, 0, 3, 0))]);
    // Saturday's end (midnight) lies in the gap: the transition. Sunday's start (midnight) likewise.
    let slots = gen_between(&r, "2026-09-05T12:00:00Z", "2026-09-06T12:00:00Z");
    assert_eq!(
        starts(&slots),
        ["2026-09-06T02:00:00Z", "2026-09-06T03:00:00Z", "2026-09-06T04:00:00Z", "2026-09-06T05:00:00Z"]
    );
    // Saturday 22:00 -03 to Sunday 00:00 -04 is three elapsed hours.
    let slots = gen_between(&r, "2026-04-04T12:00:00Z", "2026-04-05T06:00:00Z");
    assert_eq!(
        starts(&slots),
        [
            "2026-04-05T01:00:00Z",
            "2026-04-05T02:00:00Z",
            "2026-04-05T03:00:00Z",
            "2026-04-05T04:00:00Z",
            "2026-04-05T05:00:00Z"
        ]
    );
}

#[test]
fn havana_fold_after_midnight_keeps_the_previous_days_range() {
    // Cuba 2026-11-01: 01:00 CDT falls back to 00:00 CST (05:00Z), so Sunday 00:00-01:00 happens twice.
    // Saturday's 22:00-00:00 ends at the later midnight: its third session starts at the first Sunday
    // 00:00 (04:00Z), which a window starting that Sunday must still see.
    let r = rules("America/Havana", &[(Weekday::Saturday, range(22, 0, 0, 0))]);
    let slots = gen_between(&r, "2026-10-31T12:00:00Z", "2026-11-01T12:00:00Z");
    assert_eq!(starts(&slots), ["2026-11-01T02:00:00Z", "2026-11-01T03:00:00Z", "2026-11-01T04:00:00Z"]);
    let slots = gen_between(&r, "2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z");
    assert_eq!(starts(&slots), ["2026-11-01T04:00:00Z"]);
    assert!(check_bookable(&r, ts("2026-11-01T04:00:00Z"), now(), &[]).is_ok());
}

#[test]
fn riyadh_has_no_transitions() {
    let r = every_day("Asia/Riyadh", &[range(0, 0, 4, 0)]);
    let slots = gen_between(&r, "2026-03-07T12:00:00Z", "2026-03-08T12:00:00Z");
    assert_eq!(
        starts(&slots),
        ["2026-03-07T21:00:00Z", "2026-03-07T22:00:00Z", "2026-03-07T23:00:00Z", "2026-03-08T00:00:00Z"]
    );
}

// ---- check_bookable ----------------------------------------------------------------------------------

fn bookable_rules() -> AvailabilityRules {
    let mut r = every_day("America/New_York", &[range(0, 0, 4, 0), range(9, 0, 17, 0)]);
    r.minimum_notice_minutes = 12 * 60;
    r.booking_window_days = 30;
    r.buffer_after_minutes = 10;
    r
}

#[test]
fn check_bookable_accepts_a_free_slot() {
    let r = bookable_rules();
    let now = ts("2026-03-01T00:00:00Z");
    let slot = check_bookable(&r, ts("2026-03-02T14:00:00Z"), now, &[]).expect("bookable");
    assert_eq!(
        slot,
        Slot { start: ts("2026-03-02T14:00:00Z"), end: ts("2026-03-02T14:50:00Z"), status: SlotStatus::Free }
    );
    let all = generate_slots(&r, ts("2026-03-02T00:00:00Z"), ts("2026-03-03T00:00:00Z"), now, &[]).expect("generate");
    assert!(all.contains(&slot));
}

#[test]
fn check_bookable_on_dst_days() {
    let r = bookable_rules();
    let now = ts("2026-10-20T00:00:00Z");
    // Both 01:00s of the fall-back night are bookable.
    assert!(check_bookable(&r, ts("2026-11-01T05:00:00Z"), now, &[]).is_ok());
    assert!(check_bookable(&r, ts("2026-11-01T06:00:00Z"), now, &[]).is_ok());
    // A booking at the first 01:00 (blocking 05:00Z-06:00Z with its buffer) leaves the second 01:00 free.
    let b = [booking("2026-11-01T05:00:00Z", "2026-11-01T05:50:00Z")];
    assert!(check_bookable(&r, ts("2026-11-01T06:00:00Z"), now, &b).is_ok());
    assert_eq!(check_bookable(&r, ts("2026-11-01T05:00:00Z"), now, &b), Err(DomainError::SlotTaken));
    // Spring forward: 01:00 EST (06:00Z) and 03:00 EDT (07:00Z) are slots; 06:30Z and 08:00Z are not.
    let now = ts("2026-03-01T00:00:00Z");
    assert!(check_bookable(&r, ts("2026-03-08T07:00:00Z"), now, &[]).is_ok());
    assert!(check_bookable(&r, ts("2026-03-08T06:00:00Z"), now, &[]).is_ok());
    assert_eq!(check_bookable(&r, ts("2026-03-08T06:30:00Z"), now, &[]), Err(DomainError::SlotUnaligned));
    assert_eq!(check_bookable(&r, ts("2026-03-08T08:00:00Z"), now, &[]), Err(DomainError::SlotUnaligned));
}

#[test]
fn check_bookable_error_paths_in_order() {
    let r = bookable_rules();
    let now = ts("2026-03-01T12:00:00Z");
    // Invalid rules beat everything else.
    let mut bad = r.clone();
    bad.slot_interval_minutes = 0;
    assert!(matches!(
        check_bookable(&bad, ts("2020-01-01T00:00:00Z"), now, &[]),
        Err(DomainError::Invalid { field: "slot_interval_minutes", .. })
    ));
    let mut unknown = r.clone();
    unknown.time_zone = "Not/AZone".to_owned();
    assert_eq!(check_bookable(&unknown, ts("2020-01-01T00:00:00Z"), now, &[]), Err(DomainError::UnknownTimeZone));
    // In the past, and inside the 12-hour notice (even when unaligned).
    assert_eq!(check_bookable(&r, ts("2026-02-27T14:00:00Z"), now, &[]), Err(DomainError::TooSoon));
    assert_eq!(check_bookable(&r, ts("2026-03-01T23:59:59Z"), now, &[]), Err(DomainError::TooSoon));
    // Exactly at now + notice is not too soon (Sunday 19:00 EST is not a slot though).
    assert_eq!(check_bookable(&r, ts("2026-03-02T00:00:00Z"), now, &[]), Err(DomainError::SlotUnaligned));
    // Beyond the 30-day window (even when aligned); exactly at its end is fine.
    assert_eq!(check_bookable(&r, ts("2026-04-01T14:00:00Z"), now, &[]), Err(DomainError::TooFarAhead));
    let mut open = every_day("UTC", &[range(0, 0, 0, 0)]);
    open.booking_window_days = 1;
    assert!(check_bookable(&open, ts("2026-03-02T12:00:00Z"), now, &[]).is_ok());
    assert_eq!(check_bookable(&open, ts("2026-03-02T12:00:00.000000001Z"), now, &[]), Err(DomainError::TooFarAhead));
    // Not a candidate start: off the grid, outside the hours, a nanosecond late, a day off.
    assert_eq!(check_bookable(&r, ts("2026-03-02T14:30:00Z"), now, &[]), Err(DomainError::SlotUnaligned));
    assert_eq!(check_bookable(&r, ts("2026-03-02T23:00:00Z"), now, &[]), Err(DomainError::SlotUnaligned));
    assert_eq!(check_bookable(&r, ts("2026-03-02T14:00:00.000000001Z"), now, &[]), Err(DomainError::SlotUnaligned));
    let mut off = r.clone();
    off.overrides.push(day_off(date(2026, 3, 2)));
    assert_eq!(check_bookable(&off, ts("2026-03-02T14:00:00Z"), now, &[]), Err(DomainError::SlotUnaligned));
    // Overlapping a booking, directly or through the buffer.
    let b = [booking("2026-03-02T15:00:00Z", "2026-03-02T15:50:00Z")];
    assert_eq!(check_bookable(&r, ts("2026-03-02T15:00:00Z"), now, &b), Err(DomainError::SlotTaken));
    let b = [booking("2026-03-02T14:55:00Z", "2026-03-02T14:56:00Z")];
    assert_eq!(check_bookable(&r, ts("2026-03-02T14:00:00Z"), now, &b), Err(DomainError::SlotTaken));
    // Daily limit reached on that local day (Monday), but taken beats the limit.
    let mut limited = r.clone();
    limited.daily_limit = Some(1);
    let b = [booking("2026-03-02T15:00:00Z", "2026-03-02T15:50:00Z")];
    assert_eq!(check_bookable(&limited, ts("2026-03-02T18:00:00Z"), now, &b), Err(DomainError::DailyLimitReached));
    assert_eq!(check_bookable(&limited, ts("2026-03-02T15:00:00Z"), now, &b), Err(DomainError::SlotTaken));
    assert!(check_bookable(&limited, ts("2026-03-03T14:00:00Z"), now, &b).is_ok());
}
