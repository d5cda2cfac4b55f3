//! The eight drawing styles, their keys and aliases.

/// A drawing style. Each one is a distinct drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Simple,
    Advanced,
    SimpleAdvanced,
    Dashboard,
    AiMoon,
    UltraMax,
    Realism,
    Ultimate,
}

/// Static facts about a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StyleInfo {
    pub style: Style,
    /// Canonical key.
    pub key: &'static str,
    /// Other accepted keys (the original's names).
    pub aliases: &'static [&'static str],
    /// Short human name, used in `<title>`.
    pub name: &'static str,
    /// The original's French description, kept verbatim where the original had one.
    pub description: &'static str,
    /// Whether the drawing uses the seed (random particle placement).
    pub seeded: bool,
    /// Which of its keys the original API's generator list named, with their place in it.
    pub generator_keys: &'static [(&'static str, u8)],
}

const TABLE: [StyleInfo; 8] = [
    StyleInfo {
        style: Style::Simple,
        key: "simple",
        aliases: &[],
        name: "Simple",
        description: "Lune épurée : disque, halo et Λ, lisible aux petites tailles",
        generator_keys: &[("simple", 0)],
        seeded: false,
    },
    StyleInfo {
        style: Style::Advanced,
        key: "advanced",
        aliases: &["default"],
        name: "Advanced",
        description: "Générateur avancé techno-mystique",
        generator_keys: &[("default", 1), ("advanced", 7)],
        seeded: false,
    },
    StyleInfo {
        style: Style::SimpleAdvanced,
        key: "simple_advanced",
        aliases: &[],
        name: "Simple-Advanced",
        description: "Générateur simple-advanced équilibré",
        generator_keys: &[("simple_advanced", 4)],
        seeded: false,
    },
    StyleInfo {
        style: Style::Dashboard,
        key: "dashboard",
        aliases: &[],
        name: "Dashboard",
        description: "Générateur dashboard optimisé interface",
        generator_keys: &[("dashboard", 5)],
        seeded: false,
    },
    StyleInfo {
        style: Style::AiMoon,
        key: "ai_moon",
        aliases: &[],
        name: "AI Moon",
        description: "Générateur IA avec lune vivante",
        generator_keys: &[("ai_moon", 6)],
        seeded: true,
    },
    StyleInfo {
        style: Style::UltraMax,
        key: "ultra_max",
        aliases: &[],
        name: "Ultra-Max",
        description: "Générateur ULTRA-MAX avec effets exceptionnels",
        generator_keys: &[("ultra_max", 3)],
        seeded: true,
    },
    StyleInfo {
        style: Style::Realism,
        key: "realism",
        aliases: &["realism_max"],
        name: "Realism",
        description: "Générateur ultra-réaliste avec effets organiques",
        generator_keys: &[("realism", 2)],
        seeded: true,
    },
    StyleInfo {
        style: Style::Ultimate,
        key: "ultimate",
        aliases: &[],
        name: "Ultimate",
        description: "Générateur ULTIME avec effets cosmiques extrêmes",
        generator_keys: &[("ultimate", 8)],
        seeded: true,
    },
];

impl Style {
    pub const ALL: [Style; 8] = [
        Style::Simple,
        Style::Advanced,
        Style::SimpleAdvanced,
        Style::Dashboard,
        Style::AiMoon,
        Style::UltraMax,
        Style::Realism,
        Style::Ultimate,
    ];

    pub fn info(self) -> &'static StyleInfo {
        &TABLE[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// Lookup by canonical key or alias; exact and case-sensitive.
    pub fn from_key(key: &str) -> Option<Style> {
        TABLE
            .iter()
            .find(|s| s.key == key || s.aliases.contains(&key))
            .map(|s| s.style)
    }

    /// Every accepted key: each style's canonical key, then its aliases, in table order.
    pub fn accepted_keys() -> impl Iterator<Item = &'static str> {
        TABLE
            .iter()
            .flat_map(|s| std::iter::once(s.key).chain(s.aliases.iter().copied()))
    }

    /// The keys the original API's `/generators` listed (`simple` first; luna-only aliases
    /// such as `realism_max` are accepted but not listed).
    pub fn generator_keys() -> impl Iterator<Item = &'static str> {
        let mut listed: Vec<(&'static str, u8)> = TABLE
            .iter()
            .flat_map(|s| s.generator_keys.iter().copied())
            .collect();
        listed.sort_by_key(|&(_, place)| place);
        listed.into_iter().map(|(key, _)| key)
    }

    /// Every accepted key, for error messages.
    pub fn valid_keys() -> String {
        Style::accepted_keys().collect::<Vec<_>>().join(", ")
    }
}

impl std::fmt::Display for Style {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_match_their_enum_position() {
        for s in Style::ALL {
            assert_eq!(s.info().style, s);
            assert_eq!(Style::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn the_originals_names_resolve() {
        assert_eq!(Style::from_key("default"), Some(Style::Advanced));
        assert_eq!(Style::from_key("realism_max"), Some(Style::Realism));
        assert_eq!(Style::from_key("Ultimate"), None);
        for key in [
            "simple",
            "default",
            "realism",
            "ultra_max",
            "simple_advanced",
            "dashboard",
            "ai_moon",
            "advanced",
            "ultimate",
        ] {
            assert!(Style::from_key(key).is_some(), "{key}");
        }
    }
}
