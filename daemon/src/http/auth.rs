//! Bearer tokens for destructive routes (today `DELETE /cleanup`).
//!
//! Checked before the rate limit, so a request without the right token is always a 401 (or a
//! 403 when no token is configured) and never spends the quota of the client that holds it.
//! Guessing gains nothing from this: the comparison is constant-time and the token is a long
//! random secret.

use super::Api;
use super::error::ApiError;
use super::middleware::route_of;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Routes that change or delete state.
const PROTECTED: [&str; 1] = ["/cleanup"];

pub async fn require_token(State(api): State<Arc<Api>>, request: Request, next: Next) -> Response {
    let protected = route_of(&request).is_some_and(|route| PROTECTED.contains(&route.as_str()));
    if !protected {
        return next.run(request).await;
    }
    let Some(expected) = api.state.settings.http.cleanup_token.as_deref() else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "cleanup_disabled",
            "HTTP cleanup is disabled: configure a token (LUNA_CLEANUP_TOKEN or http.cleanup_token), or use `luna clean` on the server",
        )
        .into_response();
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_token(given, expected) {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer token is required",
        )
        .header(header::WWW_AUTHENTICATE, "Bearer")
        .into_response();
    }
    next.run(request).await
}

/// Compares without leaking, through timing, how much of the token matched.
fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
