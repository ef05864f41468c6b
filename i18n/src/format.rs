//! Dates, times, numbers and plural categories with ICU4X 2 and its compiled CLDR data.
//!
//! jiff converts the UTC instant to the civil date and time in the IANA zone (with the bundled tz
//! database, so every platform agrees); ICU4X then formats those civil fields in the Gregorian calendar
//! for the locale. The zone is shown by ICU4X's short specific name ("EST") where the locale has one,
//! and otherwise as a localised UTC offset ("GMT+3", "غرينتش+٣"), computed from jiff's offset so it is
//! right whatever ICU's own zone data knows.

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{self, zone::SpecificShort};
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_decimal::input::Decimal;
use icu_decimal::{DecimalFormatter, DecimalFormatterPreferences};
use icu_locale_core::{Locale, locale};
use icu_plurals::{PluralCategory, PluralRules, PluralRulesPreferences};
use icu_time::zone::{TimeZoneInfo, UtcOffset, ZoneNameTimestamp, models::AtTime};
use icu_time::{Time, TimeZone, ZonedDateTime};
use jiff::{Timestamp, Zoned};

use crate::I18nError;
use crate::locale::Lang;

/// The ICU4X locale for formatting. Arabic asks for Arabic-Indic digits explicitly (`-u-nu-arab`): the
/// CLDR data in ICU4X 2.x makes Latin digits the default numbering system of plain `ar`. en-US uses
/// Latin digits and a 12-hour clock.
fn icu_locale(lang: Lang) -> Locale {
    match lang {
        Lang::EnUs => locale!("en-US"),
        Lang::Ar => locale!("ar-u-nu-arab"),
    }
}

/// The date length: medium for en-US ("Nov 22, 2026"); long for Arabic, whose CLDR medium date is all
/// digits (٢٢‏/١١‏/٢٠٢٦) while the long one names the month (٢٢ نوفمبر ٢٠٢٦).
fn date_fields(lang: Lang) -> fieldsets::YMD {
    match lang {
        Lang::EnUs => fieldsets::YMD::medium(),
        Lang::Ar => fieldsets::YMD::long(),
    }
}

type Input = ZonedDateTime<Gregorian, TimeZoneInfo<AtTime>>;

/// `ts` as civil Gregorian fields in `zone`, with the zone and its offset at that instant.
fn zoned_input(ts: Timestamp, zone: &str) -> Result<Input, I18nError> {
    let tz = jiff::tz::TimeZone::get(zone).map_err(|_| I18nError::UnknownTimeZone(zone.to_owned()))?;
    let zoned: Zoned = ts.to_zoned(tz);
    let field = |value: i8| u8::try_from(value).map_err(|e| I18nError::Format(e.to_string()));
    let date = Date::try_new_gregorian(i32::from(zoned.year()), field(zoned.month())?, field(zoned.day())?)
        .map_err(|e| I18nError::Format(e.to_string()))?;
    let time = Time::try_new(field(zoned.hour())?, field(zoned.minute())?, field(zoned.second())?, 0)
        .map_err(|e| I18nError::Format(e.to_string()))?;
    // An offset ICU cannot represent (none exist in the tz database) is shown without a zone name.
    let offset = UtcOffset::try_from_seconds(zoned.offset().seconds()).ok();
    // ICU resolves the zone name from its own IANA alias table; a name it does not know becomes the
    // unknown zone, which is still shown with the correct offset.
    let zone = TimeZone::from_iana_id(zoned.time_zone().iana_name().unwrap_or(zone))
        .with_offset(offset)
        .with_zone_name_timestamp(ZoneNameTimestamp::from_epoch_seconds(ts.as_second()));
    Ok(ZonedDateTime { date, time, zone })
}

fn format_error(error: impl std::fmt::Display) -> I18nError {
    I18nError::Format(error.to_string())
}

pub(crate) fn format_date(lang: Lang, ts: Timestamp, zone: &str) -> Result<String, I18nError> {
    let input = zoned_input(ts, zone)?;
    let prefs = DateTimeFormatterPreferences::from(icu_locale(lang));
    let formatter =
        FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(prefs, date_fields(lang)).map_err(format_error)?;
    Ok(formatter.format(&input.date).to_string())
}

