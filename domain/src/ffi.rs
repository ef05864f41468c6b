//! UniFFI registrations for types the domain borrows from jiff (with the `uniffi` feature): instants
//! cross the boundary as milliseconds since the Unix epoch, civil dates and times as ISO 8601 text.

use jiff::Timestamp;

/// A calendar date in the provider's zone; named so it cannot shadow Swift's `Foundation.Date`.
pub type LocalDate = jiff::civil::Date;
/// A wall-clock time in the provider's zone.
pub type LocalTime = jiff::civil::Time;

uniffi::custom_type!(Timestamp, i64, {
    remote,
    lower: |instant| instant.as_millisecond(),
    try_lift: |millis| Ok(Timestamp::from_millisecond(millis)?),
});

uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |date| date.to_string(),
    try_lift: |text| Ok(text.parse::<LocalDate>()?),
});

uniffi::custom_type!(LocalTime, String, {
    remote,
    lower: |time| time.to_string(),
    try_lift: |text| Ok(text.parse::<LocalTime>()?),
});
