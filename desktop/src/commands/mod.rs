//! The commands the UI calls, one module per part of the core's object tree. Every command is async
//! (it runs on the async runtime, never on the UI thread), takes snake_case arguments and answers with
//! the core's own types or an `IpcError`. The list here, `build.rs` and `capabilities/main.json` agree.

mod account;
mod appointments;
mod providers;
mod session;
mod video;

/// The invoke handler with every command.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::app_info,
        session::session_phase,
        session::session_touch,
        session::auth_login,
        session::auth_register,
        session::auth_logout,
        session::auth_lock,
        session::auth_unlock_method,
        session::auth_unlock_password,
        session::auth_unlock_os,
        account::me,
        account::settings_update,
        account::settings_local,
        account::settings_set_auto_lock,
        account::settings_set_biometric,
        providers::providers_search,
        providers::providers_profile,
        providers::providers_slots,
        providers::availability_get,
        providers::availability_put,
        providers::availability_preview,
        appointments::appointments_upcoming,
        appointments::appointments_past,
        appointments::appointments_search,
        appointments::appointments_get,
        appointments::appointments_policy,
        appointments::appointments_note,
        appointments::appointments_calls,
        appointments::appointments_pending,
        appointments::appointments_dismiss,
        appointments::appointments_retry,
        appointments::appointments_book,
        appointments::appointments_cancel,
        appointments::appointments_reschedule,
        appointments::appointments_set_status,
        appointments::appointments_write_note,
        appointments::stats,
        appointments::sync_status,
        appointments::sync_now,
        appointments::reminders_scheduled,
        video::video_check,
        video::video_join,
        video::video_leave,
        video::video_view,
        video::video_mute_audio,
        video::video_mute_video,
        video::video_switch_device,
        video::video_open_in_browser,
        video::engine_event,
        video::engine_devices,
    ]
}
