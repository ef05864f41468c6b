//! The shipped Fluent files: both locales define exactly the same messages and attributes, every error
//! code and every id the apps rely on exists in both, and every message formats without errors.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
use psyter_i18n::{Arg, ERROR_CODES, Localizer, SUPPORTED_LOCALES, ftl_sources};

/// Message id -> the variables it uses, for every message of a locale; attributes appear as `id.attr`.
fn messages(locale: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, text) in ftl_sources(locale) {
        let resource =
            fluent_syntax::parser::parse(*text).unwrap_or_else(|(_, errors)| panic!("{locale}/{name}: {errors:?}"));
        for entry in resource.body {
            match entry {
                Entry::Message(message) => {
                    let id = message.id.name.to_owned();
                    let mut vars = BTreeSet::new();
                    if let Some(value) = &message.value {
                        collect_vars(value, &mut vars);
                    }
                    for attribute in &message.attributes {
                        let mut attr_vars = BTreeSet::new();
                        collect_vars(&attribute.value, &mut attr_vars);
                        let attr_id = format!("{id}.{}", attribute.id.name);
                        assert!(out.insert(attr_id.clone(), attr_vars).is_none(), "{locale}: duplicate {attr_id}");
                    }
                    assert!(out.insert(id.clone(), vars).is_none(), "{locale}: duplicate {id}");
                }
                Entry::Term(term) => panic!("{locale}/{name}: terms are not used yet: -{}", term.id.name),
                Entry::Junk { content } => panic!("{locale}/{name}: junk {content:?}"),
                _ => {}
            }
        }
    }
    out
}

fn collect_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_expression(expression, vars);
        }
    }
}

fn collect_expression(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => collect_inline(inline, vars),
        Expression::Select { selector, variants } => {
            collect_inline(selector, vars);
            for variant in variants {
                collect_vars(&variant.value, vars);
            }
        }
    }
}

fn collect_inline(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                collect_inline(argument, vars);
            }
            for argument in &arguments.named {
                collect_inline(&argument.value, vars);
            }
        }
        InlineExpression::Placeable { expression } => collect_expression(expression, vars),
        _ => {}
    }
}

/// Every select expression of a pattern, recursively, as (selector, variant keys).
fn selects<'p>(pattern: &'p ast::Pattern<&'p str>, out: &mut Vec<(&'p InlineExpression<&'p str>, Vec<String>)>) {
    for element in &pattern.elements {
        let PatternElement::Placeable { expression } = element else { continue };
        if let Expression::Select { selector, variants } = expression {
            let keys = variants
                .iter()
                .map(|v| match &v.key {
                    ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                })
                .collect();
            out.push((selector, keys));
            for variant in variants {
                selects(&variant.value, out);
            }
        }
    }
}

#[test]
fn both_locales_define_the_same_ids_and_variables() {
    let en = messages("en-US");
    let ar = messages("ar");
    let en_ids: BTreeSet<_> = en.keys().collect();
    let ar_ids: BTreeSet<_> = ar.keys().collect();
    assert_eq!(en_ids.difference(&ar_ids).collect::<Vec<_>>(), Vec::<&&String>::new(), "missing in ar");
    assert_eq!(ar_ids.difference(&en_ids).collect::<Vec<_>>(), Vec::<&&String>::new(), "missing in en-US");
    // The same arguments too, so one call site works in every locale.
    assert_eq!(en, ar);
    assert!(en.contains_key("sync-error.action"), "attributes are compared too");
}

