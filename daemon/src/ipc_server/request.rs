//! Turning one line into a command, with the protocol's error codes.

use luna_ipc::{Command, ErrorCode, WireError};
use serde_json::Value;

/// A parsed request, or the error to answer it with; both carry the request's `id` when known.
pub fn parse(line: &str) -> Result<(Value, Command), (Value, WireError)> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        (
            Value::Null,
            WireError::new(ErrorCode::ParseError, format!("not valid JSON: {e}")),
        )
    })?;
    let Value::Object(mut map) = value else {
        return Err((
            Value::Null,
            WireError::new(
                ErrorCode::InvalidRequest,
                "a request is a JSON object like {\"id\":1,\"cmd\":\"ping\"}",
            ),
        ));
    };
    let id = map.remove("id").unwrap_or(Value::Null);
    if !matches!(id, Value::Null | Value::Number(_) | Value::String(_)) {
        return Err((
            Value::Null,
            WireError::new(
                ErrorCode::InvalidRequest,
                "\"id\" must be a number or a string",
            ),
        ));
    }
    let fail = |message: String| {
        Err((
            id.clone(),
            WireError::new(ErrorCode::InvalidRequest, message),
        ))
    };
    let cmd = match map.remove("cmd") {
        Some(Value::String(cmd)) => cmd,
        Some(_) => return fail("\"cmd\" must be a string".into()),
        None => return fail("missing \"cmd\"; send {\"cmd\":\"commands\"} for the list".into()),
    };
    let args = map.remove("args");
    if let Some(key) = map.keys().next() {
        let shown: String = key.chars().take(40).collect();
        return fail(format!(
            "unknown key \"{shown}\": a request has only \"id\", \"cmd\" and \"args\""
        ));
    }
    Command::from_parts(&cmd, args)
        .map(|c| (id.clone(), c))
        .map_err(|e| (id, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(line: &str) -> ErrorCode {
        parse(line).unwrap_err().1.code
    }

    #[test]
    fn each_kind_of_bad_line_gets_its_code() {
        assert_eq!(code("{\"cmd\":"), ErrorCode::ParseError);
        assert_eq!(code("[1,2]"), ErrorCode::InvalidRequest);
        assert_eq!(
            code("{\"id\":[1],\"cmd\":\"ping\"}"),
            ErrorCode::InvalidRequest
        );
        assert_eq!(code("{\"id\":1}"), ErrorCode::InvalidRequest);
        assert_eq!(code("{\"cmd\":7}"), ErrorCode::InvalidRequest);
        assert_eq!(
            code("{\"cmd\":\"ping\",\"extra\":1}"),
            ErrorCode::InvalidRequest
        );
        assert_eq!(code("{\"cmd\":\"fly\"}"), ErrorCode::UnknownCommand);
        assert_eq!(
            code("{\"cmd\":\"generate\",\"args\":{\"variant\":1}}"),
            ErrorCode::InvalidArgument
        );
    }

    #[test]
    fn ids_are_echoed_even_on_errors() {
        let (id, _) = parse("{\"id\":\"abc\",\"cmd\":\"fly\"}").unwrap_err();
        assert_eq!(id, Value::from("abc"));
        let (id, command) = parse("{\"id\":7,\"cmd\":\"ping\"}").unwrap();
        assert_eq!((id, command), (Value::from(7), Command::Ping));
    }
}
