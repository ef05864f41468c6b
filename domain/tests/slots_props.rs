//! Property tests for slot generation across DST transitions, against an independent brute-force model.
#![allow(missing_docs)]

use std::collections::BTreeSet;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use proptest::sample::Index;
use psyter_domain::availability::{DateOverride, TimeRange, Weekday, WeeklyHours};
use psyter_domain::slots::{Booking, Slot, blocked_range, check_bookable, generate_slots};
use psyter_domain::{AvailabilityRules, DomainError, SlotStatus};

const ZONES: [&str; 6] =
    ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "America/Havana", "Asia/Riyadh"];

const DAYS: [Weekday; 7] = Weekday::ALL;

const MINUTE: SignedDuration = SignedDuration::from_mins(1);
const DAY: SignedDuration = SignedDuration::from_hours(24);

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

/// The zone's transitions in 2026 and 2027, or a few ordinary instants for a zone without DST.
fn anchors(tz: &TimeZone) -> Vec<Timestamp> {
    let end = ts("2028-01-01T00:00:00Z");
    let found: Vec<Timestamp> =
        tz.following(ts("2026-01-01T00:00:00Z")).map(|t| t.timestamp()).take_while(|t| *t < end).collect();
    if found.is_empty() {
        vec![ts("2026-03-08T07:00:00Z"), ts("2026-10-25T01:00:00Z"), ts("2027-04-04T15:00:00Z")]
    } else {
        found
    }
}

fn minute_time(m: u32) -> Time {
    let m = m % 1440;
    Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).expect("minute of day")
}

/// Up to three non-overlapping ranges of one day, often touching 00:00-04:00 and midnight.
fn day_ranges() -> impl Strategy<Value = Vec<TimeRange>> {
    let point = prop_oneof![
        3 => (0u32..=288).prop_map(|x| x * 5),
        2 => prop::sample::select(vec![0u32, 30, 60, 90, 120, 135, 150, 180, 210, 240, 1380, 1410, 1440]),
    ];
    prop::collection::vec(point, 0..=6).prop_map(|mut pts| {
        pts.sort_unstable();
        pts.dedup();
        pts.chunks_exact(2).map(|c| TimeRange { start: minute_time(c[0]), end: minute_time(c[1]) }).collect()
    })
}

#[derive(Debug, Clone)]
struct Scenario {
    zone: Index,
    anchor: Index,
    weekly: Vec<Vec<TimeRange>>,
    overrides: Vec<(i64, Vec<TimeRange>)>,
    interval: u32,
    session: u32,
    before: u32,
    after: u32,
    notice: u32,
    window: u32,
    limit: Option<u32>,
    from_min: i64,
    len_min: i64,
    now_min: i64,
    now_jitter_ns: i64,
    bookings: Vec<(i64, i64)>,
    probes: Vec<(i64, i64)>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let shape = (
        any::<Index>(),
        any::<Index>(),
        prop::collection::vec(day_ranges(), 7),
        prop::collection::vec((-3i64..=3, day_ranges()), 0..=3),
        5u32..=120,
        10u32..=120,
        0u32..=30,
        0u32..=30,
        prop_oneof![Just(0u32), 0u32..=2880],
        1u32..=6,
        prop::option::of(1u32..=4),
    );
    let times = (
        -2880i64..=1440,
        1i64..=5 * 1440,
        -4320i64..=1440,
        prop_oneof![3 => Just(0i64), 1 => 0i64..1_000_000_000],
        prop::collection::vec((-864i64..=864, 10i64..=180), 0..=10),
        prop::collection::vec((-2880i64..=2880, prop_oneof![3 => Just(0i64), 1 => 1i64..60]), 0..=6),
    );
    (shape, times).prop_map(
        |(
            (zone, anchor, weekly, overrides, interval, session, before, after, notice, window, limit),
            (from_min, len_min, now_min, now_jitter_ns, bookings, probes),
        )| Scenario {
            zone,
            anchor,
            weekly,
            overrides,
            interval,
            session,
            before,
            after,
            notice,
            window,
            limit,
            from_min,
            len_min,
            now_min,
            now_jitter_ns,
            bookings,
            probes,
        },
    )
}

/// Everything a scenario stands for, made concrete.
struct Case {
    tz: TimeZone,
    anchor: Timestamp,
    rules: AvailabilityRules,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
    bookings: Vec<Booking>,
}

