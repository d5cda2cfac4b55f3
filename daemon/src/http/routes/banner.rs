use axum::Json;
use serde_json::{Value, json};

/// The API banner, as the original served it.
#[utoipa::path(get, path = "/", tag = "meta", responses((status = 200, description = "Banner")))]
pub async fn get() -> Json<Value> {
    Json(json!({
        "message": "🌙 Arkalia-LUNA Logo Generator API",
        "version": crate::VERSION,
        "docs": "/openapi.json",
        "health": "/health",
        "ui": "/ui",
    }))
}
