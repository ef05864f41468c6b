//! `Localizer`: one chosen locale's messages, error texts, dates and numbers.

use std::borrow::Cow;

use fluent_bundle::{FluentArgs, FluentValue};
use jiff::Timestamp;

use crate::bundles::{Bundle, bundles};
use crate::errors::{UNKNOWN_ERROR_ID, error_message_id};
use crate::locale::{Lang, negotiate};
use crate::{Arg, Direction, I18nError, format};

/// Localised text for one locale. Cheap to clone (two bytes of state) and `Send + Sync`: the Fluent bundles are
/// built once per process and shared.
///
/// By default every placeable in a message is wrapped in Unicode bidi isolation marks (FSI U+2068 ...
/// PDI U+2069), so a Latin name inside Arabic text (or the reverse) keeps its own direction; that is what
/// UI text wants. [`with_isolating(false)`](Self::with_isolating) gives plain strings for a CLI, logs and
/// tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localizer {
    lang: Lang,
    isolating: bool,
}

impl Default for Localizer {
    /// The en-US localizer.
    fn default() -> Self {
        Localizer { lang: Lang::EnUs, isolating: true }
    }
}

impl Localizer {
    /// The best supported locale for the user's languages, most preferred first: BCP 47 tags (`ar-SA`,
    /// `en-GB`), POSIX names as in `$LANG` (`ar_EG.UTF-8`) or `$LANGUAGE` lists (`fr:ar`), any case.
    /// Falls back to en-US when nothing matches.
    pub fn negotiate(requested: &[&str]) -> Localizer {
        Localizer { lang: negotiate(requested), isolating: true }
    }

    /// The localizer for exactly one of [`SUPPORTED_LOCALES`](crate::SUPPORTED_LOCALES) (any case), or
    /// `None` for anything else; use [`negotiate`](Self::negotiate) for user input.
    pub fn for_locale(tag: &str) -> Option<Localizer> {
        Lang::from_tag(tag).map(|lang| Localizer { lang, isolating: true })
    }

    /// This localizer with bidi isolation marks around placeables turned on (the default) or off.
    #[must_use]
    pub fn with_isolating(mut self, isolating: bool) -> Localizer {
        self.isolating = isolating;
        self
    }

    /// Turns bidi isolation marks around placeables on (the default) or off.
    pub fn set_isolating(&mut self, isolating: bool) {
        self.isolating = isolating;
    }

    /// Whether placeables are wrapped in bidi isolation marks.
    pub fn isolating(&self) -> bool {
        self.isolating
    }

    /// The chosen locale's BCP 47 tag: `"en-US"` or `"ar"`.
    pub fn locale(&self) -> &'static str {
        self.lang.tag()
    }

    /// The chosen locale's text direction.
    pub fn direction(&self) -> Direction {
        self.lang.direction()
    }

    /// The message `id` (or attribute, as `id.attribute`) with `args`. A message missing from this
    /// locale comes from en-US; one missing everywhere is returned as `[id]` so it shows in the UI
    /// rather than disappearing. A missing argument shows as `{$name}` in the text.
    pub fn message(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let args = fluent_args(args);
        self.format(id, args.as_ref()).unwrap_or_else(|| format!("[{id}]"))
    }

    /// Whether `id` (or `id.attribute`) has a message in this locale or the en-US fallback.
    pub fn has_message(&self, id: &str) -> bool {
        self.chain().any(|bundle| pattern_of(bundle, id).is_some())
    }

    /// The user-facing message for an error code (e.g. `slot_taken`, see [`ERROR_CODES`](crate::ERROR_CODES)):
    /// message `error-<code>` with `_` written as `-`, or the generic `error-unknown` for any other code.
    pub fn error_message(&self, code: &str) -> String {
        let id = error_message_id(code).filter(|id| self.has_message(id));
        let id = id.as_deref().unwrap_or(UNKNOWN_ERROR_ID);
        self.format(id, None).unwrap_or_else(|| format!("[{id}]"))
    }

    /// The local date of `ts` in the IANA zone `zone`, Gregorian calendar, with the month named: "Nov 22,
    /// 2026", "٢٢ نوفمبر ٢٠٢٦" (no zone suffix). Fails only with [`I18nError::UnknownTimeZone`] for a zone
    /// name the bundled tz database does not know; there is no silent fallback to UTC.
    pub fn format_date(&self, ts: Timestamp, zone: &str) -> Result<String, I18nError> {
        format::format_date(self.lang, ts, zone)
    }

    /// The local time of `ts` in the IANA zone `zone`, hours and minutes, followed by the zone's short
    /// name where the locale has one ("3:30 PM EST") or else its UTC offset ("GMT+3", "غرينتش+٣"). Errors
    /// as [`format_date`](Self::format_date).
    pub fn format_time(&self, ts: Timestamp, zone: &str) -> Result<String, I18nError> {
        format::format_time(self.lang, ts, zone)
    }

    /// The local date (as in [`format_date`](Self::format_date)) and time (hours and minutes) of `ts` in the
    /// IANA zone `zone`, with the zone as in [`format_time`](Self::format_time): "Nov 22, 2026, 3:30 PM EST",
    /// "٢٢ نوفمبر ٢٠٢٦ في ٣:٣٠ م غرينتش-٥".
    pub fn format_datetime(&self, ts: Timestamp, zone: &str) -> Result<String, I18nError> {
        format::format_datetime(self.lang, ts, zone)
    }

    /// A whole number with the locale's digits and grouping: "12,345", "١٢٬٣٤٥".
    pub fn format_number(&self, n: i64) -> String {
        format::format_integer(self.lang, n)
    }

    /// This locale's bundle, then en-US's when this locale is not en-US.
    fn chain(&self) -> impl Iterator<Item = &'static Bundle> {
        let isolating = self.isolating;
        let pick = move |lang: Lang| {
            let set = bundles(lang);
            if isolating { &set.isolating } else { &set.plain }
        };
        let fallback = (self.lang != Lang::EnUs).then_some(Lang::EnUs);
        std::iter::once(self.lang).chain(fallback).map(pick)
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        self.chain().find_map(|bundle| {
            let pattern = pattern_of(bundle, id)?;
            // Resolution errors (a missing argument, a cyclic reference) leave a visible `{...}` in the
            // text; the text is still the most useful thing to show.
            let mut errors = Vec::new();
            Some(bundle.format_pattern(pattern, args, &mut errors).into_owned())
        })
    }
}

/// The pattern of message `id`, or of attribute `attr` when `id` is `message.attr`.
fn pattern_of<'b>(bundle: &'b Bundle, id: &str) -> Option<&'b fluent_syntax::ast::Pattern<&'b str>> {
    let (message_id, attribute) = match id.split_once('.') {
        Some((message_id, attribute)) => (message_id, Some(attribute)),
        None => (id, None),
    };
    let message = bundle.get_message(message_id)?;
    match attribute {
        Some(attribute) => message.get_attribute(attribute).map(|a| a.value()),
        None => message.value(),
    }
}

fn fluent_args<'a>(args: &'a [(&'a str, Arg<'a>)]) -> Option<FluentArgs<'a>> {
    if args.is_empty() {
        return None;
    }
    let mut fluent = FluentArgs::with_capacity(args.len());
    for (name, arg) in args {
        let value = match arg {
            Arg::Str(text) => FluentValue::String(Cow::Borrowed(text.as_ref())),
            Arg::Int(n) => FluentValue::from(*n),
            Arg::Float(x) => FluentValue::from(*x),
        };
        fluent.set(*name, value);
    }
    Some(fluent)
}