fn build(s: &Scenario) -> Case {
    let name = ZONES[s.zone.index(ZONES.len())];
    let tz = TimeZone::get(name).expect("zone");
    let all = anchors(&tz);
    let anchor = all[s.anchor.index(all.len())];
    let anchor_date = tz.to_datetime(anchor).date();
    let weekly = DAYS
        .iter()
        .zip(&s.weekly)
        .flat_map(|(&day, ranges)| ranges.iter().map(move |&range| WeeklyHours { day, range }))
        .collect();
    let mut overrides: Vec<DateOverride> = Vec::new();
    for (offset, hours) in &s.overrides {
        let date = anchor_date.checked_add(jiff::Span::new().days(*offset)).expect("date");
        if overrides.iter().all(|o| o.date != date) {
            overrides.push(DateOverride { date, hours: hours.clone() });
        }
    }
    let rules = AvailabilityRules {
        time_zone: name.to_owned(),
        weekly,
        overrides,
        buffer_before_minutes: s.before,
        buffer_after_minutes: s.after,
        minimum_notice_minutes: s.notice,
        booking_window_days: s.window,
        slot_interval_minutes: s.interval,
        session_minutes: s.session,
        daily_limit: s.limit,
    };
    let from = anchor + mins(s.from_min);
    let to = from + mins(s.len_min);
    let now = from + mins(s.now_min) + SignedDuration::from_nanos(s.now_jitter_ns);
    let bookings = s
        .bookings
        .iter()
        .map(|&(start, len)| {
            let start = anchor + mins(start * 5);
            Booking { start, end: start + mins(len) }
        })
        .collect();
    Case { tz, anchor, rules, from, to, now, bookings }
}

// ---- the independent model --------------------------------------------------------------------------

/// The ranges of a local date, computed without `ranges_on`: the override wins, else the weekly hours.
fn model_ranges(rules: &AvailabilityRules, date: Date) -> Vec<TimeRange> {
    for o in &rules.overrides {
        if o.date == date {
            return o.hours.clone();
        }
    }
    let day = DAYS[date.weekday().to_monday_zero_offset() as usize];
    rules.weekly.iter().filter(|w| w.day == day).map(|w| w.range).collect()
}

/// Brute force over whole minutes (every offset involved is whole minutes). A start is the first instant
/// whose wall time is at or after `dt` (inside a gap: the transition; in a fold: the first pass). An end
/// is the last instant whose wall time is exactly `dt` (in a fold: the second pass) or, when no instant
/// shows `dt` (a gap), the first instant after the last one showing an earlier wall time.
fn scan(tz: &TimeZone, dt: DateTime) -> (Timestamp, Timestamp) {
    let as_utc = dt.to_zoned(TimeZone::UTC).expect("in range").timestamp();
    let guess = as_utc - SignedDuration::from_secs(i64::from(tz.to_offset(as_utc).seconds()));
    let lo = guess - SignedDuration::from_hours(3);
    let steps = 6 * 60;
    let mut first_at_or_after = None;
    let mut last_equal = None;
    let mut last_before = None;
    for i in 0..=steps {
        let t = lo + mins(i);
        let wall = tz.to_datetime(t);
        if first_at_or_after.is_none() && wall >= dt {
            first_at_or_after = Some(t);
        }
        if wall == dt {
            last_equal = Some(t);
        }
        if wall < dt {
            last_before = Some(t);
        }
    }
    assert!(tz.to_datetime(lo) < dt && tz.to_datetime(lo + mins(steps)) > dt, "scan window too small");
    let start = first_at_or_after.expect("start found");
    let end = last_equal.unwrap_or_else(|| last_before.expect("end found") + MINUTE);
    (start, end)
}

/// One local range of one date, as instants.
struct ModelRange {
    date: Date,
    range: TimeRange,
    start: Timestamp,
    end: Timestamp,
}

impl ModelRange {
    fn end_wall(&self) -> DateTime {
        if self.range.end == Time::midnight() {
            self.date.tomorrow().expect("date").to_datetime(Time::midnight())
        } else {
            self.date.to_datetime(self.range.end)
        }
    }

