//! Shared by the bindings' tests and bench: the reference server in-process on loopback, and Rust
//! implementations of the foreign traits (what Kotlin and Swift implement in the apps).
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use psyter_core::video::{DeviceStatus, EngineEvent, JoinParams, ProbeResult};
use psyter_ffi::{ClientConfig, EngineListener, MediaEngine, PlatformError, PsyterClient, SecretStore};
use psyter_server::{AppState, Clock};

/// The demo-seeded reference server on a loopback port, running on its own runtime.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    runtime: Option<tokio::runtime::Runtime>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts a seeded server.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("rt");
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("server.db");
        // Spawned, not `block_on`, so tests may start it from inside their own runtime.
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let addr = listener.local_addr().expect("addr");
            let clock = Clock::default();
            let state = AppState::open(psyter_server::Config::new(db), clock.clone()).expect("state");
            state.db.with_writer(|c| psyter_server::seed::seed_demo(c, 20, clock.now())).expect("seed");
            let _ = tx.send(format!("http://{addr}"));
            let _ = psyter_server::serve(listener, state, std::future::pending()).await;
        });
        let base = rx.recv().expect("the server starts");
        Self { base, runtime: Some(runtime), _dir: dir }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Tests drop it from inside their own runtime, where a blocking shutdown is not allowed.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A keychain in memory that can be told to fail.
#[derive(Default)]
pub struct MemorySecrets {
    items: Mutex<HashMap<String, Vec<u8>>>,
    /// When set, `set` fails with this error.
    pub fail_set: Mutex<Option<PlatformError>>,
}

impl SecretStore for MemorySecrets {
    fn get(&self, key: String) -> Result<Option<Vec<u8>>, PlatformError> {
        Ok(self.items.lock().expect("lock").get(&key).cloned())
    }

    fn set(&self, key: String, value: Vec<u8>) -> Result<(), PlatformError> {
        if let Some(err) = self.fail_set.lock().expect("lock").clone() {
            return Err(err);
        }
        self.items.lock().expect("lock").insert(key, value);
        Ok(())
    }

    fn delete(&self, key: String) -> Result<(), PlatformError> {
        self.items.lock().expect("lock").remove(&key);
        Ok(())
    }
}

/// A media engine that reports a fixed probe result back through the listener, from another thread.
#[derive(Default)]
pub struct ProbeEngine {
    listener: Mutex<Option<Arc<EngineListener>>>,
}

impl MediaEngine for ProbeEngine {
    fn set_listener(&self, listener: Arc<EngineListener>) {
        *self.listener.lock().expect("lock") = Some(listener);
    }
    fn join(&self, _params: JoinParams) -> Result<(), PlatformError> {
        Ok(())
    }
    fn leave(&self) -> Result<(), PlatformError> {
        Ok(())
    }
    fn renew_token(&self, _token: String) -> Result<(), PlatformError> {
        Ok(())
    }
    fn set_audio_muted(&self, _muted: bool) -> Result<(), PlatformError> {
        Ok(())
    }
    fn set_video_muted(&self, _muted: bool) -> Result<(), PlatformError> {
        Ok(())
    }
    fn switch_device(&self, _device: psyter_core::video::Device, _id: String) -> Result<(), PlatformError> {
        Ok(())
    }
    fn set_audio_only(&self, _on: bool) -> Result<(), PlatformError> {
        Ok(())
    }
    fn start_probe(&self) -> Result<(), PlatformError> {
        let listener = self.listener.lock().expect("lock").clone();
        std::thread::spawn(move || {
            if let Some(listener) = listener {
                listener.on_event(EngineEvent::Probe(ProbeResult { uplink: 5, downlink: 5, rtt_ms: 900 }));
            }
        });
        Ok(())
    }
    fn devices(&self) -> Result<DeviceStatus, PlatformError> {
        Ok(DeviceStatus { microphone: true, microphone_allowed: true, camera: true, camera_allowed: false })
    }
}

/// A client config for `base` in a fresh data directory.
pub fn config(base: &str, dir: &tempfile::TempDir) -> ClientConfig {
    ClientConfig {
        base_url: base.to_owned(),
        data_dir: dir.path().to_string_lossy().into_owned(),
        profile: "default".into(),
        pins: Vec::new(),
        request_timeout_secs: 10,
    }
}

/// Opens a client with `secrets` and no other platform services.
pub async fn open(base: &str, dir: &tempfile::TempDir, secrets: Arc<MemorySecrets>) -> Arc<PsyterClient> {
    PsyterClient::open(config(base, dir), secrets, None, None, None).await.expect("open")
}
