//! Field validation shared by server and client. Errors never echo the offending value.

use crate::DomainError;

/// An IANA time zone name known to the bundled tz database.
pub fn time_zone(name: &str) -> Result<(), DomainError> {
    if name.is_empty() || name.len() > 64 {
        return Err(DomainError::UnknownTimeZone);
    }
    jiff::tz::TimeZone::get(name).map(|_| ()).map_err(|_| DomainError::UnknownTimeZone)
}

/// The canonical IANA spelling of a zone name ("america/new_york" -> "America/New_York"), so stored
/// names compare equal however they were typed.
pub fn canonical_time_zone(name: &str) -> Result<String, DomainError> {
    time_zone(name)?;
    let tz = jiff::tz::TimeZone::get(name).map_err(|_| DomainError::UnknownTimeZone)?;
    Ok(tz.iana_name().unwrap_or(name).to_owned())
}

/// A person's display name: 1 to 100 characters, no control characters.
pub fn display_name(name: &str) -> Result<(), DomainError> {
    let n = name.trim().chars().count();
    if n == 0 || n > 100 || name.chars().any(char::is_control) {
        return Err(DomainError::Invalid { field: "display_name", reason: "1 to 100 printable characters" });
    }
    Ok(())
}

/// An email address of plausible shape (local@domain.tld), at most 254 bytes.
pub fn email(addr: &str) -> Result<(), DomainError> {
    let bad = DomainError::Invalid { field: "email", reason: "not a valid email address" };
    if addr.len() > 254 || addr.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad);
    }
    let Some((local, domain)) = addr.split_once('@') else { return Err(bad) };
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(bad);
    }
    Ok(())
}

/// A password: 10 to 256 characters.
pub fn password(pw: &str) -> Result<(), DomainError> {
    let n = pw.chars().count();
    if !(10..=256).contains(&n) {
        return Err(DomainError::Invalid { field: "password", reason: "must be 10 to 256 characters" });
    }
    Ok(())
}

/// A patient's reason for the visit: at most 1000 characters.
pub fn reason(text: &str) -> Result<(), DomainError> {
    if text.chars().count() > 1000 {
        return Err(DomainError::Invalid { field: "reason", reason: "at most 1000 characters" });
    }
    Ok(())
}

/// A provider's session note: at most 20000 characters.
pub fn note(text: &str) -> Result<(), DomainError> {
    if text.chars().count() > 20_000 {
        return Err(DomainError::Invalid { field: "note", reason: "at most 20000 characters" });
    }
    Ok(())
}

/// A BCP 47 locale we ship: "en-US" or "ar".
pub fn locale(tag: &str) -> Result<(), DomainError> {
    match tag {
        "en-US" | "ar" => Ok(()),
        _ => Err(DomainError::Invalid { field: "locale", reason: "must be en-US or ar" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_names_are_canonicalised() {
        assert_eq!(canonical_time_zone("america/new_york").as_deref(), Ok("America/New_York"));
        assert_eq!(canonical_time_zone("Europe/London").as_deref(), Ok("Europe/London"));
        assert_eq!(canonical_time_zone("Mars/Olympus"), Err(DomainError::UnknownTimeZone));
        assert_eq!(canonical_time_zone(""), Err(DomainError::UnknownTimeZone));
    }

    #[test]
    fn emails_passwords_and_names() {
        assert!(email("a@b.co").is_ok());
        for bad in ["", "a", "a@", "@b.co", "a@b", "a b@c.de", "a@b@c.de", "a@.b", "a@b."] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(password("short").is_err());
        assert!(password("long enough pw").is_ok());
        assert!(display_name("  ").is_err());
        assert!(display_name("Layla\u{0007}").is_err());
        assert!(display_name("ليلى حداد").is_ok());
        assert!(locale("ar").is_ok() && locale("fr").is_err());
    }
}
