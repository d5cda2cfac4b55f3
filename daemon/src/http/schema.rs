//! Schemas the OpenAPI document shares between routes: the error body, the health body, and the
//! key lists, which come from the engine's own tables (never written out here).

use crate::art::{Style, Variant};
use crate::engine::Format;
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
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