    /// How many sessions fit, stepping in elapsed time.
    fn expected_count(&self, session: SignedDuration, interval: SignedDuration) -> i64 {
        let span = self.end.duration_since(self.start);
        if span < session { 0 } else { (span - session).as_secs() / interval.as_secs() + 1 }
    }
}

fn model(case: &Case) -> Vec<ModelRange> {
    let first = case.tz.to_datetime(case.from).date() - jiff::Span::new().days(2);
    let last = case.tz.to_datetime(case.to).date() + jiff::Span::new().days(2);
    let mut out = Vec::new();
    let mut date = first;
    while date <= last {
        for range in model_ranges(&case.rules, date) {
            let (start, _) = scan(&case.tz, date.to_datetime(range.start));
            let mut m = ModelRange { date, range, start, end: start };
            m.end = scan(&case.tz, m.end_wall()).1;
            out.push(m);
        }
        date = date.tomorrow().expect("date");
    }
    out
}

fn session_of(rules: &AvailabilityRules) -> SignedDuration {
    mins(i64::from(rules.session_minutes))
}

fn interval_of(rules: &AvailabilityRules) -> SignedDuration {
    mins(i64::from(rules.slot_interval_minutes))
}

fn earliest(case: &Case) -> Timestamp {
    case.now + mins(i64::from(case.rules.minimum_notice_minutes))
}

fn latest(case: &Case) -> Timestamp {
    case.now + DAY * i32::try_from(case.rules.booking_window_days).expect("small")
}

fn model_status(case: &Case, start: Timestamp, end: Timestamp) -> SlotStatus {
    let before = mins(i64::from(case.rules.buffer_before_minutes));
    let after = mins(i64::from(case.rules.buffer_after_minutes));
    let busy = case.bookings.iter().any(|b| {
        let (bs, be) = (b.start - before, b.end + after);
        bs < be && start - before < be && bs < end + after
    });
    if busy {
        return SlotStatus::Busy;
    }
    let date = case.tz.to_datetime(start).date();
    let same_day = case.bookings.iter().filter(|b| case.tz.to_datetime(b.start).date() == date).count();
    match case.rules.daily_limit {
        Some(n) if same_day >= n as usize => SlotStatus::BusyUnavailable,
        _ => SlotStatus::Free,
    }
}

/// An instant's wall time maps back to the very same instant (so it is never inside a gap).
fn round_trips(tz: &TimeZone, t: Timestamp) -> bool {
    let amb = tz.to_ambiguous_timestamp(tz.to_datetime(t));
    !matches!(amb.offset(), AmbiguousOffset::Gap { .. })
        && (amb.earlier().ok() == Some(t) || amb.later().ok() == Some(t))
}

