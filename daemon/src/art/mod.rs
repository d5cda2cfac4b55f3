//! The art engine: 5 variants × 8 styles of animated moon logos as SVG.
//!
//! Every logo is drawn in a 200-unit design space and scaled by the viewBox, so geometry is
//! proportional at every size. Output is a pure function of [`LogoSpec`]: same spec, same bytes.

mod canvas;
mod motifs;
mod palette;
mod rng;
mod spec;
mod style;
mod styles;
mod svg;
mod variant;
pub mod xml;

pub use canvas::{Anim, Ink, Look, Radial, SPACE, Stop, Surface};
pub use palette::{Palette, Rgb};
pub use spec::LogoSpec;
pub use style::{Style, StyleInfo};
pub use variant::{Variant, VariantInfo};

use svg::SvgCanvas;
use xml::{SvgWriter, XmlSink};

/// Bumped for any change to the output of any logo; golden tests enforce it.
pub const ALGORITHM_VERSION: u32 = 1;
/// Smallest and largest accepted size in pixels.
pub const MIN_SIZE: u32 = 16;
pub const MAX_SIZE: u32 = 2048;
/// The original's default size.
pub const DEFAULT_SIZE: u32 = 200;
/// Seed used when a request gives none, so default output never changes between runs.
pub const DEFAULT_SEED: u64 = 42;
/// Longest accepted `<title>` and id prefix.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_ID_PREFIX_CHARS: usize = 32;

/// Bad input to the engine. Each variant names the field and, where there is a list, the valid values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArtError {
    #[error("unknown variant '{given}'; valid: {valid}")]
    UnknownVariant { given: String, valid: String },
    #[error("unknown style '{given}'; valid: {valid}")]
    UnknownStyle { given: String, valid: String },
    #[error("size {given} is out of range; valid: {min}..={max} pixels")]
    SizeOutOfRange { given: i64, min: u32, max: u32 },
    #[error("invalid colour '{given}': {reason}")]
    BadColour { given: String, reason: &'static str },
    #[error("a palette needs exactly 4 colours (primary, secondary, accent, glow); got {given}")]
    PaletteLength { given: usize },
    #[error(
        "invalid id prefix: it must start with a letter, contain only letters, digits, '-' and '_', and be at most {MAX_ID_PREFIX_CHARS} characters"
    )]
    BadIdPrefix,
    #[error("invalid title: at most {MAX_TITLE_CHARS} characters, no control characters")]
    BadTitle,
}

impl ArtError {
    /// The request field the error is about, for API error bodies.
    pub fn field(&self) -> &'static str {
        match self {
            ArtError::UnknownVariant { .. } => "variant",
            ArtError::UnknownStyle { .. } => "style",
            ArtError::SizeOutOfRange { .. } => "size",
            ArtError::BadColour { .. } | ArtError::PaletteLength { .. } => "palette",
            ArtError::BadIdPrefix => "id_prefix",
            ArtError::BadTitle => "title",
        }
    }
}

/// Renders a logo as a standalone SVG document.
pub fn render_svg(spec: &LogoSpec) -> String {
    let mut writer = SvgWriter::with_capacity(24 * 1024);
    render_into(spec, &mut writer);
    writer.finish()
}

/// Draws `spec`'s picture onto any [`Surface`] (rasters draw it straight onto pixels). Nothing
/// but the picture: no title or description.
pub fn draw<S: Surface>(spec: &LogoSpec, surface: &mut S) {
    styles::draw(spec, surface);
}

/// Renders a logo into any [`XmlSink`] (the benchmark compares document builders this way).
pub fn render_into<S: XmlSink>(spec: &LogoSpec, sink: &mut S) {
    let prefix = spec.id_prefix_or_default();
    sink.start("svg");
    sink.attr("xmlns", "http://www.w3.org/2000/svg");
    sink.attr_num("width", f64::from(spec.size()));
    sink.attr_num("height", f64::from(spec.size()));
    sink.attr("viewBox", "0 0 200 200");
    sink.attr("role", "img");
    let mut labels = String::with_capacity(2 * prefix.len() + 12);
    labels.push_str(&prefix);
    labels.push_str("-title ");
    labels.push_str(&prefix);
    labels.push_str("-desc");
    sink.attr("aria-labelledby", &labels);

    let info = spec.variant().info();
    let mut canvas = SvgCanvas::new(
        sink,
        &prefix,
        spec.palette(),
        info.animation_speed,
        spec.animated(),
    );
    canvas.sink().start("title");
    canvas.id_attr("id", "title");
    canvas.sink().text(&spec.title_or_default());
    canvas.sink().end();
    canvas.sink().start("desc");
    canvas.id_attr("id", "desc");
    let style = spec.style().info();
    canvas.sink().text(style.description);
    canvas.sink().text(" — ");
    canvas.sink().text(info.description);
    canvas.sink().end();
    debug_assert_eq!(SPACE, 200.0, "viewBox above assumes the design space");
    styles::draw(spec, &mut canvas);
    canvas.sink().end();
}
