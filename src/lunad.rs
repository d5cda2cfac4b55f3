//! `lunad`: the luna daemon. Flags and environment override the config file, which overrides
//! the built-in defaults; everything else lives in the `luna_daemon` library.

use anyhow::Context;
use clap::{Parser, ValueEnum};
use luna_daemon::config::{ConfigFile, Secret, StoreChoice, default_config_path};
use luna_daemon::store::RedisUrl;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "lunad", version = luna_daemon::VERSION, about = "The luna logo daemon")]
struct Flags {
    /// Unix socket to serve the IPC protocol on.
    #[arg(long, env = "LUNA_SOCKET", value_name = "PATH")]
    socket: Option<PathBuf>,
    /// Directory for the store and generated files [default: $XDG_DATA_HOME/luna].
    #[arg(long, env = "LUNA_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// TOML config file [default: $XDG_CONFIG_HOME/luna/lunad.toml, if present].
    #[arg(long, env = "LUNA_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Bytes of rendered output kept in memory.
    #[arg(long, env = "LUNA_CACHE_BYTES", value_name = "BYTES")]
    cache_bytes: Option<u64>,
    /// HTTP address, e.g. 127.0.0.1:8000 (the default) or 0.0.0.0:8000; "off" disables HTTP.
    #[arg(long, env = "LUNA_HTTP_LISTEN", value_name = "ADDR")]
    http_listen: Option<String>,
    /// Comma-separated proxies (CIDRs) whose X-Forwarded-For identifies clients.
    #[arg(
        long,
        env = "LUNA_TRUSTED_PROXIES",
        value_name = "CIDRS",
        value_delimiter = ','
    )]
    trusted_proxies: Option<Vec<String>>,
    /// Comma-separated origins allowed to call the HTTP API from browsers (CORS).
    #[arg(
        long,
        env = "LUNA_CORS_ORIGINS",
        value_name = "ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Option<Vec<String>>,
    /// Statistics and file index: a redis:// URL shared by a fleet [default: the embedded store
    /// in the data directory]. Also LUNA_STORE. A password never goes here (`ps` shows flags):
    /// put it in LUNA_STORE or LUNA_REDIS_PASSWORD.
    #[arg(long, value_name = "URL")]
    store: Option<String>,
    /// Generations counted in memory at most while Redis is unreachable [default: 1000000].
    #[arg(long, env = "LUNA_STORE_BUFFER", value_name = "N")]
    store_buffer: Option<u64>,
    /// This replica's name in fleet events [default: HOSTNAME-PID].
    #[arg(long, env = "LUNA_REPLICA", value_name = "NAME")]
    replica: Option<String>,
    /// /health answers 503 (not 200 with "store": "degraded") while Redis is unreachable.
    #[arg(long, env = "LUNA_STRICT_HEALTH", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    strict_health: Option<bool>,
    /// Rate limits while Redis is unreachable: local (per replica), open or closed [default: local].
    #[arg(long, env = "LUNA_RATE_LIMIT_FALLBACK", value_name = "MODE")]
    rate_limit_fallback: Option<String>,
    /// Log line format (level and filters come from RUST_LOG, default "info").
    #[arg(long, env = "LUNA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    luna_daemon::memory::tune_allocator();
    let flags = Flags::parse();
    init_logging(flags.log_format);
    let settings = match settings(flags) {
        Ok(settings) => settings,
        Err(e) => {
            tracing::error!("{e:#}");
            return ExitCode::from(78); // EX_CONFIG
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::from(71);
        }
    };
    let result = runtime.block_on(luna_daemon::run(settings));
    // The store is flushed by now; renders abandoned by a cut-short drain may still be running
    // on blocking threads, and must not hold the exit up.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn settings(flags: Flags) -> anyhow::Result<luna_daemon::config::Settings> {
    let config_path = flags.config.clone().or_else(default_config_path);
    let mut file = match &config_path {
        Some(path) => ConfigFile::load(path, flags.config.is_some())?,
        None => ConfigFile::default(),
    };
    if let (Some(url), Some(path)) = (&file.store, &config_path) {
        use std::os::unix::fs::PermissionsExt;
        let shared = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        if shared && RedisUrl::new(url.clone()).has_password() {
            anyhow::bail!(
                "{} holds the Redis password but others can read it: chmod 600 it, or put the password in LUNA_REDIS_PASSWORD",
                path.display()
            );
        }
    }
    if let Some(url) = &flags.store
        && RedisUrl::new(url.clone()).has_password()
    {
        anyhow::bail!(
            "--store must not carry a password (any user can read it with ps): use LUNA_STORE or LUNA_REDIS_PASSWORD"
        );
    }
    file.store = flags
        .store
        .or_else(|| std::env::var("LUNA_STORE").ok())
        .or(file.store);
    file.socket = flags.socket.or(file.socket);
    file.data_dir = flags.data_dir.or(file.data_dir);
    file.cache_bytes = flags.cache_bytes.or(file.cache_bytes);
    file.http.listen = flags.http_listen.or(file.http.listen);
    file.http.trusted_proxies = flags.trusted_proxies.or(file.http.trusted_proxies);
    file.http.cors_origins = flags.cors_origins.or(file.http.cors_origins);
    file.store_buffer = flags.store_buffer.or(file.store_buffer);
    file.replica = flags.replica.or(file.replica);
    file.http.strict_health = flags.strict_health.or(file.http.strict_health);
    file.http.rate_limit_fallback = flags.rate_limit_fallback.or(file.http.rate_limit_fallback);
    // Secrets come from the environment only, never from flags (visible in `ps`).
    if let Ok(token) = std::env::var("LUNA_CLEANUP_TOKEN") {
        file.http.cleanup_token = Some(token);
    }
    if let Ok(environment) = std::env::var("ENVIRONMENT") {
        file.http.environment = Some(environment);
    }
    let mut settings = file.resolve().context("invalid configuration")?;
    if let StoreChoice::Redis { password, .. } = &mut settings.store {
        *password = std::env::var("LUNA_REDIS_PASSWORD").ok().map(Secret);
    }
    Ok(settings)
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => {
            use std::io::IsTerminal;
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            builder.with_ansi(colour).init()
        }
    }
}
