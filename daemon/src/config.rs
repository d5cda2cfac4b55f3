//! Daemon settings: built-in defaults, overridden by a TOML file, overridden by flags and
//! environment (the binary applies those). Every setting here is honoured; none is decorative.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The `lunad.toml` file. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Unix socket path.
    pub socket: Option<PathBuf>,
    /// Where the store and generated files live.
    pub data_dir: Option<PathBuf>,
    /// Bytes of rendered output kept in memory.
    pub cache_bytes: Option<u64>,
    /// Simultaneous IPC connections; more are told `busy`.
    pub max_connections: Option<usize>,
    /// Raster renders running at once (each uses one core).
    pub render_threads: Option<usize>,
    #[serde(default)]
    pub cleanup: CleanupFile,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanupFile {
    /// Remove stored files older than this, e.g. "24h"; "off" disables.
    pub max_age: Option<String>,
    /// Keep the artefact store under this many bytes (oldest removed first); 0 disables.
    pub max_total_bytes: Option<u64>,
    /// How often the sweeper runs, e.g. "10m".
    pub interval: Option<String>,
}

/// Resolved settings the daemon runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub socket: PathBuf,
    pub data_dir: PathBuf,
    pub cache_bytes: u64,
    pub max_connections: usize,
    pub render_threads: usize,
    pub cleanup: CleanupPolicy,
    /// How long in-flight requests may take to finish at shutdown.
    pub drain_timeout: Duration,
    /// Idle IPC connections (not subscribed, nothing in flight) are closed after this.
    pub idle_timeout: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CleanupPolicy {
    pub max_age: Option<Duration>,
    pub max_total_bytes: Option<u64>,
    pub interval: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config file {}: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("invalid duration '{value}' for {key}: {reason}")]
    Duration {
        key: &'static str,
        value: String,
        reason: String,
    },
    #[error("{key} must be at least {min}")]
    TooSmall { key: &'static str, min: u64 },
    #[error("no home directory to put the data in; pass --data-dir")]
    NoDataDir,
}

impl ConfigFile {
    /// Reads a config file; a missing file at the default location is not an error.
    pub fn load(path: &Path, required: bool) -> Result<ConfigFile, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|source| ConfigError::Parse {
                path: path.to_owned(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(ConfigFile::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Fills every unset value with its default.
    pub fn resolve(self) -> Result<Settings, ConfigError> {
        let data_dir = match self.data_dir {
            Some(dir) => dir,
            None => default_data_dir().ok_or(ConfigError::NoDataDir)?,
        };
        let max_age = match self.cleanup.max_age.as_deref() {
            None => Some(Duration::from_secs(24 * 3600)),
            Some("off") => None,
            Some(text) => Some(parse_duration("cleanup.max_age", text)?),
        };
        let interval = match self.cleanup.interval.as_deref() {
            None => Duration::from_secs(600),
            Some(text) => parse_duration("cleanup.interval", text)?,
        };
        if interval < Duration::from_secs(1) {
            return Err(ConfigError::TooSmall {
                key: "cleanup.interval (seconds)",
                min: 1,
            });
        }
        let max_connections = self.max_connections.unwrap_or(256);
        if max_connections == 0 {
            return Err(ConfigError::TooSmall {
                key: "max_connections",
                min: 1,
            });
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Settings {
            socket: self
                .socket
                .unwrap_or_else(luna_ipc::paths::default_socket_path),
            data_dir,
            cache_bytes: self.cache_bytes.unwrap_or(16 << 20),
            max_connections,
            render_threads: self.render_threads.unwrap_or(cores).max(1),
            cleanup: CleanupPolicy {
                max_age,
                max_total_bytes: match self.cleanup.max_total_bytes {
                    Some(0) => None,
                    Some(n) => Some(n),
                    None => Some(256 << 20),
                },
                interval,
            },
            drain_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        })
    }
}

fn parse_duration(key: &'static str, text: &str) -> Result<Duration, ConfigError> {
    humantime::parse_duration(text).map_err(|e| ConfigError::Duration {
        key,
        value: text.to_owned(),
        reason: e.to_string(),
    })
}

/// `$XDG_DATA_HOME/luna` (usually `~/.local/share/luna`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "luna").map(|d| d.data_dir().to_path_buf())
}

/// `$XDG_CONFIG_HOME/luna/lunad.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "luna").map(|d| d.config_dir().join("lunad.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sane() {
        let file = ConfigFile {
            data_dir: Some("/tmp/x".into()),
            ..ConfigFile::default()
        };
        let s = file.resolve().unwrap();
        assert_eq!(s.cleanup.max_age, Some(Duration::from_secs(86_400)));
        assert_eq!(s.cleanup.max_total_bytes, Some(256 << 20));
        assert!(s.max_connections >= 200);
    }

    #[test]
    fn file_values_are_parsed_and_validated() {
        let file: ConfigFile = toml::from_str(
            "data_dir = \"/d\"\ncache_bytes = 1024\n[cleanup]\nmax_age = \"2h 30m\"\ninterval = \"5s\"\nmax_total_bytes = 0\n",
        )
        .unwrap();
        let s = file.resolve().unwrap();
        assert_eq!(s.cache_bytes, 1024);
        assert_eq!(s.cleanup.max_age, Some(Duration::from_secs(9000)));
        assert_eq!(s.cleanup.max_total_bytes, None);
        assert_eq!(s.cleanup.interval, Duration::from_secs(5));

        let off: ConfigFile = toml::from_str("[cleanup]\nmax_age = \"off\"").unwrap();
        assert_eq!(
            ConfigFile {
                data_dir: Some("/d".into()),
                ..off
            }
            .resolve()
            .unwrap()
            .cleanup
            .max_age,
            None
        );
        assert!(toml::from_str::<ConfigFile>("colour = 1").is_err());
        let bad: ConfigFile = toml::from_str("[cleanup]\nmax_age = \"soon\"").unwrap();
        assert!(matches!(
            ConfigFile {
                data_dir: Some("/d".into()),
                ..bad
            }
            .resolve(),
            Err(ConfigError::Duration { .. })
        ));
    }
}
