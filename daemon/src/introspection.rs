//! Variant and style descriptions, shared by the IPC `variants`/`styles` commands and HTTP.

use crate::art::{Style, Variant};
use serde_json::{Value, json};

/// The original library's introspection objects, French strings verbatim.
pub fn variants() -> Value {
    Value::Array(
        Variant::ALL
            .iter()
            .map(|v| {
                let info = v.info();
                json!({
                    "variant_type": info.key,
                    "name": info.name,
                    "description": info.description,
                    "colors": {
                        "primary": info.palette.primary.to_string(),
                        "secondary": info.palette.secondary.to_string(),
                        "accent": info.palette.accent.to_string(),
                        "glow": info.palette.glow.to_string(),
                    },
                    "animation_speed": info.animation_speed,
                    "glow_intensity": info.glow_intensity,
                })
            })
            .collect(),
    )
}

pub fn styles() -> Value {
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
