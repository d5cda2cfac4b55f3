use serde_json::Value;

pub fn handle() -> Value {
    crate::introspection::variants()
}
