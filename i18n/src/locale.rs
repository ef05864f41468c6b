//! The supported locales and negotiation from the user's requested languages.

use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use unic_langid::LanguageIdentifier;

use crate::Direction;

/// The locale used when nothing requested matches: American English.
pub const DEFAULT_LOCALE: &str = "en-US";

/// Every locale with a full set of messages, as BCP 47 tags; the first is the fallback.
pub const SUPPORTED_LOCALES: &[&str] = &["en-US", "ar"];

/// One supported locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Lang {
    EnUs,
    Ar,
}

impl Lang {
    pub(crate) const ALL: [Lang; 2] = [Lang::EnUs, Lang::Ar];

    pub(crate) fn tag(self) -> &'static str {
        match self {
            Lang::EnUs => "en-US",
            Lang::Ar => "ar",
        }
    }

    pub(crate) fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag().eq_ignore_ascii_case(tag))
    }

    pub(crate) fn direction(self) -> Direction {
        match self {
            Lang::EnUs => Direction::Ltr,
            Lang::Ar => Direction::Rtl,
        }
    }

    /// The Fluent language identifier. The tags are constants that always parse; `und` is never reached.
    pub(crate) fn langid(self) -> LanguageIdentifier {
        self.tag().parse().unwrap_or_default()
    }
}

/// Picks the best supported locale for `requested`, most preferred first. Entries may be BCP 47 tags
/// (`ar-SA`, `en-GB`), POSIX locale names (`ar_EG.UTF-8`, `en_US@euro`) or colon-separated lists as in
/// `$LANGUAGE`; case does not matter, and unparseable entries, `C` and `POSIX` are skipped.
pub(crate) fn negotiate(requested: &[&str]) -> Lang {
    let requested: Vec<LanguageIdentifier> =
        requested.iter().flat_map(|entry| entry.split(':')).filter_map(parse_requested).collect();
    let available: Vec<LanguageIdentifier> = Lang::ALL.iter().map(|lang| lang.langid()).collect();
    let default = Lang::EnUs.langid();
    let chosen = negotiate_languages(&requested, &available, Some(&default), NegotiationStrategy::Lookup);
    chosen.first().and_then(|id| Lang::from_tag(&id.to_string())).unwrap_or(Lang::EnUs)
}

/// Turns one requested entry into a language identifier, or `None` when it names no language.
fn parse_requested(entry: &str) -> Option<LanguageIdentifier> {
    // POSIX: language[_territory][.codeset][@modifier]; drop the codeset and modifier.
    let entry = entry.trim().split(['.', '@']).next().unwrap_or_default();
    if entry.is_empty() || entry.eq_ignore_ascii_case("c") || entry.eq_ignore_ascii_case("posix") {
        return None;
    }
    // BCP 47 extensions (`-u-nu-latn`, `-x-...`) start at the first one-letter subtag; the language,
    // script and region before them are all negotiation needs.
    let tag = entry.replace('_', "-");
    let base: Vec<&str> = tag.split('-').take_while(|subtag| subtag.len() != 1).collect();
    let id: LanguageIdentifier = base.join("-").parse().ok()?;
    (id.language.as_str() != "und").then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_parse() {
        for lang in Lang::ALL {
            assert_eq!(lang.langid().to_string(), lang.tag());
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(SUPPORTED_LOCALES, Lang::ALL.map(Lang::tag));
        assert_eq!(DEFAULT_LOCALE, Lang::EnUs.tag());
    }

    #[test]
    fn negotiation() {
        let cases: &[(&[&str], Lang)] = &[
            (&["ar-SA"], Lang::Ar),
            (&["ar_EG.UTF-8"], Lang::Ar),
            (&["ar_SA.UTF-8@modifier"], Lang::Ar),
            (&["AR-sa"], Lang::Ar),
            (&["ar"], Lang::Ar),
            (&["ar-Arab-EG"], Lang::Ar),
            (&["ar-u-nu-latn"], Lang::Ar),
            (&["en-GB"], Lang::EnUs),
            (&["en_US.UTF-8"], Lang::EnUs),
            (&["EN"], Lang::EnUs),
            (&["fr"], Lang::EnUs),
            (&["fr-FR", "ar"], Lang::Ar),
            (&["en-GB", "ar"], Lang::EnUs),
            (&["fr:ar:en"], Lang::Ar),
            (&["C"], Lang::EnUs),
            (&["POSIX", "ar_SA"], Lang::Ar),
            (&["C.UTF-8", "ar"], Lang::Ar),
            (&[""], Lang::EnUs),
            (&["!!!", "??", "-", "_", "ar"], Lang::Ar),
            (&[], Lang::EnUs),
        ];
        for (requested, expected) in cases {
            assert_eq!(negotiate(requested), *expected, "{requested:?}");
        }
    }
}
