//! UniFFI registrations for types the domain borrows from jiff (with the `uniffi` feature): instants
//! cross the boundary as milliseconds since the Unix epoch, civil dates and times as ISO 8601 text.

use jiff::Timestamp;
use jiff::civil::{Date, Time};

uniffi::custom_type!(Timestamp, i64, {
    remote,
    lower: |instant| instant.as_millisecond(),
    try_lift: |millis| Ok(Timestamp::from_millisecond(millis)?),
});

uniffi::custom_type!(Date, String, {
    remote,
    lower: |date| date.to_string(),
    try_lift: |text| Ok(text.parse::<Date>()?),
});

uniffi::custom_type!(Time, String, {
    remote,
    lower: |time| time.to_string(),
    try_lift: |text| Ok(text.parse::<Time>()?),
});
