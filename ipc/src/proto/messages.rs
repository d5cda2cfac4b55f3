//! Each command's arguments and results.

use super::Topic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Output formats of `generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
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
}

/// A palette as `"#a,#b,#c,#d"` or `["#a","#b","#c","#d"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PaletteArg {
    Joined(String),
    List(Vec<String>),
}

/// Arguments of `generate`. Only `variant` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateArgs {
    pub variant: String,
    #[serde(default = "default_style")]
    pub style: String,
    #[serde(default = "default_size")]
    pub size: i64,
    #[serde(default)]
    pub format: Format,
    #[serde(default = "default_true")]
    pub animated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub palette: Option<PaletteArg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Store the result as a file in the daemon's artefact directory and reply with its name
    /// instead of the bytes.
    #[serde(default)]
    pub store: bool,
}

fn default_style() -> String {
    "simple".to_owned()
}

fn default_size() -> i64 {
    200
}

fn default_true() -> bool {
    true
}

impl GenerateArgs {
    pub fn new(style: &str, variant: &str, size: i64, format: Format) -> GenerateArgs {
        GenerateArgs {
            variant: variant.to_owned(),
            style: style.to_owned(),
            size,
            format,
            animated: true,
            seed: None,
            palette: None,
            id_prefix: None,
            title: None,
            store: false,
        }
    }
}

/// How `data` is encoded in a generate result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Base64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerateResult {
    /// Canonical style key (aliases resolved).
    pub style: String,
    pub variant: String,
    pub size: u32,
    pub format: Format,
    pub animated: bool,
    pub seed: u64,
    /// Digest of every input plus the algorithm version: equal digests, equal bytes.
    pub digest: String,
    pub bytes: u64,
    /// Served from the daemon's cache without rendering.
    pub cached: bool,
    /// Seconds spent rendering (0 when cached).
    pub generation_time: f64,
    /// The stored file's name, when `store` was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The output itself, unless `store` was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
}

impl Encoding {
    /// How `data` carries an output of `format`: SVG as text, rasters as base64.
    pub fn of(format: Format) -> Encoding {
        match format {
            Format::Svg => Encoding::Utf8,
            Format::Png | Format::Ico | Format::Webp => Encoding::Base64,
        }
    }

    /// `bytes` as a `data` string. SVG is UTF-8 by construction; anything else would be replaced
    /// character by character, never panic.
    pub fn encode(self, bytes: &[u8]) -> String {
        use base64::Engine as _;
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The bytes `data` stands for.
    pub fn decode(self, data: &str) -> Option<Vec<u8>> {
        use base64::Engine as _;
        match self {
            Encoding::Utf8 => Some(data.as_bytes().to_vec()),
            Encoding::Base64 => base64::engine::general_purpose::STANDARD.decode(data).ok(),
        }
    }
}

impl GenerateResult {
    /// The output bytes, decoded from `data`.
    pub fn decode_data(&self) -> Option<Vec<u8>> {
        self.encoding?.decode(self.data.as_ref()?)
    }
}

/// Arguments of `favicon`: the favicon package of one logo. Only `variant` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaviconArgs {
    pub variant: String,
    #[serde(default = "default_style")]
    pub style: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// A colour (`#rrggbb`, `#rgb`, `#` optional) under every icon, or `none` for transparent
    /// icons where the platform allows them. Absent: a deep shade of the variant's primary colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
}

impl FaviconArgs {
    pub fn new(style: &str, variant: &str) -> FaviconArgs {
        FaviconArgs {
            variant: variant.to_owned(),
            style: style.to_owned(),
            seed: None,
            background: None,
        }
    }
}

/// Result of `favicon`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaviconResult {
    /// Canonical style key (aliases resolved).
    pub style: String,
    pub variant: String,
    pub seed: u64,
    /// The logo's digest, as in `generate`.
    pub digest: String,
    /// `#rrggbb` of the opaque icons and the manifest's colours.
    pub background: String,
    /// Every file, in the package's order.
    pub files: Vec<PackageFileData>,
    /// The `<link>` tags for a page's `<head>` (also the file `favicon.html`).
    pub snippet: String,
    /// Seconds spent drawing the package.
    pub generation_time: f64,
}

/// One file of a favicon package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageFileData {
    /// The file's name in the site's root, e.g. `favicon.ico`.
    pub name: String,
    pub media_type: String,
    pub bytes: u64,
    pub data: String,
    pub encoding: Encoding,
}

