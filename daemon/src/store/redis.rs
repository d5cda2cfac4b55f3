//! [`Store`] on a Redis server shared by every replica of a fleet. The only file that names Redis.
//!
//! Key schema, under a prefix (`luna:` by default) so fleets can share a server:
//! - `{prefix}counters`: hash; `total`, `cache_hits`, `last_generation_ms`, and
//!   `variant/<key>`, `style/<key>`, `size/<px>`, `format/<ext>` counts;
//! - `{prefix}batch:<id>`: a marker (24 h) that a batch (counters and new index entries) was
//!   applied, so a batch retried after an answer was lost is not counted twice;
//! - `{prefix}files`: hash, stored-file name → JSON index record;
//! - `{prefix}files:summary`: hash, `count` and `bytes` of the index, kept exact by the scripts
//!   that insert and remove records.
//!
//! Every write is one Lua script, which Redis runs atomically. A write is durable once Redis
//! answered, as far as the server's own persistence goes (`appendfsync always` loses nothing).

use super::{
    Admission, Batch, Counters, FileRecord, FilesSummary, Fleet, Store, StoreError, decode_counter,
};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, IntoConnectionInfo, Script};
use std::collections::HashMap;
use std::time::Duration;

/// How long one command may take before it fails (and the caller retries or degrades).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a batch marker is kept: far longer than any retry.
const BATCH_MARKER_SECONDS: u64 = 24 * 3600;

/// ARGV: marker TTL, last generation ms (or ''), the number n of counter fields, n (field,
/// increment) pairs, then (name, JSON record, bytes) triples of index entries to add if absent.
const ADD: &str = r"
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local fields = tonumber(ARGV[3])
for i = 4, 3 + 2 * fields, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[2] ~= '' then
  local last = tonumber(redis.call('HGET', KEYS[1], 'last_generation_ms') or '0')
  if tonumber(ARGV[2]) > last then redis.call('HSET', KEYS[1], 'last_generation_ms', ARGV[2]) end
end
for i = 4 + 2 * fields, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('HINCRBY', KEYS[4], 'count', 1)
    redis.call('HINCRBY', KEYS[4], 'bytes', ARGV[i + 2])
  end
end
return 1
";

const INSERT: &str = r"
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if old then
  local ok, record = pcall(cjson.decode, old)
  local old_bytes = (ok and tonumber(record.bytes)) or 0
  redis.call('HINCRBY', KEYS[2], 'bytes', tonumber(ARGV[3]) - old_bytes)
else
  redis.call('HINCRBY', KEYS[2], 'count', 1)
  redis.call('HINCRBY', KEYS[2], 'bytes', ARGV[3])
end
return 1
";

const REMOVE: &str = r"
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local ok, record = pcall(cjson.decode, old)
redis.call('HINCRBY', KEYS[2], 'count', -1)
redis.call('HINCRBY', KEYS[2], 'bytes', -((ok and tonumber(record.bytes)) or 0))
return old
";

/// GCRA (the generic cell rate algorithm): the key holds the theoretical arrival time of the
/// next request, in µs of the server's clock, so every replica agrees on time. Returns
/// `{1, remaining burst}` or `{0, µs until a retry is admitted}`.
const ADMIT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local allowed_from = next_tat - burst * interval
if now < allowed_from then return {0, allowed_from - now} end
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
return {1, math.floor((now - allowed_from) / interval)}
";

pub struct RedisStore {
    connection: ConnectionManager,
    /// Opened lazily, on the first [`Fleet::listen`]: a second connection, in RESP3, whose
    /// subscription the manager renews after every reconnect.
    client: redis::Client,
    /// The URL without its password, for errors.
    shown: String,
    prefix: String,
    add: Script,
    insert: Script,
    remove: Script,
    admit: Script,
}

/// Where to connect, without ever showing the password.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisUrl(String);

impl RedisUrl {
    pub fn new(url: impl Into<String>) -> RedisUrl {
        RedisUrl(url.into())
    }

    /// Whether the URL carries a password (`redis://:secret@host`).
    pub fn has_password(&self) -> bool {
        self.0
            .clone()
            .into_connection_info()
            .is_ok_and(|info| info.redis_settings().password().is_some())
    }

    /// The URL with any password replaced by `***`, for logs and errors.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return self.0.clone();
        };
        match rest.split_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split(':').next().unwrap_or("");
                format!("{scheme}://{user}:***@{host}")
            }
            None => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Transient failures (the server is down, restarting, loading its data or failing over) make
