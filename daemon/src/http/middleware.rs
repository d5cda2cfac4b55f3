//! Layers every response goes through: metrics, security headers, keep-alive and rate limiting.

use super::Api;
use super::client_ip::client_ip;
use super::error::ApiError;
use super::rate_limit::{RouteClass, Verdict};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::{Body as _, Frame, SizeHint};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

/// The route template (`/logo/{style}/{file}`), never the raw path: bounded label values.
pub fn route_of(request: &Request) -> Option<MatchedPath> {
    request.extensions().get::<MatchedPath>().cloned()
}

fn label(route: &Option<MatchedPath>) -> &str {
    route.as_ref().map_or("unmatched", MatchedPath::as_str)
}

/// Counts every response (rejections included) by route, method and status, and its latency.
pub async fn record(State(api): State<Arc<Api>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(&request);
    let method = request.method().clone();
    let response = next.run(request).await;
    let (route, method) = (label(&route), method.as_str());
    let status = response.status();
    let metrics = &api.state.telemetry.metrics;
    let code = status.as_str();
    metrics
        .requests
        .with_label_values(&[route, method, code])
        .inc();
    metrics.responses.with_label_values(&[route, code]).inc();
    metrics
        .request_duration
        .with_label_values(&[route, method])
        .observe(started.elapsed().as_secs_f64());
    if status.is_server_error() {
        metrics.errors.inc();
    }
    response
}

/// The API's default Content-Security-Policy: nothing may load or run, nothing may frame it.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Security headers on every response; a handler may set its own CSP (SVG, the web page).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::CONTENT_SECURITY_POLICY, API_CSP);
    set(
        headers,
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "cross-origin",
    );
    response
}

/// Says `Connection: close` when a request's body was not read to its end (a 404, a 405, a
/// refusal before the body). hyper then closes the connection after the answer, and without
/// the header a keep-alive client would send its next request on a connection being closed and
/// lose it ("peer disconnected").
pub async fn close_if_body_unread(request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let finished = Arc::new(AtomicBool::new(false));
    let watched = finished.clone();
    let request = request.map(|body| {
        axum::body::Body::new(WatchedBody {
            inner: body,
            finished: watched,
        })
    });
    let mut response = next.run(request).await;
    if !finished.load(Ordering::Acquire) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// A request body that notes when it has been read to its end.
struct WatchedBody {
    inner: axum::body::Body,
    finished: Arc<AtomicBool>,
}

impl hyper::body::Body for WatchedBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.finished.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Applies the route class's per-client quota; refusals are 429 with `Retry-After`.
pub async fn rate_limit(
    State(api): State<Arc<Api>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let route = route_of(&request);
    let route = label(&route);
    let class = RouteClass::of(route);
    let client = client_ip(
        peer.ip(),
        request.headers(),
        &api.state.settings.http.trusted_proxies,
    );
    match api.limiters.check(class, client).await {
        Verdict::Unlimited => next.run(request).await,
        Verdict::Unavailable => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "rate_limit_unavailable",
            "The shared rate limiter is unreachable; try again shortly".to_owned(),
        )
        .header(header::RETRY_AFTER, "1".to_owned())
        .into_response(),
        Verdict::Admitted(admitted) => {
            let mut response = next.run(request).await;
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", admitted.per_minute.into());
            headers.insert("x-ratelimit-remaining", admitted.remaining.into());
            response
        }
        Verdict::Refused(refused) => {
            // Read (bounded) what the client already sent, so the connection can be kept alive
            // (an unread body ends it: see `close_if_body_unread`).
            let limit = api.state.settings.http.max_body_bytes;
            let _ = super::body::read_bounded(request.into_body(), limit).await;
            api.state
                .telemetry
                .metrics
                .rate_limited
                .with_label_values(&[route])
                .inc();
            let wait = refused.retry_after.as_secs_f64().ceil().max(1.0) as u64;
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Rate limit exceeded: {} per 1 minute", refused.per_minute),
            )
            .header(header::RETRY_AFTER, wait.to_string())
            .header(
                header::HeaderName::from_static("x-ratelimit-limit"),
                refused.per_minute.to_string(),
            )
            .header(
                header::HeaderName::from_static("x-ratelimit-remaining"),
                "0",
            )
            .header(
                header::HeaderName::from_static("x-ratelimit-reset"),
                wait.to_string(),
            )
            .into_response()
        }
    }
}
