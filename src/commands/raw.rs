//! `luna raw '<json>'`: one request as is; the reply line on stdout.

use super::Ctx;
use crate::exit::{DATAERR, Failure, PROTOCOL, wire_exit};
use serde_json::Value;

pub async fn run(ctx: &Ctx, request: &str) -> anyhow::Result<()> {
    let request = parse_request(request)?;
    let client = ctx.client().await?;
    let response = client.send(request).await?;
    ctx.out.json_line(&response)?;
    if response.ok {
        return Ok(());
    }
    // The reply, error included, is already on stdout: only the exit status is left.
    let failure = match &response.error {
        Some(error) => Failure::silent(error.code.as_str(), wire_exit(error.code)),
        None => Failure::silent("protocol", PROTOCOL),
    };
    Err(failure.into())
}

/// A JSON object, or exit 65.
pub fn parse_request(text: &str) -> Result<Value, Failure> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Failure::new(
            "parse_error",
            DATAERR,
            format!("the request is not valid JSON: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(Failure::new(
            "invalid_request",
            DATAERR,
            r#"the request must be a JSON object, e.g. '{"cmd":"ping"}'"#,
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_must_be_objects() {
        assert_eq!(parse_request(r#"{"cmd":"ping"}"#).unwrap()["cmd"], "ping");
        assert_eq!(parse_request("{").unwrap_err().code, "parse_error");
        let err = parse_request("[1]").unwrap_err();
        assert_eq!((err.code.as_str(), err.exit), ("invalid_request", 65));
    }
}
