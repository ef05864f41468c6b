//! Psyter's localisation for the client core and its shells: Fluent messages in en-US (the fallback) and
//! Arabic, locale negotiation from BCP 47 or POSIX tags (`ar_SA.UTF-8` from `$LANG` works), text direction,
//! user-facing messages for every error code, and ICU4X date, time and number formatting.
//!
//! Everything is embedded at compile time: the Fluent files under `assets/locales/<locale>/*.ftl` via
//! `include_str!` and ICU4X's compiled CLDR data, so no shell needs files at runtime.
//!
//! ```
//! use psyter_i18n::{Arg, Direction, Localizer};
//!
//! let l10n = Localizer::negotiate(&["ar_SA.UTF-8"]).with_isolating(false);
//! assert_eq!(l10n.locale(), "ar");
//! assert_eq!(l10n.direction(), Direction::Rtl);
//! assert_eq!(l10n.message("appointments-count", &[("count", Arg::from(2))]), "موعدان");
//! assert_eq!(
//!     l10n.error_message("slot_taken"),
//!     "حجز شخص آخر هذا الوقت للتو. يُرجى اختيار موعد آخر."
//! );
//! ```

mod bundles;
mod errors;
mod format;
mod locale;
mod localizer;

use std::borrow::Cow;

pub use bundles::ftl_sources;
pub use errors::ERROR_CODES;
pub use locale::{DEFAULT_LOCALE, SUPPORTED_LOCALES};
pub use localizer::Localizer;

/// The writing direction of a locale's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Left to right (en-US).
    Ltr,
    /// Right to left (Arabic).
    Rtl,
}

impl Direction {
    /// The HTML/CSS `dir` value: `"ltr"` or `"rtl"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// One message argument: a string, inserted as given, or a number, formatted for the locale and used by
/// plural selectors.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// Text inserted as given (names, dates already formatted).
    Str(Cow<'a, str>),
    /// A whole number (counts, minutes).
    Int(i64),
    /// A number with a fraction.
    Float(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(value))
    }
}

impl From<String> for Arg<'_> {
    fn from(value: String) -> Self {
        Arg::Str(Cow::Owned(value))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(value: &'a String) -> Self {
        Arg::Str(Cow::Borrowed(value.as_str()))
    }
}

macro_rules! arg_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(value: $t) -> Self {
                Arg::Int(i64::from(value))
            }
        }
    )*};
}
arg_from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<usize> for Arg<'_> {
    fn from(value: usize) -> Self {
        // Counts never come near i64::MAX; saturate rather than wrap if one ever did.
        Arg::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Arg<'_> {
    fn from(value: f64) -> Self {
        Arg::Float(value)
    }
}

/// What can go wrong when formatting dates and times.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum I18nError {
    /// The zone name is not an IANA time zone known to the bundled tz database.
    #[error("unknown time zone: {0:?}")]
    UnknownTimeZone(String),
    /// ICU4X could not build a formatter or accept the date (not expected with the compiled data).
    #[error("date formatting failed: {0}")]
    Format(String),
}

impl I18nError {
    /// The stable error code, one of [`ERROR_CODES`], for [`Localizer::error_message`].
    pub fn code(&self) -> &'static str {
        match self {
            I18nError::UnknownTimeZone(_) => "unknown_time_zone",
            I18nError::Format(_) => "internal",
        }
    }
}
