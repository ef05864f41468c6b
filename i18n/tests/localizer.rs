//! `Localizer` through its public API: negotiation, direction, messages, plurals, isolation, errors.

use std::collections::BTreeSet;

use proptest::prelude::*;
use psyter_i18n::{Arg, Direction, ERROR_CODES, Localizer};

const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

fn ar() -> Localizer {
    Localizer::negotiate(&["ar"]).with_isolating(false)
}

fn en() -> Localizer {
    Localizer::negotiate(&["en-US"]).with_isolating(false)
}

#[test]
fn negotiation_and_direction() {
    for (requested, locale, direction) in [
        (&["ar-SA"][..], "ar", Direction::Rtl),
        (&["ar_EG.UTF-8"][..], "ar", Direction::Rtl),
        (&["AR_sa.utf8"][..], "ar", Direction::Rtl),
        (&["en-GB"][..], "en-US", Direction::Ltr),
        (&["fr"][..], "en-US", Direction::Ltr),
        (&["fr", "ar-MA"][..], "ar", Direction::Rtl),
        (&[][..], "en-US", Direction::Ltr),
    ] {
        let l10n = Localizer::negotiate(requested);
        assert_eq!(l10n.locale(), locale, "{requested:?}");
        assert_eq!(l10n.direction(), direction, "{requested:?}");
    }
    assert_eq!(Direction::Rtl.as_str(), "rtl");
    assert_eq!(Localizer::default().locale(), "en-US");
    assert_eq!(Localizer::for_locale("AR").map(|l| l.locale()), Some("ar"));
    assert_eq!(Localizer::for_locale("ar-SA"), None);
}

#[test]
fn localizer_is_send_sync_and_cheap() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Localizer>();
    assert!(std::mem::size_of::<Localizer>() <= 2 * std::mem::size_of::<usize>());
    let shared = ar();
    let handles: Vec<_> = (0..4)
        .map(|n| {
            let l10n = shared.clone();
            std::thread::spawn(move || l10n.message("appointments-count", &[("count", Arg::from(n))]))
        })
        .collect();
    let texts: Vec<String> = handles.into_iter().map(|h| h.join().unwrap_or_default()).collect();
    assert_eq!(texts, ["لا توجد مواعيد", "موعد واحد", "موعدان", "٣ مواعيد"]);
}

#[test]
fn messages_with_arguments() {
    let args = [("name", Arg::from("Amal")), ("role", Arg::from("provider"))];
    assert_eq!(en().message("signed-in-as", &args), "Signed in as Amal (Provider)");
    assert_eq!(ar().message("signed-in-as", &args), "تم تسجيل الدخول باسم Amal (مقدّم رعاية)");
    let args = [("name", Arg::from("Omar")), ("role", Arg::from("patient"))];
    assert_eq!(ar().message("signed-in-as", &args), "تم تسجيل الدخول باسم Omar (مريض)");
    assert_eq!(en().message("status-booked", &[]), "Booked");
    assert_eq!(ar().message("status-booked", &[]), "محجوز");
    let when = String::from("Nov 22, 2026");
    let args = [("provider", Arg::from("Dr. Sara")), ("when", Arg::from(&when))];
    assert_eq!(en().message("booked-confirmation", &args), "You’re booked with Dr. Sara on Nov 22, 2026.");
    // Numbers are formatted for the locale.
    assert_eq!(en().message("appointments-count", &[("count", Arg::from(1234))]), "1,234 appointments");
    assert_eq!(ar().message("appointments-count", &[("count", Arg::from(1234))]), "١٬٢٣٤ موعدًا");
}

#[test]
fn attributes() {
    assert_eq!(en().message("sync-error.action", &[]), "Try again");
    assert_eq!(ar().message("session-locked.action", &[]), "فتح القفل");
    assert!(en().has_message("sync-error.action"));
    assert!(!en().has_message("sync-error.nope"));
    assert_eq!(en().message("sync-error.nope", &[]), "[sync-error.nope]");
}

#[test]
fn missing_ids_and_arguments_are_visible() {
    assert_eq!(en().message("no-such-message", &[]), "[no-such-message]");
    assert_eq!(ar().message("", &[]), "[]");
    assert!(!en().has_message("no-such-message"));
    // A missing argument stays visible in the text instead of vanishing.
    assert!(en().message("booked-confirmation", &[]).contains("{$provider}"));
}

fn without_digits(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_digit() && !('٠'..='٩').contains(c)).collect()
}