pub(crate) fn format_time(lang: Lang, ts: Timestamp, zone: &str) -> Result<String, I18nError> {
    let input = zoned_input(ts, zone)?;
    let prefs = DateTimeFormatterPreferences::from(icu_locale(lang));
    let formatter =
        FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(prefs, fieldsets::T::hm().with_zone(SpecificShort))
            .map_err(format_error)?;
    Ok(formatter.format(&input).to_string())
}

pub(crate) fn format_datetime(lang: Lang, ts: Timestamp, zone: &str) -> Result<String, I18nError> {
    let input = zoned_input(ts, zone)?;
    let prefs = DateTimeFormatterPreferences::from(icu_locale(lang));
    let fieldset = date_fields(lang).with_time_hm().with_zone(SpecificShort);
    let formatter = FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(prefs, fieldset).map_err(format_error)?;
    Ok(formatter.format(&input).to_string())
}

fn decimal_formatter(lang: Lang) -> Option<DecimalFormatter> {
    DecimalFormatter::try_new(DecimalFormatterPreferences::from(icu_locale(lang)), Default::default()).ok()
}

/// `n` with the locale's digits and grouping; plain ASCII digits if ICU4X data were ever missing.
pub(crate) fn format_integer(lang: Lang, n: i64) -> String {
    match decimal_formatter(lang) {
        Some(formatter) => formatter.format_to_string(&Decimal::from(n)),
        None => n.to_string(),
    }
}

/// A decimal number given as text (`"-12.5"`) in the locale's digits, or `None` if it does not parse.
pub(crate) fn format_decimal_str(lang: Lang, number: &str) -> Option<String> {
    let decimal = Decimal::try_from_str(number).ok()?;
    Some(decimal_formatter(lang)?.format_to_string(&decimal))
}

