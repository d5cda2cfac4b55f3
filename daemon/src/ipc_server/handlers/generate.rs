use super::to_value;
use crate::state::State;
use base64::Engine as _;
use luna_ipc::{Encoding, Format, GenerateArgs, GenerateResult, WireError};
use serde_json::Value;

pub async fn handle(state: &State, args: GenerateArgs) -> Result<Value, WireError> {
    let output = state
        .engine
        .generate(&args)
        .await
        .map_err(|e| e.to_wire())?;
    let (data, encoding) = match (&output.file, output.format) {
        (Some(_), _) => (None, None),
        (None, Format::Svg) => (
            Some(String::from_utf8_lossy(&output.bytes).into_owned()),
            Some(Encoding::Utf8),
        ),
        (None, _) => (
            Some(base64::engine::general_purpose::STANDARD.encode(&output.bytes)),
            Some(Encoding::Base64),
        ),
    };
    Ok(to_value(GenerateResult {
        style: output.spec.style().key().to_owned(),
        variant: output.spec.variant().key().to_owned(),
        size: output.spec.size(),
        format: output.format,
        animated: output.spec.animated(),
        seed: output.spec.seed(),
        digest: output.spec.digest().to_hex()[..16].to_owned(),
        bytes: output.bytes.len() as u64,
        cached: output.cached,
        generation_time: output.render_seconds,
        file: output.file,
        data,
        encoding,
    }))
}
