//! [`LogoSpec`]: a validated description of one logo. Invalid specs cannot be built.

use super::{
    ALGORITHM_VERSION, ArtError, DEFAULT_SEED, DEFAULT_SIZE, MAX_ID_PREFIX_CHARS, MAX_SIZE,
    MAX_TITLE_CHARS, MIN_SIZE, Palette, Style, Variant,
};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogoSpec {
    style: Style,
    variant: Variant,
    size: u32,
    animated: bool,
    seed: u64,
    palette: Option<Palette>,
    id_prefix: Option<String>,
    title: Option<String>,
}

impl LogoSpec {
    /// An animated logo with the default seed and the variant's own palette.
    pub fn new(style: Style, variant: Variant, size: u32) -> Result<LogoSpec, ArtError> {
        check_size(i64::from(size))?;
        Ok(LogoSpec {
            style,
            variant,
            size,
            animated: true,
            seed: DEFAULT_SEED,
            palette: None,
            id_prefix: None,
            title: None,
        })
    }

    /// Parses the user-facing keys; errors list the valid values.
    pub fn parse(style: &str, variant: &str, size: i64) -> Result<LogoSpec, ArtError> {
        let style = Style::from_key(style).ok_or_else(|| ArtError::UnknownStyle {
            given: bounded(style),
            valid: Style::valid_keys(),
        })?;
        let variant = Variant::from_key(variant).ok_or_else(|| ArtError::UnknownVariant {
            given: bounded(variant),
            valid: Variant::valid_keys(),
        })?;
        let size = check_size(size)?;
        LogoSpec::new(style, variant, size)
    }

    pub fn with_animated(mut self, animated: bool) -> LogoSpec {
        self.animated = animated;
        self
    }

    pub fn with_seed(mut self, seed: u64) -> LogoSpec {
        self.seed = seed;
        self
    }

    pub fn with_size(mut self, size: u32) -> Result<LogoSpec, ArtError> {
        self.size = check_size(i64::from(size))?;
        Ok(self)
    }

    pub fn with_palette(mut self, palette: Palette) -> LogoSpec {
        self.palette = Some(palette);
        self
    }

    /// Sets the prefix of every `id` in the document, for pages that inline several logos.
    pub fn with_id_prefix(mut self, prefix: &str) -> Result<LogoSpec, ArtError> {
        let mut chars = prefix.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let valid = starts_with_letter
            && prefix.len() <= MAX_ID_PREFIX_CHARS
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(ArtError::BadIdPrefix);
        }
        self.id_prefix = Some(prefix.to_owned());
        Ok(self)
    }

    /// Sets the accessible `<title>`; it is escaped on output.
    pub fn with_title(mut self, title: &str) -> Result<LogoSpec, ArtError> {
        if title.chars().count() > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
            return Err(ArtError::BadTitle);
        }
        self.title = Some(title.to_owned());
        Ok(self)
    }

    /// This spec with what a raster never shows cleared: animation (rasters show the static
    /// pose), the id prefix and the title, and the seed of a style without seeded parts. Specs
    /// with one raster identity rasterise to the same pixels.
    pub fn raster_identity(&self) -> LogoSpec {
        LogoSpec {
            animated: false,
            id_prefix: None,
            title: None,
            seed: match self.style.info().seeded {
                true => self.seed,
                false => DEFAULT_SEED,
            },
            ..self.clone()
        }
    }

    pub fn style(&self) -> Style {
        self.style
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    pub fn size(&self) -> u32 {
        self.size
    }

    pub fn animated(&self) -> bool {
        self.animated
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The custom palette if one was given, else the variant's.
    pub fn palette(&self) -> Palette {
        self.palette.unwrap_or(self.variant.info().palette)
    }

    pub fn custom_palette(&self) -> Option<Palette> {
        self.palette
    }

    /// The id prefix, if one was given.
    pub fn id_prefix(&self) -> Option<&str> {
        self.id_prefix.as_deref()
    }

    /// The title, if one was given.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// A stable digest of everything that affects the output, algorithm version included.
    /// Equal digests mean byte-identical SVG; it is the basis of cache keys and ETags.
    pub fn digest(&self) -> blake3::Hash {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"luna-logo\0");
        hasher.update(&ALGORITHM_VERSION.to_le_bytes());
        hasher.update(self.style.key().as_bytes());
        hasher.update(b"\0");
        hasher.update(self.variant.key().as_bytes());
        hasher.update(b"\0");
        hasher.update(&self.size.to_le_bytes());
        hasher.update(&[u8::from(self.animated)]);
        hasher.update(&self.seed.to_le_bytes());
        match &self.palette {
            Some(p) => hasher.update(p.to_string().as_bytes()),
            None => hasher.update(b"-"),
        };
        hasher.update(b"\0");
        hasher.update(self.id_prefix.as_deref().unwrap_or("").as_bytes());
        hasher.update(b"\0");
        hasher.update(self.title.as_deref().unwrap_or("").as_bytes());
        hasher.finalize()
    }

    /// The id prefix, defaulting to one derived from the spec so that different logos inlined in
    /// one page never share an id, while the same logo always gets the same ids.
    pub fn id_prefix_or_default(&self) -> String {
        match &self.id_prefix {
            Some(prefix) => prefix.clone(),
            None => format!("luna-{}", &self.digest().to_hex()[..8]),
        }
    }

    pub fn title_or_default(&self) -> String {
        match &self.title {
            Some(title) => title.clone(),
            None => {
                let variant = self.variant.info().name;
                // Drop the emoji: screen readers read them out.
                let variant = variant.split_once(' ').map_or(variant, |(_, name)| name);
                format!("Arkalia-LUNA · {variant} · {}", self.style.info().name)
            }
        }
    }
}