fn expect_matches_check(case: &Case, slot: &Slot) -> Result<(), TestCaseError> {
    let got = check_bookable(&case.rules, slot.start, case.now, &case.bookings);
    let want = match slot.status {
        SlotStatus::Free => Ok(*slot),
        SlotStatus::Busy | SlotStatus::BusyTentative => Err(DomainError::SlotTaken),
        SlotStatus::BusyUnavailable => Err(DomainError::DailyLimitReached),
    };
    prop_assert_eq!(got, want, "check_bookable disagrees at {}", slot.start);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generation_matches_the_elapsed_time_model(s in scenario()) {
        let case = build(&s);
        prop_assert_eq!(case.rules.validate(), Ok(()));
        let slots = generate_slots(&case.rules, case.from, case.to, case.now, &case.bookings).expect("valid input");
        let (session, interval) = (session_of(&case.rules), interval_of(&case.rules));
        let (lo, hi) = (earliest(&case), latest(&case));
        let keep = |t: Timestamp| t >= case.from && t < case.to && t >= lo && t <= hi;

        // Exactly the starts of the model: sorted, unique, none missing, none extra.
        let ranges = model(&case);
        let mut expected = BTreeSet::new();
        for r in &ranges {
            for k in 0..r.expected_count(session, interval) {
                let t = r.start + interval * i32::try_from(k).expect("small");
                if keep(t) {
                    expected.insert(t);
                }
            }
        }
        let got: Vec<Timestamp> = slots.iter().map(|s| s.start).collect();
        prop_assert!(got.windows(2).all(|w| w[0] < w[1]), "not strictly sorted: {:?}", got);
        prop_assert_eq!(&got, &expected.into_iter().collect::<Vec<_>>());

        // Per range, no duplicated or missing hour: the grid points found equal the elapsed-time count.
        for r in ranges.iter().filter(|r| keep(r.start) && keep(r.start.max(r.end - session))) {
            let on_grid = got
                .iter()
                .filter(|&&t| t >= r.start && t + session <= r.end && t.duration_since(r.start).as_secs() % interval.as_secs() == 0)
                .count() as i64;
            prop_assert_eq!(on_grid, r.expected_count(session, interval), "range {:?} on {}", r.range, r.date);
        }

        for slot in &slots {
            prop_assert_eq!(slot.end.duration_since(slot.start), session);
            prop_assert!(slot.start >= lo && slot.start <= hi && slot.start >= case.from && slot.start < case.to);
            prop_assert!(round_trips(&case.tz, slot.start) && round_trips(&case.tz, slot.end));
            // Busy exactly when a buffered booking overlaps; the daily limit only turns free into unavailable.
            prop_assert_eq!(slot.status, model_status(&case, slot.start, slot.end), "status of {}", slot.start);
            // Wall-clock containment, for ranges with no transition inside.
            for r in ranges.iter().filter(|r| slot.start >= r.start && slot.end <= r.end) {
                if case.tz.to_offset(r.start) == case.tz.to_offset(r.end) {
                    let wall = case.tz.to_datetime(slot.start);
                    prop_assert_eq!(wall.date(), r.date);
                    prop_assert!(wall.time() >= r.range.start && case.tz.to_datetime(slot.end) <= r.end_wall());
                }
            }
            expect_matches_check(&case, slot)?;
        }
    }

    #[test]
    fn check_bookable_agrees_with_generation_around_any_instant(s in scenario()) {
        let case = build(&s);
        let (lo, hi) = (earliest(&case), latest(&case));
        let around = generate_slots(&case.rules, case.anchor - DAY * 2, case.anchor + DAY * 2, case.now, &case.bookings)
            .expect("valid input");
        let mut probes: Vec<Timestamp> = s.probes.iter().map(|&(m, sec)| case.anchor + mins(m) + SignedDuration::from_secs(sec)).collect();
        probes.extend(around.iter().map(|slot| slot.start));
        probes.extend(case.bookings.iter().map(|b| b.start));
        for t in probes {
            let nearby = generate_slots(&case.rules, t - DAY, t + DAY, case.now, &case.bookings).expect("valid input");
            let found = nearby.iter().find(|slot| slot.start == t);
            match check_bookable(&case.rules, t, case.now, &case.bookings) {
                Ok(slot) => {
                    prop_assert_eq!(slot.start, t);
                    prop_assert_eq!(Some(&slot), found);
                    prop_assert_eq!(slot.status, SlotStatus::Free);
                }
                Err(DomainError::TooSoon) => prop_assert!(t < lo),
                Err(DomainError::TooFarAhead) => prop_assert!(t >= lo && t > hi),
                Err(DomainError::SlotUnaligned) => prop_assert!(t >= lo && t <= hi && found.is_none(), "{} unaligned", t),
                Err(DomainError::SlotTaken) => prop_assert_eq!(found.map(|s| s.status), Some(SlotStatus::Busy)),
                Err(DomainError::DailyLimitReached) => {
                    prop_assert_eq!(found.map(|s| s.status), Some(SlotStatus::BusyUnavailable))
                }
                Err(e) => return Err(TestCaseError::fail(format!("unexpected error {e:?} at {t}"))),
            }
        }
    }
}

// ---- arbitrary input ------------------------------------------------------------------------------------

fn any_time() -> impl Strategy<Value = Time> {
    prop_oneof![
        (0i8..24, 0i8..60).prop_map(|(h, m)| Time::new(h, m, 0, 0).expect("time")),
        (0i8..24, 0i8..60, 0i8..60, 0i32..1_000_000_000).prop_map(|(h, m, s, n)| Time::new(h, m, s, n).expect("time")),
    ]
}

fn any_range() -> impl Strategy<Value = TimeRange> {
    (any_time(), any_time()).prop_map(|(start, end)| TimeRange { start, end })
}

