//! Agora AccessToken2 (helper to implement).