#[test]
fn arabic_plural_forms_differ() {
    let counts = [0, 1, 2, 3, 11, 100];
    for (id, var) in [
        ("appointments-count", "count"),
        ("sync-pending-actions", "count"),
        ("reminders-planned", "count"),
        ("reminder-body", "minutes"),
    ] {
        let texts: Vec<String> = counts
            .iter()
            .map(|n| {
                let args = [(var, Arg::from(*n)), ("provider", Arg::from("د. سارة")), ("when", Arg::from("٣:٣٠ م"))];
                ar().message(id, &args)
            })
            .collect();
        // zero, one, two, few, many, other: six different wordings, not just different digits.
        let distinct: BTreeSet<String> = texts.iter().map(|t| without_digits(t)).collect();
        assert!(distinct.len() >= 5, "{id}: {texts:?}");
        assert_eq!(texts.iter().collect::<BTreeSet<_>>().len(), counts.len(), "{id}: {texts:?}");
    }
    let word = |n: i64| ar().message("appointments-count", &[("count", Arg::from(n))]);
    assert_eq!(
        [0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111].map(word),
        [
            "لا توجد مواعيد",
            "موعد واحد",
            "موعدان",
            "٣ مواعيد",
            "١٠ مواعيد",
            "١١ موعدًا",
            "٩٩ موعدًا",
            "١٠٠ موعد",
            "١٠٢ موعد",
            "١٠٣ مواعيد",
            "١١١ موعدًا",
        ]
    );
    let minutes = |n: i64| ar().message("minutes", &[("count", Arg::from(n))]);
    assert_eq!([1, 2, 5, 15].map(minutes), ["دقيقة واحدة", "دقيقتان", "٥ دقائق", "١٥ دقيقة"]);
    let en_minutes = |n: i64| en().message("minutes", &[("count", Arg::from(n))]);
    assert_eq!([0, 1, 2].map(en_minutes), ["0 minutes", "1 minute", "2 minutes"]);
}

#[test]
fn error_messages() {
    assert_eq!(
        en().error_message("slot_taken"),
        "That time was just booked by someone else. Please choose another slot."
    );
    assert_eq!(ar().error_message("slot_taken"), "حجز شخص آخر هذا الوقت للتو. يُرجى اختيار موعد آخر.");
    let unknown_en = en().error_message("definitely_not_a_code");
    let unknown_ar = ar().error_message("definitely_not_a_code");
    assert_eq!(unknown_en, "Something went wrong. Please try again.");
    assert_eq!(unknown_ar, "حدث خطأ ما. يُرجى المحاولة مرة أخرى.");
    // Odd input never reaches a non-error message.
    for code in ["", "SLOT_TAKEN", "../x", "status_booked", "unknown", "error-offline", "slot taken"] {
        let text = en().error_message(code);
        assert!(text == unknown_en || code == "unknown", "{code}: {text}");
    }
    for l10n in [en(), ar()] {
        let unknown = l10n.error_message("definitely_not_a_code");
        let mut seen = BTreeSet::new();
        for code in ERROR_CODES {
            let text = l10n.error_message(code);
            assert_ne!(text, unknown, "{} {code}", l10n.locale());
            assert!(!text.starts_with('['), "{} {code}", l10n.locale());
            seen.insert(text);
        }
        // Codes may share wording, but most have their own.
        assert!(seen.len() > ERROR_CODES.len() - 6, "{}", l10n.locale());
    }
}

#[test]
fn bidi_isolation_is_on_by_default_and_can_be_turned_off() {
    let args = [("name", Arg::from("Amal")), ("role", Arg::from("patient"))];
    let mut l10n = Localizer::negotiate(&["ar"]);
    assert!(l10n.isolating());
    let isolated = l10n.message("signed-in-as", &args);
    assert!(isolated.contains(&format!("{FSI}Amal{PDI}")), "{isolated:?}");
    l10n.set_isolating(false);
    let plain = l10n.message("signed-in-as", &args);
    assert!(!plain.contains(FSI) && !plain.contains(PDI), "{plain:?}");
    assert_eq!(plain, isolated.replace([FSI, PDI], ""));
    assert!(Localizer::default().message("minutes", &[("count", Arg::from(3))]).contains(FSI));
}

#[test]
fn dates_through_the_localizer() {
    let ts: jiff::Timestamp = "2026-11-22T20:30:00Z".parse().unwrap_or_default();
    assert_eq!(en().format_datetime(ts, "America/New_York"), Ok("Nov 22, 2026, 3:30\u{202f}PM EST".to_owned()));
    let text = ar().format_date(ts, "America/New_York").unwrap_or_default();
    assert!(text.contains("نوفمبر") && !text.chars().any(|c| c.is_ascii_digit()), "{text}");
    let error = en().format_time(ts, "Nowhere/Land").err();
    assert_eq!(error.as_ref().map(|e| e.code()), Some("unknown_time_zone"));
    assert_eq!(en().format_number(-1234), "-1,234");
    assert_eq!(ar().format_number(2026), "٢٬٠٢٦");
}

proptest! {
    #[test]
    fn no_input_panics(s in ".{0,40}", n in any::<i64>(), x in any::<f64>(), secs in -400_000_000_000i64..400_000_000_000) {
        let l10n = Localizer::negotiate(&[s.as_str(), "x"]);
        prop_assert!(l10n.locale() == "en-US" || l10n.locale() == "ar");
        for l10n in [en(), ar()] {
            let _ = l10n.message(&s, &[(s.as_str(), Arg::from(n)), ("count", Arg::from(x))]);
            let _ = l10n.message("appointments-count", &[("count", Arg::from(x))]);
            let _ = l10n.message("reminder-body", &[("minutes", Arg::from(n)), ("when", Arg::from(s.as_str()))]);
            prop_assert!(!l10n.error_message(&s).is_empty());
            let _ = l10n.format_number(n);
            if let Ok(ts) = jiff::Timestamp::from_second(secs) {
                let _ = l10n.format_datetime(ts, &s);
                let _ = l10n.format_time(ts, "America/New_York");
            }
        }
    }
}