fn any_date() -> impl Strategy<Value = Date> {
    prop_oneof![
        (-9999i16..=9999, 1i8..=12, 1i8..=28),
        (2025i16..=2028, 1i8..=12, 1i8..=28),
        Just((9999i16, 12i8, 31i8)),
        Just((-9999i16, 1i8, 1i8)),
    ]
    .prop_map(|(y, m, d)| Date::new(y, m, d).expect("date"))
}

fn any_timestamp() -> impl Strategy<Value = Timestamp> {
    let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    prop_oneof![
        (min..=max, 0i32..1_000_000_000).prop_map(move |(s, n)| {
            let n = if s < 0 || s == max { 0 } else { n };
            Timestamp::new(s, n).expect("timestamp")
        }),
        (1_767_225_600i64..1_830_297_600).prop_map(|s| Timestamp::from_second(s).expect("timestamp")),
        Just(Timestamp::MIN),
        Just(Timestamp::MAX),
    ]
}

fn any_u32(lo: u32, hi: u32) -> impl Strategy<Value = u32> {
    prop_oneof![3 => lo..=hi, 1 => any::<u32>()]
}

fn any_rules() -> impl Strategy<Value = AvailabilityRules> {
    let zone = prop_oneof![
        prop::sample::select(vec![
            "UTC",
            "America/New_York",
            "Pacific/Kiritimati",
            "Pacific/Apia",
            "Australia/Lord_Howe",
            "America/Santiago",
            "Etc/GMT+12",
            "",
            "Mars/Olympus",
            "america/new_york"
        ])
        .prop_map(str::to_owned),
        "[A-Za-z/_+-]{0,70}",
    ];
    let weekly = prop::collection::vec((prop::sample::select(DAYS.to_vec()), any_range()), 0..=12)
        .prop_map(|v| v.into_iter().map(|(day, range)| WeeklyHours { day, range }).collect::<Vec<_>>());
    let overrides = prop::collection::vec((any_date(), prop::collection::vec(any_range(), 0..=3)), 0..=4)
        .prop_map(|v| v.into_iter().map(|(date, hours)| DateOverride { date, hours }).collect::<Vec<_>>());
    (
        zone,
        weekly,
        overrides,
        (any_u32(0, 120), any_u32(0, 120), any_u32(0, 43_200), any_u32(1, 365)),
        (any_u32(5, 240), any_u32(10, 240), prop::option::of(any_u32(1, 96))),
    )
        .prop_map(|(time_zone, weekly, overrides, (before, after, notice, window), (interval, session, limit))| {
            AvailabilityRules {
                time_zone,
                weekly,
                overrides,
                buffer_before_minutes: before,
                buffer_after_minutes: after,
                minimum_notice_minutes: notice,
                booking_window_days: window,
                slot_interval_minutes: interval,
                session_minutes: session,
                daily_limit: limit,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_input_never_panics(
        rules in any_rules(),
        from in any_timestamp(),
        span_secs in prop_oneof![-86_400i64..=70 * 86_400, Just(62 * 86_400)],
        now_back in prop_oneof![Just(0i64), -400 * 86_400i64..=400 * 86_400],
        bookings in prop::collection::vec((any_timestamp(), -86_400i64..=86_400), 0..=6),
    ) {
        let to = from.saturating_add(SignedDuration::from_secs(span_secs)).expect("saturating");
        let now = from.saturating_sub(SignedDuration::from_secs(now_back)).expect("saturating");
        let bookings: Vec<Booking> = bookings
            .into_iter()
            .map(|(start, len)| Booking { start, end: start.saturating_add(SignedDuration::from_secs(len)).expect("saturating") })
            .collect();
        if let Ok(slots) = generate_slots(&rules, from, to, now, &bookings) {
            prop_assert!(slots.windows(2).all(|w| w[0].start < w[1].start));
            prop_assert!(slots.iter().all(|s| s.start >= from && s.start < to));
            for slot in slots.iter().take(3) {
                let checked = check_bookable(&rules, slot.start, now, &bookings);
                prop_assert_eq!(checked.is_ok(), slot.status == SlotStatus::Free);
            }
        }
        for b in &bookings {
            let _ = check_bookable(&rules, b.start, now, &bookings);
            let _ = blocked_range(&rules, b.start, b.end);
        }
        let _ = check_bookable(&rules, from, now, &bookings);
        let _ = check_bookable(&rules, to, now, &bookings);
    }
}
