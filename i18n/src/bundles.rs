//! The embedded Fluent resources and the thread-safe bundles built from them, once per process.

use std::sync::{Arc, LazyLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::format;
use crate::locale::Lang;

/// A thread-safe Fluent bundle over shared, parsed resources.
pub(crate) type Bundle = FluentBundle<Arc<FluentResource>>;

/// The en-US files, each `(file name, FTL text)`.
const EN_US_FILES: &[(&str, &str)] = &[
    ("app.ftl", include_str!("../../assets/locales/en-US/app.ftl")),
    ("appointments.ftl", include_str!("../../assets/locales/en-US/appointments.ftl")),
    ("errors.ftl", include_str!("../../assets/locales/en-US/errors.ftl")),
    ("video.ftl", include_str!("../../assets/locales/en-US/video.ftl")),
];

/// The Arabic files, each `(file name, FTL text)`.
const AR_FILES: &[(&str, &str)] = &[
    ("app.ftl", include_str!("../../assets/locales/ar/app.ftl")),
    ("appointments.ftl", include_str!("../../assets/locales/ar/appointments.ftl")),
    ("errors.ftl", include_str!("../../assets/locales/ar/errors.ftl")),
    ("video.ftl", include_str!("../../assets/locales/ar/video.ftl")),
];

/// The embedded Fluent files of a supported locale (`"en-US"` or `"ar"`, case-insensitive) as
/// `(file name, FTL text)` pairs, e.g. for a web UI or a lint; empty for any other locale.
pub fn ftl_sources(locale: &str) -> &'static [(&'static str, &'static str)] {
    Lang::from_tag(locale).map_or(&[], files)
}

fn files(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::EnUs => EN_US_FILES,
        Lang::Ar => AR_FILES,
    }
}

/// A locale's bundles with and without bidi isolation marks around placeables.
pub(crate) struct Bundles {
    pub(crate) isolating: Bundle,
    pub(crate) plain: Bundle,
}

static EN_US: LazyLock<Bundles> = LazyLock::new(|| build(Lang::EnUs));
static AR: LazyLock<Bundles> = LazyLock::new(|| build(Lang::Ar));

/// The process-wide bundles of `lang`, built on first use.
pub(crate) fn bundles(lang: Lang) -> &'static Bundles {
    match lang {
        Lang::EnUs => &EN_US,
        Lang::Ar => &AR,
    }
}

/// Parses a locale's files. A file with syntax errors still yields every entry that parsed (the tests
/// require none).
fn resources(lang: Lang) -> Vec<Arc<FluentResource>> {
    let parse = |text: &str| FluentResource::try_new(text.to_owned()).unwrap_or_else(|(resource, _)| resource);
    files(lang).iter().map(|(_, text)| Arc::new(parse(text))).collect()
}

fn build(lang: Lang) -> Bundles {
    let resources = resources(lang);
    let make = |isolating: bool| {
        let mut bundle = Bundle::new_concurrent(vec![lang.langid()]);
        bundle.set_use_isolating(isolating);
        bundle.set_formatter(Some(match lang {
            Lang::EnUs => format_value_en_us,
            Lang::Ar => format_value_ar,
        }));
        // Registered before the resources, so a message can never shadow it.
        let _ = bundle.add_function("PLURAL", move |args: &[FluentValue<'_>], _: &FluentArgs<'_>| plural(lang, args));
        for resource in &resources {
            // On a duplicate id the first definition stays (the tests require none).
            let _ = bundle.add_resource(Arc::clone(resource));
        }
        bundle
    };
    Bundles { isolating: make(true), plain: make(false) }
}

/// `PLURAL($n)`: the CLDR cardinal plural category of `$n` from ICU4X, as a string for a select
/// expression. Arabic messages select on `PLURAL($count)` rather than on `$count`: the plural rules inside
/// fluent-bundle (intl_pluralrules 7.0.2) drop the `n % 100` of Arabic's few and many rules, so 103 and
/// 111 would fall to `other`.
fn plural<'a>(lang: Lang, args: &[FluentValue<'_>]) -> FluentValue<'a> {
    let category = match args.first() {
        Some(FluentValue::Number(number)) => format::plural_category(lang, &number.as_string()),
        Some(FluentValue::String(text)) => format::plural_category(lang, text),
        _ => "other",
    };
    FluentValue::from(category)
}

