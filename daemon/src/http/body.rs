//! Reading request bodies under a size limit, without cutting the client off mid-upload.
//!
//! Answering before the body is read and then closing the socket makes the kernel send a reset:
//! the client, still writing, sees "broken pipe" and never reads the 413. So past the limit the
//! rest is read and dropped, up to [`DRAIN_BYTES`] and [`DRAIN_TIME`], like nginx's lingering
//! close; beyond those bounds the connection is closed anyway, so a hostile sender costs little.

use axum::body::{Body, Bytes};
use futures_util::StreamExt as _;
use std::time::Duration;

/// How much of an oversized body is read and dropped so that the client sees the answer.
const DRAIN_BYTES: usize = 1 << 20;
/// How long draining may take.
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// Why a body could not be had.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the limit.
    TooLarge,
    /// The connection failed while the body was being read.
    Broken,
}

/// The whole body, or [`BodyError::TooLarge`] once it passes `limit` bytes (after draining what
/// is cheap).
pub async fn read_bounded(body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        if kept.len() + chunk.len() > limit {
            let mut seen = kept.len() + chunk.len();
            let _ = tokio::time::timeout(DRAIN_TIME, async {
                while seen <= DRAIN_BYTES {
                    match stream.next().await {
                        Some(Ok(chunk)) => seen += chunk.len(),
                        _ => break,
                    }
                }
            })
            .await;
            return Err(BodyError::TooLarge);
        }
        kept.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(kept))
}
