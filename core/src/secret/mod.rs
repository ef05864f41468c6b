//! Secret storage in the OS keychain (being built: see issue 3).
