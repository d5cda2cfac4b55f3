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
    /// A raster request waits for a render slot while its expected wait stays under this, e.g.
    /// "5s"; past it, 503 with Retry-After.
    pub render_queue_budget: Option<String>,
    /// Where statistics and the file index live: absent for the embedded store, or a
    /// `redis://`/`rediss://` URL shared by a fleet.
    pub store: Option<String>,
    /// Prefix of every Redis key (`luna:` by default), so fleets can share a server.
    pub store_prefix: Option<String>,
    /// Generations counted in memory at most while Redis is unreachable (1000000 by default);
    /// counts past it are dropped and reported.
    pub store_buffer: Option<u64>,
    /// This replica's name in fleet events [default: host name and process id].
    pub replica: Option<String>,
    #[serde(default)]
    pub cleanup: CleanupFile,
    #[serde(default)]
    pub http: HttpFile,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpFile {
    /// Address to serve HTTP on, e.g. "127.0.0.1:8000"; "off" disables HTTP.
    pub listen: Option<String>,
    /// Bearer token that `DELETE /cleanup` requires; without one, HTTP cleanup is refused.
    pub cleanup_token: Option<String>,
    /// Proxies (CIDRs) whose `X-Forwarded-For` is believed when identifying clients.
    pub trusted_proxies: Option<Vec<String>>,
    /// Origins allowed to call the API from a browser (CORS); none by default.
    pub cors_origins: Option<Vec<String>>,
    /// Largest accepted request body.
    pub max_body_bytes: Option<usize>,
    /// Whole-request deadline, e.g. "30s".
    pub request_timeout: Option<String>,
    /// Time a client has to send its request headers, e.g. "10s".
    pub header_timeout: Option<String>,
    /// Reported by `/health` as `environment`.
    pub environment: Option<String>,
    /// `/health` answers 503, not 200, while the shared store is unreachable.
    pub strict_health: Option<bool>,
    /// Who decides while Redis is unreachable: "local" (each replica alone, the default),
    /// "open" (admit everything) or "closed" (refuse rate-limited routes with 503).
    pub rate_limit_fallback: Option<String>,
    #[serde(default)]
    pub rate_limits: RateLimitsFile,
}

/// Requests per minute per client; 0 means unlimited.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitsFile {
    pub generate: Option<u32>,
    pub logo: Option<u32>,
    pub download: Option<u32>,
    pub cleanup: Option<u32>,
    /// Every other route.
    pub default: Option<u32>,
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
    pub render_queue_budget: Duration,
    pub cleanup: CleanupPolicy,
    /// How long in-flight requests may take to finish at shutdown.
    pub drain_timeout: Duration,
    /// Idle IPC connections (not subscribed, nothing in flight) are closed after this.
    pub idle_timeout: Duration,
    pub http: HttpSettings,
    pub store: StoreChoice,
    /// Generations (and file index entries) kept in memory while a shared store is unreachable.
    pub store_buffer: u64,
    /// This replica's name in fleet events.
    pub replica: String,
}

/// Which store backs statistics and the file index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// sled in `data_dir/store`: one process on one machine.
    Embedded,
    /// A Redis server shared by every replica.
    Redis {
        url: crate::store::RedisUrl,
        prefix: String,
        /// Used when the URL has none (from `LUNA_REDIS_PASSWORD`).
        password: Option<Secret>,
    },
}

/// A value that never shows in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// `None`: HTTP disabled.
    pub listen: Option<std::net::SocketAddr>,
    /// The address was configured; otherwise it is the default, and a busy port only disables
    /// HTTP with a warning (so extra daemons, e.g. autostarted per socket, still come up).
    pub listen_explicit: bool,
    pub cleanup_token: Option<String>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub cors_origins: Vec<String>,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// Time allowed for a client to send its request headers.
    pub header_timeout: Duration,
    pub environment: String,
    pub strict_health: bool,
    pub rate_limits: RateLimits,
    pub rate_limit_fallback: RateLimitFallback,
}

/// What decides rate limits while the shared limiter (Redis) is unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateLimitFallback {
    /// Each replica's own limiter: N replicas then allow up to N times the rate.
    #[default]
    Local,
    /// No limit until Redis returns.
    Open,
    /// Rate-limited routes answer 503 until Redis returns.
    Closed,
}

