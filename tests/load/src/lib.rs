//! Shared helpers for Psyter's load tools (placeholder).
