use crate::art::Variant;
use serde_json::{Value, json};

/// The original library's introspection objects, French strings verbatim.
pub fn handle() -> Value {
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
