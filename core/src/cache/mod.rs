//! Encrypted offline cache (being built: see issue 3).
