//! Schemas the OpenAPI document shares between routes: the error body, the health body, and the
//! key lists, which come from the engine's own tables (never written out here).

use crate::art::{Style, Variant};
use crate::engine::Format;
use std::borrow::Cow;
use std::sync::LazyLock;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::{PartialSchema, ToSchema};

/// Every error response.
#[derive(ToSchema)]
#[allow(dead_code)] // documentation only
pub struct ErrorBody {
    error: ErrorDetail,
    /// The message again, for clients of the original API.
    detail: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// Stable code, e.g. `invalid_argument`, `invalid_field`, `invalid_json`, `not_found`,
    /// `rate_limited`, `payload_too_large`, `unsupported_media_type`, `method_not_allowed`.
    code: String,
    message: String,
    /// The request field at fault.
    field: Option<String>,
    /// The accepted values, where there is a list.
    valid: Option<Vec<String>>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HealthBody {
    /// `healthy`, `degraded` (a fleet's shared store is unreachable; still serving) or
    /// `unhealthy`.
    status: String,
    /// RFC 3339 UTC.
    timestamp: String,
    version: String,
    environment: String,
    /// `ok`, `degraded` (the shared store is unreachable: counts are buffered, rate limits are
    /// per replica) or `failed`.
    store: String,
    /// `ok` or `failed` for `store` (or `degraded`), `storage_writable` and `generator`.
    checks: std::collections::BTreeMap<String, String>,
}

/// A string schema whose allowed values are `keys`.
fn keys_schema(description: &str, keys: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(keys))
        .into()
}

/// A schema type whose values are keys from one of the tables.
macro_rules! key_schema {
    ($(#[$doc:meta])* $name:ident, $description:expr, $keys:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                keys_schema($description, $keys)
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

key_schema!(
    /// Variant keys, in registry order.
    VariantKey,
    "Variant key",
    Variant::ALL.map(Variant::key)
);
key_schema!(
    /// Every accepted style (generator) key: canonical keys and aliases.
    GeneratorKey,
    "Generator (style) key; aliases such as `default` (advanced) and `realism_max` (realism) are accepted",
    Style::accepted_keys()
);
key_schema!(
    /// Output formats.
    FormatKey,
    "Output format",
    Format::ALL.map(Format::extension)
);

/// A string grammar the document publishes and the server enforces from the same source, so
/// the two cannot drift. The sources use only what ECMA-262 and Rust's regex agree on.
pub struct Pattern {
    pub source: &'static str,
    regex: LazyLock<regex_lite::Regex>,
}

impl Pattern {
    pub fn matches(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    fn string_schema(&self, description: &str) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(self.source))
            .description(Some(description))
    }
}

macro_rules! pattern {
    ($(#[$doc:meta])* $name:ident = $source:literal) => {
        $(#[$doc])*
        pub static $name: Pattern = Pattern {
            source: $source,
            regex: LazyLock::new(|| regex_lite::Regex::new($source).expect("a valid pattern")),
        };
    };
}

pattern!(
    /// One colour: `#rrggbb` or `#rgb`, the `#` optional so palettes fit in URLs.
    COLOUR = "^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
);
pattern!(
    /// Four colours joined by commas, spaces allowed around each.
    PALETTE = "^ *#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}) *(, *#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}) *){3}$"
);
pattern!(
    /// A size written as text, as the original's lax validator took it: 16 to 2048, plain digits.
    SIZE_TEXT = "^(1[6-9]|[2-9][0-9]|[1-9][0-9]{2}|1[0-9]{3}|20[0-3][0-9]|204[0-8])$"
);
pattern!(
    /// A favicon package's background: one colour, or `none` for transparent icons.
    BACKGROUND = "^(none|#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}))$"
);
pattern!(
    /// An age: a whole number and a unit (seconds, minutes, hours, days, weeks), e.g. `90m`.
    AGE = "^[0-9]{1,6}[smhdw]$"
);

/// Seeds are any unsigned 64-bit integer (`format` is left out: OpenAPI's `int64` is signed).
pub struct Seed;

impl PartialSchema for Seed {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0usize))
            .maximum(Some(u64::MAX as usize))
            .description(Some("Places the seeded particles; the same inputs always give the same bytes (default 42)"))
            .into()
    }
}

impl ToSchema for Seed {}

/// Pixels per side. `/generate` also takes the original's lax forms: `"200"` and `200.0`.
pub struct Size;

impl Size {
    fn integer() -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(crate::art::MIN_SIZE as usize))
            .maximum(Some(crate::art::MAX_SIZE as usize))
    }
}

