//! What can go wrong in the engine, in its own words. Each front end maps these to its codes
//! (IPC error objects, HTTP statuses) in one place.

use crate::art::{ArtError, Style, Variant};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The request asked for something that cannot be drawn; names the field.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Every render slot is taken and the queue's expected wait exceeds its budget; retrying
    /// after `retry_after` is likely to work.
    #[error("all {slots} render slots are busy and the queue is longer than its time budget; retry in {}s", retry_after.as_secs().max(1))]
    Busy {
        slots: usize,
        retry_after: std::time::Duration,
    },
    /// No stored file has that name.
    #[error("no stored file named '{0}'")]
    NotFound(String),
    #[error("store failure: {0}")]
    Store(#[from] StoreError),
    /// A bug or an I/O failure; answered and logged.
    #[error("internal error: {0}")]
    Internal(String),
}

impl EngineError {
    /// A `NotFound` that shows at most 100 characters of what the client sent.
    pub fn not_found(name: &str) -> EngineError {
        EngineError::NotFound(name.chars().take(100).collect())
    }

    /// A shared store that cannot be reached right now.
    pub fn is_store_unreachable(&self) -> bool {
        matches!(self, EngineError::Store(e) if e.is_unreachable())
    }
}

/// A request field the engine refused, with the accepted values where there is a list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The request field at fault, in the engine's spelling (`style`, `variant`, `size`, …).
    pub field: &'static str,
    pub message: String,
    pub valid: Option<Vec<&'static str>>,
}

impl From<ArtError> for Invalid {
    fn from(e: ArtError) -> Invalid {
        let valid = match e {
            ArtError::UnknownVariant { .. } => Some(Variant::ALL.map(Variant::key).to_vec()),
            ArtError::UnknownStyle { .. } => Some(Style::accepted_keys().collect()),
            _ => None,
        };
        Invalid {
            field: e.field(),
            message: e.to_string(),
            valid,
        }
    }
}

impl From<ArtError> for EngineError {
    fn from(e: ArtError) -> EngineError {
        EngineError::Invalid(e.into())
    }
}
