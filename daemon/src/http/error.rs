//! API errors: always a JSON body `{"error":{"code","message",…},"detail":…}` with a 4xx/5xx status.
//! `detail` repeats the message for clients of the original API, which displayed that key.

use crate::engine::EngineError;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Boxed: errors travel in `Result`s, which should stay small.
    pub extra: Box<Extra>,
}

#[derive(Debug, Default)]
pub struct Extra {
    pub field: Option<String>,
    pub valid: Option<Value>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            extra: Box::default(),
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.extra.field = Some(field.into());
        self
    }

    pub fn valid(mut self, valid: Value) -> ApiError {
        self.extra.valid = Some(valid);
        self
    }

    pub fn header(mut self, name: HeaderName, value: impl TryInto<HeaderValue>) -> ApiError {
        if let Ok(value) = value.try_into() {
            self.extra.headers.push((name, value));
        }
        self
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        let message = e.to_string();
        match e {
            EngineError::Invalid(invalid) => {
                let error = ApiError::bad_request("invalid_argument", message).field(invalid.field);
                match invalid.valid {
                    Some(valid) => error.valid(Value::from(valid)),
                    None => error,
                }
            }
            EngineError::Busy { retry_after, .. } => {
                // Whole seconds, rounded up: a client that waits that long finds a shorter queue.
                let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message)
                    .header(axum::http::header::RETRY_AFTER, seconds.max(1).to_string())
            }
            EngineError::NotFound(_) => ApiError::not_found(message),
            EngineError::Store(e) if e.is_unreachable() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                message,
            )
            .header(axum::http::header::RETRY_AFTER, "1"),
            EngineError::Store(_) | EngineError::Internal(_) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() && self.code == "internal" {
            tracing::error!(message = %self.message, "internal error answered");
        }
        let mut error = json!({ "code": self.code, "message": self.message });
        let extra = *self.extra;
        if let Some(field) = extra.field {
            error["field"] = Value::String(field);
        }
        if let Some(valid) = extra.valid {
            error["valid"] = valid;
        }
        let body = json!({ "error": error, "detail": self.message });
        let mut response = (self.status, axum::Json(body)).into_response();
        for (name, value) in extra.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}