/// Requests per minute per client; `None` is unlimited.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    pub generate: Option<u32>,
    pub logo: Option<u32>,
    pub download: Option<u32>,
    pub cleanup: Option<u32>,
    pub default: Option<u32>,
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
    #[error("invalid {key} '{value}': {reason}")]
    Invalid {
        key: &'static str,
        value: String,
        reason: String,
    },
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
            render_queue_budget: match self.render_queue_budget.as_deref() {
                None => Duration::from_secs(5),
                Some(text) => parse_duration("render_queue_budget", text)?,
            },
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
            http: self.http.resolve()?,
            store_buffer: self.store_buffer.unwrap_or(1_000_000),
            replica: match self.replica {
                Some(name)
                    if name.trim().is_empty()
                        || name.len() > 64
                        || name.chars().any(char::is_control) =>
                {
                    return Err(ConfigError::Invalid {
                        key: "replica",
                        value: name.escape_debug().to_string(),
                        reason: "give 1 to 64 printable characters".into(),
                    });
                }
                Some(name) => name,
                None => default_replica(),
            },
            store: match self.store {
                None => StoreChoice::Embedded,
                Some(url) if url.starts_with("redis://") || url.starts_with("rediss://") => {
                    StoreChoice::Redis {
                        url: crate::store::RedisUrl::new(url),
                        prefix: self.store_prefix.unwrap_or_else(|| "luna:".to_owned()),
                        password: None,
                    }
                }
                Some(other) => {
                    let shown = crate::store::RedisUrl::new(other).redacted();
                    return Err(ConfigError::Invalid {
                        key: "store",
                        value: shown,
                        reason: "give a redis:// or rediss:// URL, or leave it out for the embedded store".into(),
                    });
                }
            },
        })
    }
}

impl HttpFile {
    fn resolve(self) -> Result<HttpSettings, ConfigError> {
        let invalid = |key: &'static str, value: &str, reason: String| ConfigError::Invalid {
            key,
            value: value.to_owned(),
            reason,
        };
        let listen = match self.listen.as_deref() {
            None => Some(std::net::SocketAddr::from(([127, 0, 0, 1], 8000))),
            Some("off") => None,
            Some(text) => Some(text.parse().map_err(|e: std::net::AddrParseError| {
                invalid("http.listen", text, e.to_string())
            })?),
        };
        let trusted_proxies = self
            .trusted_proxies
            .unwrap_or_default()
            .iter()
            .map(|cidr| {
                parse_net(cidr).map_err(|reason| invalid("http.trusted_proxies", cidr, reason))
            })
            .collect::<Result<_, _>>()?;
        let cors_origins = self.cors_origins.unwrap_or_default();
        if let Some(star) = cors_origins.iter().find(|o| o.contains('*')) {
            return Err(invalid(
                "http.cors_origins",
                star,
                "list exact origins; wildcards are not allowed".into(),
            ));
        }
        let per_minute = |n: Option<u32>, default: u32| match n.unwrap_or(default) {
            0 => None,
            n => Some(n),
        };
        let limits = self.rate_limits;
        Ok(HttpSettings {
            listen_explicit: self.listen.is_some(),
            listen,
            cleanup_token: self.cleanup_token.filter(|t| !t.is_empty()),
            trusted_proxies,
            cors_origins,
            max_body_bytes: self.max_body_bytes.unwrap_or(64 * 1024),
            request_timeout: match self.request_timeout.as_deref() {
                None => Duration::from_secs(30),
                Some(text) => parse_duration("http.request_timeout", text)?,
            },
            header_timeout: match self.header_timeout.as_deref() {
                None => Duration::from_secs(10),
                Some(text) => parse_duration("http.header_timeout", text)?,
            },
            environment: self.environment.unwrap_or_else(|| "development".to_owned()),
            strict_health: self.strict_health.unwrap_or(false),
            rate_limit_fallback: match self.rate_limit_fallback.as_deref() {
                None | Some("local") => RateLimitFallback::Local,
                Some("open") => RateLimitFallback::Open,
                Some("closed") => RateLimitFallback::Closed,
                Some(other) => {
                    return Err(invalid(
                        "http.rate_limit_fallback",
                        other,
                        "give local, open or closed".into(),
                    ));
                }
            },
            rate_limits: RateLimits {
                generate: per_minute(limits.generate, 100),
                logo: per_minute(limits.logo, 6000),
                download: per_minute(limits.download, 600),
                cleanup: per_minute(limits.cleanup, 10),
                default: per_minute(limits.default, 1200),
            },
        })
    }
}

/// An address or network: `10.0.0.0/8`, `127.0.0.1` (a single host), `::1`.
pub fn parse_net(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|e| e.to_string())
}

fn parse_duration(key: &'static str, text: &str) -> Result<Duration, ConfigError> {
    humantime::parse_duration(text).map_err(|e| ConfigError::Duration {
        key,
        value: text.to_owned(),
        reason: e.to_string(),
    })
}

/// `host-pid`: unique among the replicas of a fleet, also several on one host.
fn default_replica() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    match host.is_empty() {
        true => format!("lunad-{}", std::process::id()),
        false => format!("{host}-{}", std::process::id()),
    }
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
