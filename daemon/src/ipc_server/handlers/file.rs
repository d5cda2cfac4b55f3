use super::to_value;
use crate::state::State;
use base64::Engine as _;
use luna_ipc::{Encoding, ErrorCode, FileArgs, FileResult, Format, WireError};
use serde_json::Value;

/// A stored file's bytes, by name. Only indexed, validly named files are read.
pub async fn handle(state: &State, args: FileArgs) -> Result<Value, WireError> {
    let not_found = || {
        let shown: String = args.name.chars().take(100).collect();
        WireError::new(
            ErrorCode::NotFound,
            format!("no stored file named '{shown}'"),
        )
    };
    let (path, record) = state
        .engine
        .stored_path(&args.name)
        .map_err(|e| e.to_wire())?
        .ok_or_else(not_found)?;
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
        Err(e) => {
            return Err(WireError::new(
                ErrorCode::Internal,
                format!("reading {}: {e}", record.name),
            ));
        }
    };
    let format = Format::from_extension(&record.format).unwrap_or_default();
    let (data, encoding) = match format {
        Format::Svg => (String::from_utf8_lossy(&bytes).into_owned(), Encoding::Utf8),
        _ => (
            base64::engine::general_purpose::STANDARD.encode(&bytes),
            Encoding::Base64,
        ),
    };
    let info = crate::engine::file_info(record);
    Ok(to_value(FileResult {
        file: info,
        data,
        encoding,
    }))
}
