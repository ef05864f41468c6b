//! The `psyter-desktop` binary: the Tauri app.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    psyter_desktop::run();
}