impl PartialSchema for Size {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(Size::integer())
            .item(SIZE_TEXT.string_schema("The size as plain digits"))
            .description(Some("Pixels per side, 16 to 2048 (default 200)"))
            .into()
    }
}

impl ToSchema for Size {}

/// A palette as text or as a list of four colours.
pub struct PaletteSchema;

impl PartialSchema for PaletteSchema {
    fn schema() -> RefOr<Schema> {
        let list = ArrayBuilder::new()
            .items(COLOUR.string_schema("A colour"))
            .min_items(Some(4))
            .max_items(Some(4));
        OneOfBuilder::new()
            .item(PALETTE.string_schema("`#a,#b,#c,#d`"))
            .item(list)
            .description(Some(
                "Four colours (primary, secondary, accent, glow): `\"#1e3a8a,#3b82f6,#06b6d4,#60a5fa\"` or a list; `#` optional, 3 or 6 hex digits",
            ))
            .into()
    }
}

impl ToSchema for PaletteSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Palette")
    }
}

/// An optional query parameter.
pub fn query_parameter(
    name: &str,
    description: &str,
    schema: impl Into<RefOr<Schema>>,
) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// `size` in a query: plain digits only.
pub fn size_integer() -> RefOr<Schema> {
    Size::integer().into()
}

/// `palette` in a query: the joined form.
pub fn palette_text() -> RefOr<Schema> {
    PALETTE
        .string_schema("Four colours joined by commas")
        .into()
}

/// `background` in a favicon package's query.
pub fn background() -> RefOr<Schema> {
    BACKGROUND
        .string_schema("A colour, `#` optional, or `none`")
        .into()
}

/// `older_than` in a query.
pub fn age() -> RefOr<Schema> {
    AGE.string_schema("A whole number and a unit: s, m, h, d or w")
        .into()
}

/// Parses plain decimal digits, as the document's integer parameters are written: no sign, no
/// spaces, no leading zero, nothing past `u64`.
pub fn plain_integer(text: &str) -> Option<u64> {
    let plain = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    plain.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_text_accepts_exactly_the_drawable_sizes() {
        for size in 0..5000u32 {
            let drawable = (crate::art::MIN_SIZE..=crate::art::MAX_SIZE).contains(&size);
            assert_eq!(SIZE_TEXT.matches(&size.to_string()), drawable, "{size}");
        }
        assert!(
            !SIZE_TEXT.matches("0200") && !SIZE_TEXT.matches(" 200") && !SIZE_TEXT.matches("200\n")
        );
    }

    #[test]
    fn palettes_are_four_colours_with_optional_hashes_and_spaces() {
        assert!(PALETTE.matches("1e3a8a,3b82f6,06b6d4,60a5fa"));
        assert!(PALETTE.matches("#abc, #123456 ,#ABCDEF,fff"));
        for bad in [
            "",
            "abc,abc,abc",
            "abc,abc,abc,abc,abc",
            "abcd,abc,abc,abc",
            "abc,abc,abc,abc\n",
            "abc,abc,abc,\tabc",
        ] {
            assert!(!PALETTE.matches(bad), "{bad:?}");
        }
        assert!(COLOUR.matches("#1e3a8a") && COLOUR.matches("fff") && !COLOUR.matches(" fff"));
    }

    #[test]
    fn a_background_is_a_colour_or_none() {
        for good in ["none", "#0a1430", "0a1430", "#FFF", "fff"] {
            assert!(BACKGROUND.matches(good), "{good:?}");
        }
        for bad in [
            "",
            "None",
            "#none",
            "transparent",
            "#ffff",
            " fff",
            "fff\n",
            "#",
        ] {
            assert!(!BACKGROUND.matches(bad), "{bad:?}");
        }
    }

    #[test]
    fn plain_integers_have_one_spelling() {
        assert_eq!(plain_integer("0"), Some(0));
        assert_eq!(plain_integer("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "+1",
            "-1",
            "01",
            " 1",
            "1 ",
            "1.0",
            "18446744073709551616",
        ] {
            assert_eq!(plain_integer(bad), None, "{bad:?}");
        }
    }
}
