//! The favicon package as an engine operation: validated here, drawn by
//! [`crate::raster::favicon_package`] in one of the renderer's slots (queued and admitted like a
//! raster), and zipped for the HTTP download.

use super::render::Renderer;
use super::{EngineError, Invalid, LogoRequest};
use crate::art::{DEFAULT_SEED, LogoSpec, Rgb};
use crate::raster::{Background, FaviconPackage, favicon_package};
use std::io::Write as _;
use std::time::Instant;

/// A package as a front end asks for it: the logo (its size and animation are ignored) and the
/// background as given, `None` for the palette's shade.
#[derive(Debug, Clone, PartialEq)]
pub struct FaviconRequest {
    pub logo: LogoRequest,
    pub background: Option<String>,
}

impl FaviconRequest {
    /// The still logo and the background, or an error naming the field.
    pub fn validate(&self) -> Result<(LogoSpec, Background), EngineError> {
        let spec = self.logo.validate()?.with_animated(false);
        let background = match self.background.as_deref() {
            None => Background::Palette,
            Some("none") => Background::None,
            Some(text) => Background::Colour(Rgb::parse(text).map_err(|e| Invalid {
                field: "background",
                message: format!("background: {e}, or `none`"),
                valid: None,
            })?),
        };
        Ok((spec, background))
    }
}

/// A drawn package and the logo it shows.
#[derive(Debug, Clone)]
pub struct Favicon {
    pub spec: LogoSpec,
    pub package: FaviconPackage,
    pub render_seconds: f64,
}

impl Favicon {
    /// `luna-favicon-{variant}-{style}[-{seed}].zip`, as the web page names it.
    pub fn zip_name(&self) -> String {
        let seed = match self.spec.seed() {
            DEFAULT_SEED => String::new(),
            seed => format!("-{seed}"),
        };
        format!(
            "luna-favicon-{}-{}{seed}.zip",
            self.spec.variant(),
            self.spec.style()
        )
    }

    /// The package as a zip with every file at its root, ready to unpack into a site's root.
    /// Entries are stored, not compressed: the images are compressed already and the text files
    /// are a few hundred bytes. Their times are fixed (1980-01-01, zip's epoch) and so are their
    /// permissions, so the same package always gives the same bytes.
    pub fn zip(&self) -> Result<Vec<u8>, EngineError> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let failed = |e: &dyn std::fmt::Display| {
            EngineError::Internal(format!("cannot zip the favicon package: {e}"))
        };
        for file in &self.package.files {
            writer
                .start_file(file.name, options)
                .map_err(|e| failed(&e))?;
            writer.write_all(&file.bytes).map_err(|e| failed(&e))?;
        }
        Ok(writer.finish().map_err(|e| failed(&e))?.into_inner())
    }
}

/// Draws the package: about a dozen rasters (two of them 512 px), run in one of the renderer's
/// slots so that packages and rasters share one bound on the cores.
pub async fn draw(
    renderer: &Renderer,
    spec: LogoSpec,
    background: Background,
) -> Result<Favicon, EngineError> {
    let (spec, package, render_seconds) = renderer
        .in_slot(move || {
            let start = Instant::now();
            let package = favicon_package(&spec, background);
            (spec, package, start.elapsed().as_secs_f64())
        })
        .await?;
    Ok(Favicon {
        spec,
        package: package.map_err(|e| EngineError::Internal(e.to_string()))?,
        render_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(background: Option<&str>) -> FaviconRequest {
        FaviconRequest {
            logo: LogoRequest::new("simple", "power"),
            background: background.map(str::to_owned),
        }
    }

    #[test]
    fn the_background_is_the_palette_a_colour_or_none() {
        let (spec, background) = request(None).validate().unwrap();
        assert!(!spec.animated());
        assert_eq!(background, Background::Palette);
        assert_eq!(
            request(Some("none")).validate().unwrap().1,
            Background::None
        );
        assert_eq!(
            request(Some("#fff")).validate().unwrap().1,
            Background::Colour(Rgb {
                r: 255,
                g: 255,
                b: 255
            })
        );
        let Err(EngineError::Invalid(invalid)) = request(Some("white")).validate() else {
            panic!("a colour name is refused");
        };
        assert_eq!(invalid.field, "background");
    }

    #[tokio::test]
    async fn the_zip_is_the_same_bytes_every_time() {
        let renderer = Renderer::new(8 << 20, 1, std::time::Duration::from_secs(5));
        let (spec, background) = request(None).validate().unwrap();
        let first = draw(&renderer, spec.clone(), background).await.unwrap();
        let second = draw(&renderer, spec, background).await.unwrap();
        assert_eq!(first.zip().unwrap(), second.zip().unwrap());
        assert_eq!(first.zip_name(), "luna-favicon-power-simple.zip");
        let zip = first.zip().unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert_eq!(archive.len(), crate::raster::FILE_NAMES.len());
        for (i, name) in crate::raster::FILE_NAMES.iter().enumerate() {
            let entry = archive.by_index(i).unwrap();
            assert_eq!(entry.name().unwrap(), *name);
            assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
            assert_eq!(entry.last_modified(), Some(zip::DateTime::default()));
        }
    }
}
