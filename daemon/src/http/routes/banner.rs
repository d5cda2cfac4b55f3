use axum::Json;
use serde_json::{Value, json};

/// The API banner, as the original served it.
#[utoipa::path(get, path = "/", tag = "meta", operation_id = "getBanner",
    responses((status = 200, description = "Banner: name, version and where the docs are", content_type = "application/json")))]
pub async fn get() -> Json<Value> {
    Json(json!({
        "message": "🌙 Arkalia-LUNA Logo Generator API",
        "version": crate::VERSION,
        "docs": "/openapi.json",
        "health": "/health",
        "ui": "/ui",
    }))
}