impl PackageFileData {
    pub fn decode_data(&self) -> Option<Vec<u8>> {
        self.encoding.decode(&self.data)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsResult {
    pub total_generated: u64,
    pub variants_used: BTreeMap<String, u64>,
    /// Size (as a string key, like the original) → count.
    pub sizes_used: BTreeMap<String, u64>,
    pub styles_used: BTreeMap<String, u64>,
    pub formats_used: BTreeMap<String, u64>,
    /// RFC 3339 UTC time of the last generation, `null` before the first.
    pub last_generation: Option<String>,
    pub cache_hits: u64,
    /// Files in the artefact store, and their total size.
    pub files: u64,
    pub files_bytes: u64,
    pub uptime_seconds: f64,
    /// `degraded` while a fleet's shared store (Redis) is unreachable: the totals are then this
    /// replica's last view plus what it counted since.
    #[serde(default)]
    pub store: StoreState,
    /// Generations counted in memory and not yet in the store.
    #[serde(default)]
    pub buffered: u64,
    /// Generations whose counts were dropped because that buffer was full.
    #[serde(default)]
    pub dropped: u64,
}

/// Whether the store answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreState {
    #[default]
    Ok,
    /// A fleet's shared store is unreachable: counts are buffered, rate limits are per replica.
    Degraded,
}

impl StoreState {
    pub fn is_ok(&self) -> bool {
        *self == StoreState::Ok
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StoreState::Ok => "ok",
            StoreState::Degraded => "degraded",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub name: String,
    pub style: String,
    pub variant: String,
    pub size: u32,
    pub format: Format,
    pub bytes: u64,
    /// RFC 3339 UTC creation time.
    pub created: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesArgs {
    /// At most this many files, newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilesResult {
    /// Newest first.
    pub files: Vec<FileInfo>,
    pub total: u64,
    pub total_bytes: u64,
}

/// Arguments of `file`: fetch one stored file by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileArgs {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileResult {
    pub file: FileInfo,
    pub data: String,
    pub encoding: Encoding,
}

impl FileResult {
    pub fn decode_data(&self) -> Option<Vec<u8>> {
        self.encoding.decode(&self.data)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanupArgs {
    /// Must be `true`: cleanup deletes files.
    #[serde(default)]
    pub confirm: bool,
    /// Only files older than this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub older_than_secs: Option<u64>,
    /// Remove oldest files until the store holds at most this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_total_bytes: Option<u64>,
    /// Report what would be removed without removing it.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanupResult {
    pub removed: u64,
    pub freed_bytes: u64,
    pub remaining: u64,
    pub dry_run: bool,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeArgs {
    /// Topics to receive; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<Topic>>,
}

/// Result of `ping`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PingResult {
    pub pong: bool,
}

/// Result of `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionResult {
    /// Always `lunad`.
    pub server: String,
    pub version: String,
    pub proto: u32,
    pub algorithm: u32,
    pub pid: u32,
    pub uptime_seconds: f64,
}

/// Result of `commands`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandsResult {
    pub commands: Vec<String>,
}

/// One entry of the `variants` result: the original library's introspection object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantInfo {
    /// The key, e.g. `serenity` (the original's field name).
    pub variant_type: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub colors: Colors,
    pub animation_speed: f64,
    pub glow_intensity: f64,
}

/// A variant's palette as `#rrggbb` strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colors {
    pub primary: String,
    pub secondary: String,
    pub accent: String,
    pub glow: String,
}

/// One entry of the `styles` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StyleInfo {
    /// Canonical key.
    pub key: String,
    /// Other accepted keys (the original's names).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Whether the drawing uses the seed.
    #[serde(default)]
    pub seeded: bool,
}

/// Result of `subscribe` and `unsubscribe`: the topics now received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribeResult {
    pub subscribed: Vec<Topic>,
}

/// Result of `shutdown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShutdownResult {
    pub stopping: bool,
}

/// `data` of a `generated` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedEvent {
    pub style: String,
    pub variant: String,
    pub size: u32,
    pub format: Format,
    pub cached: bool,
    /// The stored file, when the request stored one.
    pub file: Option<String>,
    /// The replica it happened on, when lunad is part of a fleet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
}

/// `data` of a `stats` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsEvent {
    pub total_generated: u64,
    pub cache_hits: u64,
    /// Present (`degraded`) only while a fleet's shared store is unreachable.
    #[serde(default, skip_serializing_if = "StoreState::is_ok")]
    pub store: StoreState,
}

/// `data` of a `cleaned` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanedEvent {
    pub removed: u64,
    pub freed_bytes: u64,
    /// The replica it happened on, when lunad is part of a fleet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
}

/// `data` of a `lagged` event: this subscriber missed `dropped` events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaggedEvent {
    pub dropped: u64,
}

/// `data` of a `bye` event, the last line before the daemon closes a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByeEvent {
    /// `shutdown`, `idle_timeout` or `too_many_errors`.
    pub reason: String,
}