fn check_size(size: i64) -> Result<u32, ArtError> {
    match u32::try_from(size) {
        Ok(s) if (MIN_SIZE..=MAX_SIZE).contains(&s) => Ok(s),
        _ => Err(ArtError::SizeOutOfRange {
            given: size,
            min: MIN_SIZE,
            max: MAX_SIZE,
        }),
    }
}

fn bounded(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

impl Default for LogoSpec {
    fn default() -> Self {
        LogoSpec::new(Style::Simple, Variant::Serenity, DEFAULT_SIZE)
            .expect("default size is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reports_valid_values() {
        let err = LogoSpec::parse("simple", "sunny", 200).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown variant 'sunny'; valid: serenity, power, mystery, awakening, creative"
        );
        assert_eq!(err.field(), "variant");
        let err = LogoSpec::parse("fancy", "power", 200).unwrap_err();
        assert!(
            err.to_string().contains("valid: simple, advanced, default"),
            "{err}"
        );
        assert_eq!(err.field(), "style");
    }

    #[test]
    fn sizes_outside_16_to_2048_are_refused() {
        for bad in [-5, 0, 15, 2049, i64::MAX] {
            let err = LogoSpec::parse("simple", "power", bad).unwrap_err();
            assert!(matches!(err, ArtError::SizeOutOfRange { .. }), "{bad}");
        }
        for good in [16, 50, 100, 200, 500, 2048] {
            assert!(LogoSpec::parse("simple", "power", good).is_ok());
        }
    }

    #[test]
    fn id_prefix_must_be_an_xml_name() {
        let spec = LogoSpec::default();
        assert!(spec.clone().with_id_prefix("logo-1_a").is_ok());
        for bad in ["", "1abc", "a b", "a\"", "é", &"a".repeat(33)] {
            assert_eq!(
                spec.clone().with_id_prefix(bad),
                Err(ArtError::BadIdPrefix),
                "{bad}"
            );
        }
    }

    #[test]
    fn titles_reject_control_characters() {
        let spec = LogoSpec::default();
        assert!(spec.clone().with_title("Mon <logo> & co").is_ok());
        assert_eq!(spec.clone().with_title("a\nb"), Err(ArtError::BadTitle));
    }

    #[test]
    fn digest_covers_every_option() {
        let base = LogoSpec::default();
        let variants = [
            base.clone().with_seed(1),
            base.clone().with_animated(false),
            base.clone().with_size(201).unwrap(),
            base.clone()
                .with_palette(Palette::parse("#000,#111,#222,#333").unwrap()),
            base.clone().with_id_prefix("x").unwrap(),
            base.clone().with_title("t").unwrap(),
            LogoSpec::new(Style::Advanced, Variant::Serenity, 200).unwrap(),
            LogoSpec::new(Style::Simple, Variant::Power, 200).unwrap(),
        ];
        for v in &variants {
            assert_ne!(v.digest(), base.digest(), "{v:?}");
        }
        assert_eq!(base.digest(), LogoSpec::default().digest());
    }
}
