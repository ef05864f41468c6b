//! `init_platform`: the runtime and logging, set up once per process. Log records go to the shell's
//! `Logger` (os_log, Logcat) through a small tracing layer; the core logs no secrets or health data.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::runtime::runtime;

/// How severe a log record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something unexpected that the core handled.
    Warn,
    /// A notable step.
    Info,
    /// Detail for developers.
    Debug,
    /// Very verbose detail.
    Trace,
}

/// Where the core's log records go (the shell forwards them to os_log or Logcat).
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// One record: its level, the module it came from, and the formatted message.
    fn log(&self, level: LogLevel, target: String, message: String);
}

/// How the platform sets the core up.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PlatformConfig {
    /// The most verbose level forwarded to the `Logger` (`Info` in release builds).
    pub log_level: LogLevel,
}

static INIT: OnceLock<()> = OnceLock::new();

/// Sets up the core's runtime and logging; call once at app start (later calls do nothing).
#[uniffi::export]
pub fn init_platform(config: PlatformConfig, logger: Option<Arc<dyn Logger>>) {
    INIT.get_or_init(|| {
        let _ = runtime();
        // A plain level, not an `EnvFilter`: its regex engine would add about a megabyte to the apps.
        let filter = match config.log_level {
            LogLevel::Error => LevelFilter::ERROR,
            LogLevel::Warn => LevelFilter::WARN,
            LogLevel::Info => LevelFilter::INFO,
            LogLevel::Debug => LevelFilter::DEBUG,
            LogLevel::Trace => LevelFilter::TRACE,
        };
        if let Some(logger) = logger {
            // Another subscriber may already be installed (e.g. by a host app); keep it then.
            let _ = tracing_subscriber::registry().with(ForeignLayer { logger }.with_filter(filter)).try_init();
        }
    });
}

/// Forwards tracing events to the shell's `Logger`.
struct ForeignLayer {
    logger: Arc<dyn Logger>,
}

impl<S: tracing::Subscriber> Layer<S> for ForeignLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut text = Message::default();
        event.record(&mut text);
        let level = match *meta.level() {
            tracing::Level::ERROR => LogLevel::Error,
            tracing::Level::WARN => LogLevel::Warn,
            tracing::Level::INFO => LogLevel::Info,
            tracing::Level::DEBUG => LogLevel::Debug,
            tracing::Level::TRACE => LogLevel::Trace,
        };
        self.logger.log(level, meta.target().to_owned(), text.0);
    }
}

/// An event's message followed by its other fields as `key=value`.
#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let rest = std::mem::take(&mut self.0);
            let _ = write!(self.0, "{value:?}{rest}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_comes_first_and_fields_follow() {
        struct Capture(std::sync::Mutex<Vec<(LogLevel, String)>>);
        impl Logger for Capture {
            fn log(&self, level: LogLevel, _target: String, message: String) {
                self.0.lock().expect("capture lock").push((level, message));
            }
        }
        let capture = Arc::new(Capture(Default::default()));
        let layer = ForeignLayer { logger: capture.clone() };
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
            tracing::warn!(pages = 3, "sync slowed down");
        });
        let seen = capture.0.lock().expect("capture lock").clone();
        assert_eq!(seen, vec![(LogLevel::Warn, "sync slowed down pages=3".to_owned())]);
    }
}