/// the store [`StoreError::Unreachable`], which callers ride out; anything else is an error.
fn error(e: redis::RedisError) -> StoreError {
    use redis::{ErrorKind, ServerErrorKind};
    let transient = e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || matches!(
            e.kind(),
            ErrorKind::Server(
                ServerErrorKind::BusyLoading
                    | ServerErrorKind::MasterDown
                    | ServerErrorKind::ReadOnly
                    | ServerErrorKind::TryAgain
                    | ServerErrorKind::ClusterDown
            )
        );
    if transient {
        StoreError::Unreachable(format!("redis: {e}"))
    } else if e.kind() == redis::ErrorKind::AuthenticationFailed
        || matches!(e.kind(), ErrorKind::Server(ServerErrorKind::NoPerm))
        || e.to_string().contains("WRONGPASS")
        || e.to_string().contains("NOAUTH")
    {
        StoreError::Denied(format!("redis: {e}"))
    } else {
        StoreError::Database(format!("redis: {e}"))
    }
}

impl RedisStore {
    /// Prepares the connection without waiting for the server: a fleet starts (degraded) while
    /// Redis is down, and the manager keeps reconnecting. [`Store::ping`] tells whether it is up
    /// and the password right. `password` is used when the URL carries none.
    pub fn open(
        url: &RedisUrl,
        password: Option<&str>,
        prefix: &str,
    ) -> Result<RedisStore, StoreError> {
        let bad_url = |e: redis::RedisError| {
            StoreError::Config(format!("bad Redis URL {}: {e}", url.redacted()))
        };
        let mut info = url.0.as_str().into_connection_info().map_err(bad_url)?;
        if let (None, Some(password)) = (info.redis_settings().password(), password) {
            let settings = info.redis_settings().clone().set_password(password);
            info = info.set_redis_settings(settings);
        }
        let client = redis::Client::open(info).map_err(bad_url)?;
        let connection = ConnectionManager::new_lazy_with_config(client.clone(), manager_config())
            .map_err(bad_url)?;
        Ok(RedisStore {
            connection,
            client,
            shown: url.redacted(),
            prefix: prefix.to_owned(),
            add: Script::new(ADD),
            insert: Script::new(INSERT),
            remove: Script::new(REMOVE),
            admit: Script::new(ADMIT),
        })
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn channel(&self) -> String {
        self.key("events")
    }
}

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_response_timeout(Some(RESPONSE_TIMEOUT))
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(500))
}

#[async_trait::async_trait]
impl Fleet for RedisStore {
    async fn admit(&self, key: &str, per_minute: u32) -> Result<Admission, StoreError> {
        let interval_us = 60_000_000 / u64::from(per_minute.max(1));
        let (admitted, value): (i64, i64) = self
            .admit
            .key(self.key(&format!("rate:{key}")))
            .arg(interval_us)
            .arg(per_minute)
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(error)?;
        Ok(if admitted == 1 {
            Admission::Admitted {
                remaining: u32::try_from(value.max(0)).unwrap_or(u32::MAX),
            }
        } else {
            Admission::Refused {
                retry_after: Duration::from_micros(value.max(1) as u64),
            }
        })
    }

