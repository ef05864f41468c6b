//! Slot generation for 30 days of one provider in America/New_York (crossing the March DST change).
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::{Time, date};
use jiff::{SignedDuration, Timestamp};
use psyter_domain::availability::{DateOverride, TimeRange, Weekday, WeeklyHours};
use psyter_domain::slots::{Booking, check_bookable, generate_slots};
use psyter_domain::{AvailabilityRules, SlotStatus};

fn range(h1: i8, h2: i8) -> TimeRange {
    TimeRange { start: Time::constant(h1, 0, 0, 0), end: Time::constant(h2, 0, 0, 0) }
}

/// Weekdays 09:00-12:00 and 13:00-17:00, a day off, a short day, an extra Saturday; 50-minute sessions
/// every hour with 10-minute buffers, 12 hours' notice, a 60-day window and at most 6 sessions a day.
fn rules() -> AvailabilityRules {
    let weekdays = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
    let weekly = weekdays
        .iter()
        .flat_map(|&day| [range(9, 12), range(13, 17)].map(|range| WeeklyHours { day, range }))
        .collect();
    AvailabilityRules {
        time_zone: "America/New_York".to_owned(),
        weekly,
        overrides: vec![
            DateOverride { date: date(2026, 3, 6), hours: Vec::new() },
            DateOverride { date: date(2026, 3, 12), hours: vec![range(9, 12)] },
            DateOverride { date: date(2026, 3, 14), hours: vec![range(10, 14)] },
            DateOverride { date: date(2026, 3, 20), hours: vec![range(12, 18)] },
        ],
        buffer_before_minutes: 10,
        buffer_after_minutes: 10,
        minimum_notice_minutes: 12 * 60,
        booking_window_days: 60,
        slot_interval_minutes: 60,
        session_minutes: 50,
        daily_limit: Some(6),
    }
}

fn bench(c: &mut Criterion) {
    let rules = rules();
    let now: Timestamp = "2026-02-27T12:00:00Z".parse().expect("now");
    let (from, to) = (now, now + SignedDuration::from_hours(30 * 24));
    // ~40 existing bookings: every third free slot of the month.
    let all = generate_slots(&rules, from, to, now, &[]).expect("valid rules");
    let bookings: Vec<Booking> =
        all.iter().step_by(3).take(40).map(|s| Booking { start: s.start, end: s.end }).collect();
    assert_eq!(bookings.len(), 40);
    let slots = generate_slots(&rules, from, to, now, &bookings).expect("valid rules");
    let free = slots.iter().find(|s| s.status == SlotStatus::Free).expect("a free slot").start;

    c.bench_function("slot generation for 30 days of one provider", |b| {
        b.iter(|| {
            generate_slots(black_box(&rules), black_box(from), black_box(to), black_box(now), black_box(&bookings))
        })
    });
    c.bench_function("check_bookable for one start", |b| {
        b.iter(|| check_bookable(black_box(&rules), black_box(free), black_box(now), black_box(&bookings)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