/// The CLDR cardinal plural category of a decimal number given as text (`"103"`, `"1.5"`): `"zero"`,
/// `"one"`, `"two"`, `"few"`, `"many"` or `"other"`; `"other"` for text that is not a number.
pub(crate) fn plural_category(lang: Lang, number: &str) -> &'static str {
    let Ok(decimal) = Decimal::try_from_str(number.trim_start_matches('+')) else { return "other" };
    let Ok(rules) = PluralRules::try_new_cardinal(PluralRulesPreferences::from(icu_locale(lang))) else {
        return "other";
    };
    match rules.category_for(&decimal) {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    const NBSP: char = '\u{202f}'; // CLDR's narrow no-break space before AM/PM

    #[test]
    fn en_us_datetime() {
        let t = ts("2026-11-22T20:30:00Z");
        assert_eq!(format_date(Lang::EnUs, t, "America/New_York").as_deref(), Ok("Nov 22, 2026"));
        assert_eq!(format_time(Lang::EnUs, t, "America/New_York"), Ok(format!("3:30{NBSP}PM EST")));
        assert_eq!(format_datetime(Lang::EnUs, t, "America/New_York"), Ok(format!("Nov 22, 2026, 3:30{NBSP}PM EST")));
        // No short name in en-US for Riyadh: the offset instead.
        assert_eq!(format_time(Lang::EnUs, t, "Asia/Riyadh"), Ok(format!("11:30{NBSP}PM GMT+3")));
        // The local date can differ from the UTC date.
        assert_eq!(format_date(Lang::EnUs, t, "Asia/Kolkata").as_deref(), Ok("Nov 23, 2026"));
    }

    #[test]
    fn en_us_across_dst_in_new_york() {
        let ny = "America/New_York";
        // Spring forward, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so one hour apart reads two apart.
        assert_eq!(format_time(Lang::EnUs, ts("2026-03-08T06:30:00Z"), ny), Ok(format!("1:30{NBSP}AM EST")));
        assert_eq!(format_time(Lang::EnUs, ts("2026-03-08T07:30:00Z"), ny), Ok(format!("3:30{NBSP}AM EDT")));
        // Fall back, 2026-11-01: 01:30 happens twice, first in EDT then in EST.
        assert_eq!(format_time(Lang::EnUs, ts("2026-11-01T05:30:00Z"), ny), Ok(format!("1:30{NBSP}AM EDT")));
        assert_eq!(format_time(Lang::EnUs, ts("2026-11-01T06:30:00Z"), ny), Ok(format!("1:30{NBSP}AM EST")));
        assert_eq!(
            format_datetime(Lang::EnUs, ts("2026-07-01T12:05:00Z"), ny),
            Ok(format!("Jul 1, 2026, 8:05{NBSP}AM EDT"))
        );
    }

    #[test]
    fn arabic_date_has_arabic_digits_and_month_names() {
        let t = ts("2026-11-22T20:30:00Z");
        let date = format_date(Lang::Ar, t, "Asia/Riyadh").unwrap_or_default();
        assert_eq!(date, "٢٢ نوفمبر ٢٠٢٦");
        let datetime = format_datetime(Lang::Ar, t, "Asia/Riyadh").unwrap_or_default();
        for text in [&date, &datetime] {
            assert!(text.contains("نوفمبر"), "{text}");
            assert!(text.chars().any(|c| ('٠'..='٩').contains(&c)), "{text}");
            assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
        }
        assert!(datetime.contains("١١:٣٠ م"), "{datetime}");
        assert!(datetime.contains("غرينتش"), "{datetime}");
        let july = format_date(Lang::Ar, ts("2026-07-01T12:00:00Z"), "Asia/Riyadh").unwrap_or_default();
        assert_eq!(july, "١ يوليو ٢٠٢٦");
    }

    #[test]
    fn unknown_zone_is_a_typed_error() {
        let t = ts("2026-11-22T20:30:00Z");
        for zone in ["Mars/Olympus_Mons", "", "EST5EDT/../../etc/passwd", "America/New York"] {
            for result in
                [format_date(Lang::EnUs, t, zone), format_time(Lang::Ar, t, zone), format_datetime(Lang::Ar, t, zone)]
            {
                assert_eq!(result, Err(I18nError::UnknownTimeZone(zone.to_owned())));
            }
        }
        assert_eq!(I18nError::UnknownTimeZone(String::new()).code(), "unknown_time_zone");
    }

    #[test]
    fn zone_names_are_forgiving_like_jiff() {
        let t = ts("2026-11-22T20:30:00Z");
        assert_eq!(format_time(Lang::EnUs, t, "america/new_york"), Ok(format!("3:30{NBSP}PM EST")));
        assert_eq!(format_time(Lang::EnUs, t, "UTC"), Ok(format!("8:30{NBSP}PM UTC")));
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        for t in [Timestamp::MIN, Timestamp::MAX, Timestamp::UNIX_EPOCH, ts("1900-01-01T00:00:00Z")] {
            for lang in Lang::ALL {
                for zone in ["UTC", "America/New_York", "Pacific/Kiritimati", "Asia/Kolkata"] {
                    // Either a string or a typed error, never a panic.
                    let _ = format_date(lang, t, zone);
                    let _ = format_time(lang, t, zone);
                    let _ = format_datetime(lang, t, zone);
                }
            }
        }
    }

    #[test]
    fn arabic_plural_categories_follow_cldr() {
        let cases = [
            ("0", "zero"),
            ("1", "one"),
            ("2", "two"),
            ("3", "few"),
            ("10", "few"),
            ("11", "many"),
            ("99", "many"),
            ("100", "other"),
            ("102", "other"),
            ("103", "few"),
            ("111", "many"),
            ("1000", "other"),
            ("1.5", "other"),
            ("-3", "few"),
            ("x", "other"),
        ];
        for (n, category) in cases {
            assert_eq!(plural_category(Lang::Ar, n), category, "{n}");
        }
        assert_eq!(plural_category(Lang::EnUs, "1"), "one");
        assert_eq!(plural_category(Lang::EnUs, "1.0"), "other");
        assert_eq!(plural_category(Lang::EnUs, "0"), "other");
    }

    #[test]
    fn numbers() {
        assert_eq!(format_integer(Lang::EnUs, 1_234_567), "1,234,567");
        assert_eq!(format_integer(Lang::Ar, 1_234_567), "١٬٢٣٤٬٥٦٧");
        assert_eq!(format_integer(Lang::Ar, 0), "٠");
        assert!(format_integer(Lang::EnUs, i64::MIN).ends_with("9,223,372,036,854,775,808"));
        assert!(format_integer(Lang::Ar, -5).ends_with('٥'));
        assert_eq!(format_decimal_str(Lang::EnUs, "nonsense"), None);
    }
}
