//! The output formats the engine produces.

/// An output format. Serialised as its extension (`"svg"`), as every front end spells it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    #[default]
    Svg,
    Png,
    Ico,
    /// Lossless WebP, from the same pixels as the PNG.
    Webp,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Svg, Format::Png, Format::Ico, Format::Webp];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Ico => "ico",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
            Format::Ico => "image/x-icon",
            Format::Webp => "image/webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == ext)
    }

    /// Rasters need the render pool; SVG is drawn inline.
    pub fn is_raster(self) -> bool {
        self != Format::Svg
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}
