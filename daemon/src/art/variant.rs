//! The five emotional variants: one table of data, in the original's registry order.

use super::palette::{Palette, Rgb};

/// An emotional variant: a palette plus animation speed and glow intensity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    Serenity,
    Power,
    Mystery,
    Awakening,
    Creative,
}

/// Everything the original knew about a variant; the French strings are data and stay verbatim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VariantInfo {
    pub variant: Variant,
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub palette: Palette,
    pub animation_speed: f64,
    pub glow_intensity: f64,
}

const fn rgb(hex: u32) -> Rgb {
    Rgb {
        r: (hex >> 16) as u8,
        g: (hex >> 8) as u8,
        b: hex as u8,
    }
}

const fn palette(primary: u32, secondary: u32, accent: u32, glow: u32) -> Palette {
    Palette {
        primary: rgb(primary),
        secondary: rgb(secondary),
        accent: rgb(accent),
        glow: rgb(glow),
    }
}

const TABLE: [VariantInfo; 5] = [
    VariantInfo {
        variant: Variant::Serenity,
        key: "serenity",
        name: "🌙 Sérénité",
        description: "Halo doux, pulsations lentes, ambiance calme et mystique",
        palette: palette(0x1e3a8a, 0x3b82f6, 0x06b6d4, 0x60a5fa),
        animation_speed: 1.0,
        glow_intensity: 0.7,
    },
    VariantInfo {
        variant: Variant::Power,
        key: "power",
        name: "⚡ Puissance",
        description: "Halo vibrant, réseau accéléré, énergie intense",
        palette: palette(0x1e40af, 0x7c3aed, 0xec4899, 0xa855f7),
        animation_speed: 1.5,
        glow_intensity: 0.9,
    },
    VariantInfo {
        variant: Variant::Mystery,
        key: "mystery",
        name: "🔮 Mystère",
        description: "Brumes mouvantes, réseau irrégulier, ambiance mystérieuse",
        palette: palette(0x312e81, 0x4c1d95, 0x7c2d12, 0x581c87),
        animation_speed: 0.8,
        glow_intensity: 0.6,
    },
    VariantInfo {
        variant: Variant::Awakening,
        key: "awakening",
        name: "✨ Éveil/Sagesse",
        description: "Halo rayonnant, Λ-core clair, sagesse éclairée",
        palette: palette(0x0f766e, 0x059669, 0xd97706, 0x10b981),
        animation_speed: 1.2,
        glow_intensity: 0.8,
    },
    VariantInfo {
        variant: Variant::Creative,
        key: "creative",
        name: "🎇 Énergie créative",
        description: "Flux rapides, reflets multicolores, créativité débordante",
        palette: palette(0x1e40af, 0x06b6d4, 0xec4899, 0xf59e0b),
        animation_speed: 2.0,
        glow_intensity: 1.0,
    },
];

impl Variant {
    /// All variants in registry order (the order of `GET /variants`).
    pub const ALL: [Variant; 5] = [
        Variant::Serenity,
        Variant::Power,
        Variant::Mystery,
        Variant::Awakening,
        Variant::Creative,
    ];

    pub fn info(self) -> &'static VariantInfo {
        &TABLE[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// Exact, case-sensitive lookup by key, as the original did.
    pub fn from_key(key: &str) -> Option<Variant> {
        TABLE.iter().find(|v| v.key == key).map(|v| v.variant)
    }

    /// The valid keys, comma-separated, for error messages.
    pub fn valid_keys() -> String {
        TABLE.iter().map(|v| v.key).collect::<Vec<_>>().join(", ")
    }
}

impl std::fmt::Display for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_match_their_enum_position() {
        for v in Variant::ALL {
            assert_eq!(v.info().variant, v);
            assert_eq!(Variant::from_key(v.key()), Some(v));
        }
    }

    #[test]
    fn keys_are_case_sensitive() {
        assert_eq!(Variant::from_key("Serenity"), None);
        assert_eq!(Variant::from_key("serenity"), Some(Variant::Serenity));
    }

    #[test]
    fn original_palette_values_are_kept() {
        let power = Variant::Power.info();
        assert_eq!(power.palette.primary.to_string(), "#1e40af");
        assert_eq!(power.palette.glow.to_string(), "#a855f7");
        assert_eq!(power.animation_speed, 1.5);
        assert_eq!(power.glow_intensity, 0.9);
    }
}
