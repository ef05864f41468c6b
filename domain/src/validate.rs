//! Field validation shared by server and client. Errors never echo the offending value.

use crate::DomainError;

/// An IANA time zone name known to the bundled tz database.
pub fn time_zone(name: &str) -> Result<(), DomainError> {
    if name.is_empty() || name.len() > 64 {
        return Err(DomainError::UnknownTimeZone);
    }
    jiff::tz::TimeZone::get(name).map(|_| ()).map_err(|_| DomainError::UnknownTimeZone)
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
    if local.is_empty() || domain.contains('@') || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.')
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
