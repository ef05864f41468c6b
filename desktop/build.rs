//! Tauri's build step, with the app's own commands declared so capabilities must grant each one
//! (least privilege: a command no capability lists cannot be called from the UI).

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(psyter_commands());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build step");
}

/// Every command the UI may call; keep in step with `src/commands/mod.rs` and `capabilities/main.json`.
fn psyter_commands() -> &'static [&'static str] {
    &[
        "app_info",
        "session_phase",
        "session_touch",
        "auth_login",
        "auth_register",
        "auth_logout",
        "auth_lock",
        "auth_unlock_method",
        "auth_unlock_password",
        "auth_unlock_os",
        "me",
        "settings_update",
        "settings_local",
        "settings_set_auto_lock",
        "settings_set_biometric",
        "providers_search",
        "providers_profile",
        "providers_slots",
        "availability_get",
        "availability_put",
        "availability_preview",
        "appointments_upcoming",
        "appointments_past",
        "appointments_search",
        "appointments_get",
        "appointments_policy",
        "appointments_note",
        "appointments_calls",
        "appointments_pending",
        "appointments_dismiss",
        "appointments_retry",
        "appointments_book",
        "appointments_cancel",
        "appointments_reschedule",
        "appointments_set_status",
        "appointments_write_note",
        "stats",
        "sync_status",
        "sync_now",
        "reminders_scheduled",
        "video_check",
        "video_join",
        "video_leave",
        "video_view",
        "video_mute_audio",
        "video_mute_video",
        "video_switch_device",
        "video_open_in_browser",
        "engine_event",
        "engine_devices",
    ]
}
