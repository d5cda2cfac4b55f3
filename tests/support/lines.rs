//! Checks and decoding of protocol lines: the reply/event shape, a result's `data`, and
//! shortened values for failure messages.

use serde_json::Value;

/// Replies carry `id` and `ok` and never `event`; events carry `event`, `seq`, `data` and never
/// `ok`.
pub fn check_line_shape(line: &Value) {
    let obj = line
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {}", short(line)));
    if obj.contains_key("event") {
        assert!(
            !obj.contains_key("ok"),
            "an event with an ok key: {}",
            short(line)
        );
        assert!(
            obj["seq"].is_u64(),
            "an event without a seq: {}",
            short(line)
        );
        assert!(
            obj.contains_key("data"),
            "an event without data: {}",
            short(line)
        );
    } else {
        assert!(
            obj.contains_key("id"),
            "a reply without an id: {}",
            short(line)
        );
        assert!(
            obj["ok"].is_boolean(),
            "a reply without ok: {}",
            short(line)
        );
        if obj["ok"] == true {
            assert!(
                obj.contains_key("result") && !obj.contains_key("error"),
                "{}",
                short(line)
            );
        } else {
            let error = &obj["error"];
            assert!(
                error["code"].is_string()
                    && error["message"].is_string()
                    && error["retryable"].is_boolean(),
                "malformed error: {}",
                short(line)
            );
        }
    }
}

/// At most 400 characters of `value`'s text: logos in failure messages would be megabytes.
pub fn short(value: &impl std::fmt::Display) -> String {
    let text = value.to_string();
    match text.char_indices().nth(400) {
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], text.len()),
        None => text,
    }
}

/// Decodes a generate/file result's `data` according to its `encoding`.
pub fn decode_data(result: &Value) -> Vec<u8> {
    use base64::Engine as _;
    let data = result["data"].as_str().expect("data is a string");
    match result["encoding"].as_str() {
        Some("utf8") => data.as_bytes().to_vec(),
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("valid base64"),
        other => panic!("unknown encoding {other:?} in {result}"),
    }
}
