use crate::art::Style;
use serde_json::{Value, json};

pub fn handle() -> Value {
    Value::Array(
        Style::ALL
            .iter()
            .map(|s| {
                let info = s.info();
                json!({
                    "key": info.key,
                    "aliases": info.aliases,
                    "name": info.name,
                    "description": info.description,
                    "seeded": info.seeded,
                })
            })
            .collect(),
    )
}
