use crate::http::Api;
use crate::http::error::ApiError;
use axum::Json;
use axum::extract::State;
use luna_ipc::StatsResult;
use std::sync::Arc;

/// Real counts from the store (the original's always read zero): `total_generated`,
/// `variants_used`, `sizes_used`, `last_generation`, `cache_hits`, plus styles, formats and files.
#[utoipa::path(get, path = "/stats", tag = "logos",
    responses((status = 200, description = "Statistics", body = crate::http::openapi::StatsBody),
              (status = 500, description = "Store failure", body = crate::http::openapi::ErrorBody)))]
pub async fn get(State(api): State<Arc<Api>>) -> Result<Json<StatsResult>, ApiError> {
    Ok(Json(api.state.engine.stats()?))
}
