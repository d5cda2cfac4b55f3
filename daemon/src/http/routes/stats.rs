use crate::engine::{Stats, stats::rfc3339};
use crate::http::Api;
use crate::http::error::ApiError;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The original's statistics keys, with real counts, plus styles, formats and files.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatsBody {
    total_generated: u64,
    variants_used: BTreeMap<String, u64>,
    /// Size as a string key.
    sizes_used: BTreeMap<String, u64>,
    styles_used: BTreeMap<String, u64>,
    formats_used: BTreeMap<String, u64>,
    /// RFC 3339 UTC, null before the first generation.
    last_generation: Option<String>,
    cache_hits: u64,
    files: u64,
    files_bytes: u64,
    uptime_seconds: f64,
    /// `ok`, or `degraded` while a fleet's shared store (Redis) is unreachable: the totals are
    /// then this replica's last view plus what it counted since.
    store: &'static str,
    /// Generations counted in memory and not yet in the store.
    buffered: u64,
    /// Generations whose counts were dropped because that buffer was full.
    dropped: u64,
}

impl From<Stats> for StatsBody {
    fn from(s: Stats) -> StatsBody {
        StatsBody {
            total_generated: s.total_generated,
            variants_used: s.variants,
            sizes_used: s.sizes,
            styles_used: s.styles,
            formats_used: s.formats,
            last_generation: s.last_generation.map(rfc3339),
            cache_hits: s.cache_hits,
            files: s.files.count,
            files_bytes: s.files.bytes,
            uptime_seconds: s.uptime.as_secs_f64(),
            store: if s.store.degraded { "degraded" } else { "ok" },
            buffered: s.store.buffering.buffered,
            dropped: s.store.buffering.dropped,
        }
    }
}

/// Real counts from the store (the original's always read zero): `total_generated`,
/// `variants_used`, `sizes_used`, `last_generation`, `cache_hits`, plus styles, formats and files.
#[utoipa::path(get, path = "/stats", tag = "logos", operation_id = "getStats",
    responses((status = 200, description = "Statistics", body = StatsBody),
              (status = 500, description = "Store failure", body = crate::http::schema::ErrorBody)))]
pub async fn get(State(api): State<Arc<Api>>) -> Result<Json<StatsBody>, ApiError> {
    Ok(Json(api.state.engine.stats().await?.into()))
}
