//! A logo as a front end asks for it, before validation: keys as given, size as any integer.

use super::{EngineError, Format};
use crate::art::{DEFAULT_SIZE, LogoSpec, Palette};

/// Four colours, as a comma-separated string or as a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteInput {
    Joined(String),
    List(Vec<String>),
}

/// What a client asked to draw. [`LogoRequest::validate`] turns it into a [`LogoSpec`] or an
/// error that names the field.
#[derive(Debug, Clone, PartialEq)]
pub struct LogoRequest {
    pub style: String,
    pub variant: String,
    pub size: i64,
    pub animated: bool,
    pub seed: Option<u64>,
    pub palette: Option<PaletteInput>,
    pub id_prefix: Option<String>,
    pub title: Option<String>,
}

impl LogoRequest {
    /// An animated logo at the default size, seed and palette.
    pub fn new(style: &str, variant: &str) -> LogoRequest {
        LogoRequest {
            style: style.to_owned(),
            variant: variant.to_owned(),
            size: i64::from(DEFAULT_SIZE),
            animated: true,
            seed: None,
            palette: None,
            id_prefix: None,
            title: None,
        }
    }

    pub fn validate(&self) -> Result<LogoSpec, EngineError> {
        let mut spec =
            LogoSpec::parse(&self.style, &self.variant, self.size)?.with_animated(self.animated);
        if let Some(seed) = self.seed {
            spec = spec.with_seed(seed);
        }
        if let Some(palette) = &self.palette {
            spec = spec.with_palette(match palette {
                PaletteInput::Joined(text) => Palette::parse(text)?,
                PaletteInput::List(list) => Palette::from_colours(list)?,
            });
        }
        if let Some(prefix) = &self.id_prefix {
            spec = spec.with_id_prefix(prefix)?;
        }
        if let Some(title) = &self.title {
            spec = spec.with_title(title)?;
        }
        Ok(spec)
    }
}

/// A generation: the logo, its format, and whether to keep it as a stored file.
#[derive(Debug, Clone, PartialEq)]
pub struct Generate {
    pub logo: LogoRequest,
    pub format: Format,
    pub store: bool,
}