    async fn publish(&self, message: &str) -> Result<(), StoreError> {
        let _: i64 = self
            .connection
            .clone()
            .publish(self.channel(), message)
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn listen(&self) -> tokio::sync::mpsc::UnboundedReceiver<String> {
        let (pushes, mut incoming) = tokio::sync::mpsc::unbounded_channel::<redis::PushInfo>();
        let (messages, listened) = tokio::sync::mpsc::unbounded_channel();
        let info = self.client.get_connection_info().clone();
        let settings = info
            .redis_settings()
            .clone()
            .set_protocol(redis::ProtocolVersion::RESP3);
        let channel = self.channel();
        tokio::spawn(async move {
            let client = match redis::Client::open(info.set_redis_settings(settings)) {
                Ok(client) => client,
                Err(e) => return tracing::error!(error = %e, "cannot listen to fleet events"),
            };
            let config = manager_config()
                .set_push_sender(pushes)
                .set_automatic_resubscription();
            let mut manager = match ConnectionManager::new_lazy_with_config(client, config) {
                Ok(manager) => manager,
                Err(e) => return tracing::error!(error = %e, "cannot listen to fleet events"),
            };
            // The first subscription must reach the server; the manager renews it afterwards.
            let mut wait = Duration::from_millis(100);
            while let Err(e) = manager.subscribe(&channel).await {
                tracing::debug!(error = %e, "subscribing to fleet events; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(2));
            }
            while let Some(push) = incoming.recv().await {
                if push.kind != redis::PushKind::Message {
                    continue;
                }
                let Some(redis::Value::BulkString(payload)) = push.data.get(1) else {
                    continue;
                };
                let Ok(text) = String::from_utf8(payload.clone()) else {
                    continue;
                };
                if messages.send(text).is_err() {
                    return;
                }
            }
        });
        listened
    }
}

#[async_trait::async_trait]
impl Store for RedisStore {
    async fn add(&self, batch: &Batch) -> Result<(), StoreError> {
        let delta = &batch.counters;
        let mut invocation = self.add.prepare_invoke();
        let fields = if delta.is_empty() {
            Vec::new()
        } else {
            delta.fields()
        };
        invocation
            .key(self.key("counters"))
            .key(self.key(&format!("batch:{}", batch.id)))
            .key(self.key("files"))
            .key(self.key("files:summary"))
            .arg(BATCH_MARKER_SECONDS)
            .arg(
                delta
                    .last_generation_ms
                    .map_or_else(String::new, |ms| ms.to_string()),
            )
            .arg(fields.len());
        for (field, n) in fields {
            invocation.arg(field).arg(n);
        }
        for record in &batch.files {
            let json = serde_json::to_string(record).expect("file records serialise");
            invocation.arg(&record.name).arg(json).arg(record.bytes);
        }
        let _: i64 = invocation
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn counters(&self) -> Result<Counters, StoreError> {
        let fields: HashMap<String, String> = self
            .connection
            .clone()
            .hgetall(self.key("counters"))
            .await
            .map_err(error)?;
        let mut counters = Counters::default();
        for (field, value) in fields {
            let n = value.parse::<u64>().map_err(|_| StoreError::Record {
                key: field.clone(),
                reason: format!("not a counter: {value:?}"),
            })?;
            decode_counter(&mut counters, &field, n);
        }
        Ok(counters)
    }

    async fn insert_file(&self, record: &FileRecord) -> Result<(), StoreError> {
        let json = serde_json::to_string(record).expect("file records serialise");
        let _: i64 = self
            .insert
            .key(self.key("files"))
            .key(self.key("files:summary"))
            .arg(&record.name)
            .arg(json)
            .arg(record.bytes)
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn remove_file(&self, name: &str) -> Result<Option<FileRecord>, StoreError> {
        let old: Option<String> = self
            .remove
            .key(self.key("files"))
            .key(self.key("files:summary"))
            .arg(name)
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(error)?;
        old.map(|json| decode_record(name, &json)).transpose()
    }

    async fn file(&self, name: &str) -> Result<Option<FileRecord>, StoreError> {
        let json: Option<String> = self
            .connection
            .clone()
            .hget(self.key("files"), name)
            .await
            .map_err(error)?;
        json.map(|json| decode_record(name, &json)).transpose()
    }

    async fn files(&self) -> Result<Vec<FileRecord>, StoreError> {
        let all: HashMap<String, String> = self
            .connection
            .clone()
            .hgetall(self.key("files"))
            .await
            .map_err(error)?;
        all.iter()
            .map(|(name, json)| decode_record(name, json))
            .collect()
    }

    async fn files_summary(&self) -> Result<FilesSummary, StoreError> {
        let (count, bytes): (Option<i64>, Option<i64>) = self
            .connection
            .clone()
            .hmget(self.key("files:summary"), &["count", "bytes"])
            .await
            .map_err(error)?;
        Ok(FilesSummary {
            count: count.unwrap_or(0).max(0) as u64,
            bytes: bytes.unwrap_or(0).max(0) as u64,
        })
    }

    async fn flush(&self) -> Result<(), StoreError> {
        // Redis answered every write already; its persistence settings decide the rest.
        Ok(())
    }

    async fn size_on_disk(&self) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    fn shared(&self) -> bool {
        true
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let answer: Result<(), _> = redis::cmd("PING")
            .query_async(&mut self.connection.clone())
            .await;
        answer.map_err(|e| match error(e) {
            StoreError::Unreachable(e) => StoreError::Unreachable(format!("{} ({e})", self.shown)),
            StoreError::Denied(e) => StoreError::Denied(format!("{} ({e})", self.shown)),
            StoreError::Database(e) => StoreError::Database(format!("{} ({e})", self.shown)),
            other => other,
        })
    }
}

fn decode_record(name: &str, json: &str) -> Result<FileRecord, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Record {
        key: name.to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let url = RedisUrl::new("redis://:hunter2@127.0.0.1:6379/2");
        assert!(url.has_password());
        assert_eq!(url.redacted(), "redis://:***@127.0.0.1:6379/2");
        assert!(!format!("{url:?}").contains("hunter2"));
        let user = RedisUrl::new("rediss://ops:hunter2@cache:6380");
        assert_eq!(user.redacted(), "rediss://ops:***@cache:6380");
        let plain = RedisUrl::new("redis://127.0.0.1:6379");
        assert!(!plain.has_password());
        assert_eq!(plain.redacted(), "redis://127.0.0.1:6379");
    }
}