/// Arabic plural categories come from ICU4X through `PLURAL(...)`: fluent-bundle's own Arabic rules put
/// 103 and 111 in `other`.
#[test]
fn arabic_plural_selects_use_the_plural_function() {
    let plural_keys = ["zero", "one", "two", "few", "many"];
    for (name, text) in ftl_sources("ar") {
        let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(_, errors)| panic!("{name}: {errors:?}"));
        for entry in &resource.body {
            let Entry::Message(message) = entry else { continue };
            let mut found = Vec::new();
            let patterns = message.value.iter().chain(message.attributes.iter().map(|a| &a.value));
            for pattern in patterns {
                selects(pattern, &mut found);
            }
            for (selector, keys) in found {
                let by_category = keys.iter().any(|k| plural_keys.contains(&k.as_str()));
                let uses_plural =
                    matches!(selector, InlineExpression::FunctionReference { id, .. } if id.name == "PLURAL");
                assert_eq!(
                    by_category, uses_plural,
                    "{name}: {}: select on {selector:?} with {keys:?}",
                    message.id.name
                );
                if uses_plural {
                    // All six forms, so each count gets its own wording.
                    for key in plural_keys.iter().chain(&["other"]) {
                        assert!(keys.iter().any(|k| k == key), "{name}: {}: no [{key}]", message.id.name);
                    }
                }
            }
        }
    }
}

#[test]
fn every_error_code_has_a_message_in_every_locale() {
    for locale in SUPPORTED_LOCALES {
        let ids = messages(locale);
        assert!(ids.contains_key("error-unknown"), "{locale}");
        for code in ERROR_CODES {
            let id = format!("error-{}", code.replace('_', "-"));
            assert!(ids.contains_key(&id), "{locale}: no {id}");
        }
        // And no stray error message that no code reaches.
        let reachable: BTreeSet<String> = ERROR_CODES
            .iter()
            .map(|c| format!("error-{}", c.replace('_', "-")))
            .chain(["error-unknown".into()])
            .collect();
        for id in ids.keys().filter(|id| id.starts_with("error-")) {
            assert!(reachable.contains(id), "{locale}: {id} is not in ERROR_CODES");
        }
    }
}

/// The ids the apps and the CLI call by name.
const REQUIRED_IDS: &[&str] = &[
    "status-proposed",
    "status-pending",
    "status-booked",
    "status-arrived",
    "status-fulfilled",
    "status-cancelled",
    "status-noshow",
    "status-entered-in-error",
    "status-checked-in",
    "status-waitlist",
    "sync-idle",
    "sync-syncing",
    "sync-offline",
    "sync-error",
    "sync-pending-actions",
    "action-queued",
    "action-sending",
    "action-failed",
    "reminder-title",
    "reminder-body",
    "reminders-planned",
    "upcoming-heading",
    "history-heading",
    "no-appointments",
    "appointments-count",
    "signed-in-as",
    "signed-out",
    "session-locked",
    "booked-confirmation",
    "booking-queued-offline",
    "cancelled-confirmation",
    "cancel-queued-offline",
    "role-patient",
    "role-provider",
    "minutes",
];

#[test]
fn every_required_id_exists_in_every_locale() {
    for locale in SUPPORTED_LOCALES {
        let ids = messages(locale);
        for id in REQUIRED_IDS {
            assert!(ids.contains_key(*id), "{locale}: no {id}");
        }
    }
}

#[test]
fn every_message_formats_cleanly_in_every_locale() {
    for locale in SUPPORTED_LOCALES {
        let Some(l10n) = Localizer::for_locale(locale) else { panic!("{locale}") };
        let l10n = l10n.with_isolating(false);
        for (id, vars) in messages(locale) {
            for count in [0, 1, 2, 3, 11, 100] {
                let args: Vec<(&str, Arg)> = vars
                    .iter()
                    .map(|var| match var.as_str() {
                        "count" | "minutes" => (var.as_str(), Arg::from(count)),
                        "role" => (var.as_str(), Arg::from("provider")),
                        _ => (var.as_str(), Arg::from("X")),
                    })
                    .collect();
                let text = l10n.message(&id, &args);
                assert!(!text.trim().is_empty(), "{locale} {id}");
                assert!(!text.contains('{') && !text.contains('}'), "{locale} {id}: {text}");
                assert_ne!(text, format!("[{id}]"), "{locale} {id}");
                if *locale == "ar" {
                    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{locale} {id}: {text}");
                }
            }
        }
    }
}
