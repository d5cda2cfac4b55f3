use super::query;
use crate::engine::CleanupRequest;
use crate::http::Api;
use crate::http::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanupQuery {
    pub older_than: Option<String>,
}

impl utoipa::IntoParams for CleanupQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![crate::http::schema::query_parameter(
            "older_than",
            "Only files older than this, e.g. `24h`, `90m` or `7d`; all files when absent",
            crate::http::schema::age(),
        )]
    }
}

/// `older_than`: a whole number and one unit, as the document's pattern says.
fn age(text: &str) -> Result<Duration, ApiError> {
    if !crate::http::schema::AGE.matches(text) {
        return Err(ApiError::bad_request(
            "invalid_argument",
            format!(
                "older_than '{text}': expected a whole number and a unit (s, m, h, d or w), e.g. 24h"
            ),
        )
        .field("older_than"));
    }
    // The pattern leaves one ASCII unit after at most six digits.
    let (number, unit) = text.split_at(text.len() - 1);
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 604_800,
    };
    Ok(Duration::from_secs(
        number.parse::<u64>().expect("digits") * seconds,
    ))
}

/// Deletes stored artefacts (never logs or anything else). Requires `Authorization: Bearer
/// <token>` matching the configured cleanup token (checked in `http/auth.rs`, before the rate
/// limit); without a configured token HTTP cleanup is refused.
#[utoipa::path(delete, path = "/cleanup", tag = "logos", operation_id = "cleanup", params(CleanupQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Files removed", body = CleanupBody),
        (status = 400, description = "Bad older_than, or an unknown query parameter", body = crate::http::schema::ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = crate::http::schema::ErrorBody),
        (status = 403, description = "HTTP cleanup is disabled (no token configured)", body = crate::http::schema::ErrorBody),
        (status = 500, description = "Internal error", body = crate::http::schema::ErrorBody),
        (status = 503, description = "The shared store (Redis) is unreachable, or the shared rate limiter; see Retry-After", body = crate::http::schema::ErrorBody)))]
pub async fn delete(State(api): State<Arc<Api>>, uri: Uri) -> Result<Json<CleanupBody>, ApiError> {
    let q: CleanupQuery = query(&uri)?;
    let older_than = q.older_than.as_deref().map(age).transpose()?;
    let done = api
        .state
        .engine
        .cleanup(&CleanupRequest {
            older_than,
            ..CleanupRequest::default()
        })
        .await?;
    let removed = done.removed.len();
    Ok(Json(CleanupBody {
        message: format!("{removed} fichiers nettoyés"),
        cleaned_count: removed,
        freed_bytes: done.freed_bytes,
    }))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CleanupBody {
    /// `N fichiers nettoyés`, as the original said it.
    message: String,
    cleaned_count: usize,
    freed_bytes: u64,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn ages_are_a_number_and_a_unit() {
        assert_eq!(super::age("90m").unwrap(), Duration::from_secs(5400));
        assert_eq!(super::age("0s").unwrap(), Duration::ZERO);
        assert_eq!(
            super::age("999999w").unwrap(),
            Duration::from_secs(999_999 * 604_800)
        );
        for bad in [
            "", "h", "1", "1x", "1 h", "1h30m", "+1h", "1234567h", "1H", "1é",
        ] {
            assert!(super::age(bad).is_err(), "{bad:?}");
        }
    }
}
