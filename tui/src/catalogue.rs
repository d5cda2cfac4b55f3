//! What lunad offers, as the TUI shows it: the moon variants and the drawing styles.

use luna_ipc::{StyleInfo, VariantInfo};

/// One moon variant, as the daemon lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub key: String,
    pub name: String,
    /// Primary, secondary, accent and glow, as `#rrggbb`.
    pub colors: [String; 4],
    pub speed: f64,
    pub glow: f64,
}

/// One drawing style.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub key: String,
    pub name: String,
}

impl From<VariantInfo> for Variant {
    fn from(v: VariantInfo) -> Variant {
        let c = v.colors;
        Variant {
            key: v.variant_type,
            name: v.name,
            colors: [c.primary, c.secondary, c.accent, c.glow],
            speed: v.animation_speed,
            glow: v.glow_intensity,
        }
    }
}

impl From<StyleInfo> for Style {
    fn from(s: StyleInfo) -> Style {
        Style {
            key: s.key,
            name: s.name,
        }
    }
}
