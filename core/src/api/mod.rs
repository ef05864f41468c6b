//! HTTP client for the Psyter API (being built: see issue 3).
