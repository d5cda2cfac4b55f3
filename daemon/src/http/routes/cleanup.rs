use super::query;
use crate::engine::CleanupRequest;
use crate::http::Api;
use crate::http::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use serde_json::{Value, json};
use std::sync::Arc;

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CleanupQuery {
    /// Only files older than this, e.g. `24h` or `90m`; all files when absent.
    pub older_than: Option<String>,
}

/// Compares without leaking, through timing, how much of the token matched.
fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Deletes stored artefacts (never logs or anything else). Requires `Authorization: Bearer
/// <token>` matching the configured cleanup token; without a configured token HTTP cleanup is
/// refused.
#[utoipa::path(delete, path = "/cleanup", tag = "logos", params(CleanupQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"message\": \"N fichiers nettoyés\", \"cleaned_count\": N, \"freed_bytes\": B}`"),
        (status = 400, description = "Bad older_than", body = crate::http::schema::ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = crate::http::schema::ErrorBody),
        (status = 403, description = "HTTP cleanup is disabled (no token configured)", body = crate::http::schema::ErrorBody)))]
pub async fn delete(
    State(api): State<Arc<Api>>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let Some(expected) = api.state.settings.http.cleanup_token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "cleanup_disabled",
            "HTTP cleanup is disabled: configure a token (LUNA_CLEANUP_TOKEN or http.cleanup_token), or use `luna clean` on the server",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_token(given, expected) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer token is required",
        )
        .header(header::WWW_AUTHENTICATE, "Bearer"));
    }
    let q: CleanupQuery = query(&uri)?;
    let older_than = q
        .older_than
        .as_deref()
        .map(|text| {
            humantime::parse_duration(text).map_err(|e| {
                ApiError::bad_request("invalid_argument", format!("older_than '{text}': {e}"))
                    .field("older_than")
            })
        })
        .transpose()?;
    let done = api
        .state
        .engine
        .cleanup(&CleanupRequest {
            older_than,
            ..CleanupRequest::default()
        })
        .await?;
    let removed = done.removed.len();
    Ok(Json(json!({
        "message": format!("{removed} fichiers nettoyés"),
        "cleaned_count": removed,
        "freed_bytes": done.freed_bytes,
    })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_comparison_is_exact() {
        assert!(super::same_token("abc", "abc"));
        assert!(!super::same_token("abd", "abc"));
        assert!(!super::same_token("ab", "abc"));
        assert!(!super::same_token("", "abc"));
    }
}
