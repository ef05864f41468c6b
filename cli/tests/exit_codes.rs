//! Exit codes for every error family, the documented table, and JSON error rendering.

use psyter_cli::exit::{self, EXIT_CODES, code_for, code_for_kind, kind_name};
use psyter_cli::output::{error_human, error_json, strip_isolates};
use psyter_core::i18n::Localizer;
use psyter_core::{CoreError, ErrorKind};
use psyter_domain::DomainError;
use serde_json::json;

const ALL_KINDS: [ErrorKind; 10] = [
    ErrorKind::Offline,
    ErrorKind::Auth,
    ErrorKind::Conflict,
    ErrorKind::Policy,
    ErrorKind::Validation,
    ErrorKind::NotFound,
    ErrorKind::Server,
    ErrorKind::Security,
    ErrorKind::Device,
    ErrorKind::Internal,
];

fn l10n() -> Localizer {
    Localizer::negotiate(&["en-US"]).with_isolating(false)
}

#[test]
fn every_kind_has_its_exit_code() {
    let expected = [
        (ErrorKind::Offline, 3),
        (ErrorKind::Conflict, 4),
        (ErrorKind::Validation, 5),
        (ErrorKind::Policy, 5),
        (ErrorKind::Auth, 6),
        (ErrorKind::NotFound, 7),
        (ErrorKind::Server, 8),
        (ErrorKind::Security, 9),
        (ErrorKind::Device, 9),
        (ErrorKind::Internal, 9),
    ];
    for (kind, code) in expected {
        assert_eq!(code_for_kind(kind), code, "{kind:?}");
    }
    for kind in ALL_KINDS {
        assert!(EXIT_CODES.iter().any(|(c, _)| *c == code_for_kind(kind)), "{kind:?} is documented");
        assert!(!kind_name(kind).is_empty());
    }
}

#[test]
fn errors_map_through_their_kind() {
    let cases = [
        (CoreError::Offline, 3),
        (CoreError::Network { detail: "reset".into() }, 3),
        (CoreError::Timeout, 3),
        (CoreError::Conflict { code: "slot_taken".into(), detail: String::new() }, 4),
        (CoreError::Conflict { code: "unsent_actions".into(), detail: String::new() }, 4),
        (CoreError::Policy { code: "cancel_cutoff".into(), detail: String::new() }, 5),
        (CoreError::Validation { code: "validation_failed".into(), detail: String::new() }, 5),
        (CoreError::Domain(DomainError::InsideCutoff), 5),
        (CoreError::Unauthorized { code: "not_signed_in".into() }, 6),
        (CoreError::Locked, 6),
        (CoreError::SessionEnded, 6),
        (CoreError::NotFound, 7),
        (CoreError::Server { status: 503 }, 8),
        (CoreError::RateLimited { retry_after_secs: 30 }, 8),
        (CoreError::InsecureTransport, 9),
        (CoreError::Certificate, 9),
        (CoreError::KeychainUnavailable { detail: String::new() }, 9),
        (CoreError::Storage { detail: String::new() }, 9),
        (CoreError::Internal { detail: String::new() }, 9),
    ];
    for (error, code) in cases {
        assert_eq!(code_for(&error), code, "{error:?}");
    }
}

#[test]
fn the_table_is_complete_and_in_the_help() {
    let codes: Vec<u8> = EXIT_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, vec![0, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!((exit::OK, exit::USAGE), (0, 2));
    let help = exit::long_about();
    for (code, meaning) in EXIT_CODES {
        assert!(help.contains(&format!("  {code}  {meaning}")), "{help}");
    }
}

#[test]
fn json_errors_have_code_kind_message_and_detail() {
    let error = CoreError::Conflict { code: "slot_taken".into(), detail: "that time is already taken".into() };
    assert_eq!(
        error_json(&l10n(), &error),
        json!({ "error": {
            "code": "slot_taken",
            "kind": "conflict",
            "message": "That time was just booked by someone else. Please choose another slot.",
            "detail": "conflict: that time is already taken",
        }})
    );
    let offline = error_json(&l10n(), &CoreError::Offline);
    assert_eq!(offline["error"]["kind"], "offline");
    assert_eq!(offline["error"]["code"], "offline");
    let auth = error_json(&l10n(), &CoreError::Locked);
    assert_eq!((auth["error"]["code"].as_str(), auth["error"]["kind"].as_str()), (Some("locked"), Some("auth")));
    for kind_word in ["not_found", "server", "security", "device", "internal", "policy", "validation"] {
        assert!(ALL_KINDS.iter().any(|k| kind_name(*k) == kind_word));
    }
}

#[test]
fn codes_without_a_message_fall_back_to_the_detail() {
    // A code only the CLI uses (no message in the bundles) keeps its own explanation.
    let error = CoreError::Conflict {
        code: "no_free_slot".into(),
        detail: "the provider has no free slot in that range".into(),
    };
    let doc = error_json(&l10n(), &error);
    assert_eq!(doc["error"]["message"], "conflict: the provider has no free slot in that range");
    let lines = error_human(&l10n(), &error);
    assert!(lines[0].starts_with("error: ") && lines[0].ends_with("[no_free_slot]"), "{lines:?}");
}

#[test]
fn messages_are_localised() {
    let ar = Localizer::negotiate(&["ar_SA.UTF-8"]).with_isolating(false);
    let doc = error_json(&ar, &CoreError::Offline);
    assert_ne!(doc["error"]["message"], error_json(&l10n(), &CoreError::Offline)["error"]["message"]);
    assert_eq!(doc["error"]["code"], "offline");
}

#[test]
fn bidi_isolates_are_stripped_for_terminals() {
    assert_eq!(strip_isolates("with \u{2068}Dr. Sarah\u{2069} at \u{2066}9:00\u{2069}"), "with Dr. Sarah at 9:00");
}