/// Fluent's number display hook for en-US: ICU4X digits and grouping.
fn format_value_en_us<M>(value: &FluentValue, _: &M) -> Option<String> {
    format_value(Lang::EnUs, value)
}

/// Fluent's number display hook for Arabic: Arabic-Indic digits and separators.
fn format_value_ar<M>(value: &FluentValue, _: &M) -> Option<String> {
    format_value(Lang::Ar, value)
}

/// Formats plain numbers with ICU4X; anything else (strings, numbers with Fluent formatting options)
/// is left to Fluent by returning `None`.
fn format_value(lang: Lang, value: &FluentValue) -> Option<String> {
    let FluentValue::Number(number) = value else { return None };
    let options = &number.options;
    let plain = options.minimum_fraction_digits.is_none()
        && options.maximum_fraction_digits.is_none()
        && options.minimum_integer_digits.is_none()
        && options.minimum_significant_digits.is_none()
        && options.maximum_significant_digits.is_none();
    if !plain || !number.value.is_finite() {
        return None;
    }
    // `f64`'s Display is the shortest round-trip decimal and never uses exponents, so it always parses.
    format::format_decimal_str(lang, &number.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_parse_without_errors_or_duplicates() {
        for lang in Lang::ALL {
            assert!(!files(lang).is_empty());
            let mut bundle = Bundle::new_concurrent(vec![lang.langid()]);
            for (name, text) in files(lang) {
                let resource = FluentResource::try_new((*text).to_owned());
                assert!(resource.is_ok(), "{}/{name}: {:?}", lang.tag(), resource.err().map(|(_, e)| e));
                if let Ok(resource) = resource {
                    let added = bundle.add_resource(Arc::new(resource));
                    assert!(added.is_ok(), "{}/{name}: {added:?}", lang.tag());
                }
            }
        }
    }

    /// Canary for the workaround in [`plural`]: when fluent-bundle's own Arabic rules put 103 in `few`,
    /// the Arabic files can select on `$count` directly again.
    #[test]
    fn fluent_builtin_arabic_plurals_still_need_the_workaround() {
        let mut bundle = Bundle::new_concurrent(vec![Lang::Ar.langid()]);
        let source = "n = { $n ->\n    [few] few\n   *[other] other\n}\np = { PLURAL($n) ->\n    [few] few\n   *[other] other\n}\n";
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, _)| resource);
        let _ = bundle.add_function("PLURAL", |args: &[FluentValue<'_>], _: &FluentArgs<'_>| plural(Lang::Ar, args));
        let _ = bundle.add_resource(Arc::new(resource));
        let format = |id: &str| {
            let mut args = FluentArgs::new();
            args.set("n", 103);
            let pattern = bundle.get_message(id).and_then(|m| m.value());
            pattern.map(|p| bundle.format_pattern(p, Some(&args), &mut Vec::new()).into_owned())
        };
        assert_eq!(format("n").as_deref(), Some("other"), "fluent-bundle's Arabic plural rules are fixed upstream");
        assert_eq!(format("p").as_deref(), Some("few"));
    }

    #[test]
    fn sources_by_tag() {
        assert_eq!(ftl_sources("en-US").len(), EN_US_FILES.len());
        assert_eq!(ftl_sources("AR").len(), AR_FILES.len());
        assert!(ftl_sources("fr").is_empty());
        assert!(ftl_sources("").is_empty());
    }

    #[test]
    fn numbers_use_locale_digits() {
        assert_eq!(format_value(Lang::Ar, &FluentValue::from(1234)).as_deref(), Some("١٬٢٣٤"));
        assert_eq!(format_value(Lang::Ar, &FluentValue::from(12.5)).as_deref(), Some("١٢٫٥"));
        assert_eq!(format_value(Lang::EnUs, &FluentValue::from(1234)).as_deref(), Some("1,234"));
        assert_eq!(format_value(Lang::EnUs, &FluentValue::from(-2.5)).as_deref(), Some("-2.5"));
        assert_eq!(format_value(Lang::EnUs, &FluentValue::from("text")), None);
        assert_eq!(format_value(Lang::EnUs, &FluentValue::from(f64::NAN)), None);
    }
}
