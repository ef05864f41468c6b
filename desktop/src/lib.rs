//! Psyter's desktop app (Tauri 2): the UI in `ui/` calls the core directly through the commands in
//! `commands`, and hears the core's events as Tauri events. Providers run their day here; patients
//! can use it too. Secrets live in the OS keychain through the core's desktop `SecretStore`.

mod bridge;
mod commands;
mod engine;
mod error;
mod events;
mod notify;
mod state;

use std::sync::Arc;

use psyter_core::api::ApiConfig;
use psyter_core::secret::KeyringStore;
use psyter_core::{Config, Psyter};
use tauri::{AppHandle, Manager};
use tauri_plugin_deep_link::DeepLinkExt;

pub use engine::{EngineCommand, WebviewEngine};
pub use error::{IpcError, IpcResult};
pub use events::parse_deep_link;
pub use state::Settings;

use crate::notify::DesktopNotifier;
use crate::state::AppState;

/// Runs the app until its window closes.
pub fn run() {
    init_logging();
    let app = tauri::Builder::default()
        // First, so a second launch (e.g. a psyter:// link) hands over to this one and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| focus_main(app)))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(commands::handler())
        .setup(|app| {
            setup(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            tracing::error!(error = %e, "Psyter could not start");
            std::process::exit(1);
        }
    }
}

/// Opens the core of the configured profile and wires events, deep links and reminders to the UI.
fn setup(app: &AppHandle) {
    let data_dir = app.path().app_data_dir().unwrap_or_else(|_| std::env::temp_dir().join("psyter"));
    let settings = Settings::from_env(data_dir);
    let engine = Arc::new(WebviewEngine::new(app.clone(), settings.server_url.clone()));
    let core = tauri::async_runtime::block_on(open_core(app, &settings)).map_err(IpcError::from);
    if let Err(e) = &core {
        tracing::error!(code = %e.code, "the profile could not be opened");
    }
    let state = AppState::new(core, settings, engine);
    if let Ok(core) = state.core() {
        events::forward(app, core);
        tauri::async_runtime::block_on(async { state.start_sync() });
    }
    app.manage(state);
    let links = app.clone();
    app.deep_link().on_open_url(move |event| {
        let urls: Vec<String> = event.urls().iter().map(ToString::to_string).collect();
        events::open_links(&links, urls.iter().map(String::as_str));
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        let urls: Vec<String> = urls.iter().map(ToString::to_string).collect();
        events::open_links(app, urls.iter().map(String::as_str));
    }
}

/// Opens the keychain and the profile's encrypted cache.
async fn open_core(app: &AppHandle, settings: &Settings) -> Result<Psyter, psyter_core::CoreError> {
    let service = settings.keyring_service.clone();
    let secrets = tokio::task::spawn_blocking(move || KeyringStore::open(&service))
        .await
        .map_err(|_| psyter_core::CoreError::Internal { detail: "opening the keychain failed".into() })??;
    let mut config =
        Config::new(ApiConfig::new(settings.server_url.clone()), settings.data_dir.clone(), Arc::new(secrets));
    config.profile = settings.profile.clone();
    config.notifications = Some(Arc::new(DesktopNotifier::new(app.clone())));
    Psyter::open(config).await
}

/// Brings the main window to the front.
fn focus_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Logs to stderr at `info` (`RUST_LOG` to change); nothing secret or personal is ever logged.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
