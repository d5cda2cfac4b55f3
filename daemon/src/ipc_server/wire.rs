//! The one place where the protocol's types meet the engine's: requests in, results, errors and
//! events out.

use crate::art::{Style, Variant};
use crate::engine::stats::rfc3339;
use crate::engine::{
    CleanupReport, CleanupRequest, EngineError, Favicon, FaviconRequest, Format, Generate, Listing,
    LogoRequest, Output, PaletteInput, Stats, StoredFile,
};
use crate::telemetry::{Event, Published};
use luna_ipc::{
    CleanedEvent, CleanupArgs, CleanupResult, Colors, Encoding, ErrorCode, FaviconArgs,
    FaviconResult, FileInfo, FileResult, FilesResult, GenerateArgs, GenerateResult, GeneratedEvent,
    PackageFileData, PaletteArg, StatsEvent, StatsResult, StyleInfo, Topic, VariantInfo, WireError,
};
use serde_json::json;
use std::time::Duration;

impl From<luna_ipc::Format> for Format {
    fn from(f: luna_ipc::Format) -> Format {
        match f {
            luna_ipc::Format::Svg => Format::Svg,
            luna_ipc::Format::Png => Format::Png,
            luna_ipc::Format::Ico => Format::Ico,
            luna_ipc::Format::Webp => Format::Webp,
        }
    }
}

impl From<Format> for luna_ipc::Format {
    fn from(f: Format) -> luna_ipc::Format {
        match f {
            Format::Svg => luna_ipc::Format::Svg,
            Format::Png => luna_ipc::Format::Png,
            Format::Ico => luna_ipc::Format::Ico,
            Format::Webp => luna_ipc::Format::Webp,
        }
    }
}

pub fn generate(args: GenerateArgs) -> Generate {
    Generate {
        logo: LogoRequest {
            style: args.style,
            variant: args.variant,
            size: args.size,
            animated: args.animated,
            seed: args.seed,
            palette: args.palette.map(|p| match p {
                PaletteArg::Joined(text) => PaletteInput::Joined(text),
                PaletteArg::List(list) => PaletteInput::List(list),
            }),
            id_prefix: args.id_prefix,
            title: args.title,
        },
        format: args.format.into(),
        store: args.store,
    }
}

/// The bytes travel in `data` unless the output was stored (then `file` names it).
pub fn generate_result(output: Output) -> GenerateResult {
    let format = output.format.into();
    let (data, encoding) = match output.file {
        Some(_) => (None, None),
        None => {
            let encoding = Encoding::of(format);
            (Some(encoding.encode(&output.bytes)), Some(encoding))
        }
    };
    GenerateResult {
        style: output.spec.style().key().to_owned(),
        variant: output.spec.variant().key().to_owned(),
        size: output.spec.size(),
        format,
        animated: output.spec.animated(),
        seed: output.spec.seed(),
        digest: output.spec.digest().to_hex()[..16].to_owned(),
        bytes: output.bytes.len() as u64,
        cached: output.cached,
        generation_time: output.render_seconds,
        file: output.file,
        data,
        encoding,
    }
}

pub fn favicon(args: FaviconArgs) -> FaviconRequest {
    FaviconRequest {
        logo: LogoRequest {
            seed: args.seed,
            ..LogoRequest::new(&args.style, &args.variant)
        },
        background: args.background,
    }
}

/// Text files (the SVG, the manifest, the HTML) travel as text, the images as base64.
pub fn favicon_result(favicon: Favicon) -> FaviconResult {
    let files = favicon
        .package
        .files
        .into_iter()
        .map(|file| {
            let text = file.media_type == "image/svg+xml" || !file.media_type.starts_with("image/");
            let encoding = match text {
                true => Encoding::Utf8,
                false => Encoding::Base64,
            };
            PackageFileData {
                name: file.name.to_owned(),
                media_type: file.media_type.to_owned(),
                bytes: file.bytes.len() as u64,
                data: encoding.encode(&file.bytes),
                encoding,
            }
        })
        .collect();
    FaviconResult {
        style: favicon.spec.style().key().to_owned(),
        variant: favicon.spec.variant().key().to_owned(),
        seed: favicon.spec.seed(),
        digest: favicon.spec.digest().to_hex()[..16].to_owned(),
        background: favicon.package.colour.to_string(),
        files,
        snippet: favicon.package.snippet.to_owned(),
        generation_time: favicon.render_seconds,
    }
}

pub fn error(e: EngineError) -> WireError {
    let message = e.to_string();
    match e {
        EngineError::Invalid(invalid) => {
            let mut details = json!({ "path": invalid.field });
            if let Some(valid) = invalid.valid {
                details["valid"] = json!(valid);
            }
            WireError::new(ErrorCode::InvalidArgument, message).with_details(details)
        }
        EngineError::Busy { .. } => WireError::new(ErrorCode::Busy, message),
        EngineError::NotFound(_) => WireError::new(ErrorCode::NotFound, message),
        // Protocol 1's codes are fixed: an unreachable shared store is a retryable `busy`.
        EngineError::Store(e) if e.is_unreachable() => WireError::new(ErrorCode::Busy, message),
        EngineError::Store(_) | EngineError::Internal(_) => {
            WireError::new(ErrorCode::Internal, message)
        }
    }
}

pub fn stats(s: Stats) -> StatsResult {
    StatsResult {
        total_generated: s.total_generated,
        variants_used: s.variants,
        sizes_used: s.sizes,
        styles_used: s.styles,
        formats_used: s.formats,
        last_generation: s.last_generation.map(rfc3339),
        cache_hits: s.cache_hits,
        files: s.files.count,
        files_bytes: s.files.bytes,
        uptime_seconds: s.uptime.as_secs_f64(),
        store: store_state(s.store.degraded),
        buffered: s.store.buffering.buffered,
        dropped: s.store.buffering.dropped,
    }
}

fn store_state(degraded: bool) -> luna_ipc::StoreState {
    match degraded {
        true => luna_ipc::StoreState::Degraded,
        false => luna_ipc::StoreState::Ok,
    }
}

pub fn file_info(f: StoredFile) -> FileInfo {
    FileInfo {
        created: rfc3339(f.created),
        format: f.format.into(),
        name: f.name,
        style: f.style,
        variant: f.variant,
        size: f.size,
        bytes: f.bytes,
    }
}

pub fn files(listing: Listing) -> FilesResult {
    FilesResult {
        files: listing.files.into_iter().map(file_info).collect(),
        total: listing.total,
        total_bytes: listing.total_bytes,
    }
}

pub fn file(file: StoredFile, bytes: &[u8]) -> FileResult {
    let encoding = Encoding::of(file.format.into());
    FileResult {
        data: encoding.encode(bytes),
        encoding,
        file: file_info(file),
    }
}

pub fn cleanup(args: &CleanupArgs) -> CleanupRequest {
    CleanupRequest {
        older_than: args.older_than_secs.map(Duration::from_secs),
        max_total_bytes: args.max_total_bytes,
        dry_run: args.dry_run,
    }
}

pub fn cleanup_result(report: CleanupReport) -> CleanupResult {
    CleanupResult {
        removed: report.removed.len() as u64,
        freed_bytes: report.freed_bytes,
        remaining: report.remaining,
        dry_run: report.dry_run,
        files: report.removed,
    }
}

pub fn variants() -> Vec<VariantInfo> {
    Variant::ALL
        .iter()
        .map(|v| {
            let info = v.info();
            VariantInfo {
                variant_type: info.key.to_owned(),
                name: info.name.to_owned(),
                description: info.description.to_owned(),
                colors: Colors {
                    primary: info.palette.primary.to_string(),
                    secondary: info.palette.secondary.to_string(),
                    accent: info.palette.accent.to_string(),
                    glow: info.palette.glow.to_string(),
                },
                animation_speed: info.animation_speed,
                glow_intensity: info.glow_intensity,
            }
        })
        .collect()
}

pub fn styles() -> Vec<StyleInfo> {
    Style::ALL
        .iter()
        .map(|s| {
            let info = s.info();
            StyleInfo {
                key: info.key.to_owned(),
                aliases: info.aliases.iter().map(|a| (*a).to_owned()).collect(),
                name: info.name.to_owned(),
                description: info.description.to_owned(),
                seeded: info.seeded,
            }
        })
        .collect()
}

pub fn topic(event: &Event) -> Topic {
    match event {
        Event::Generated { .. } => Topic::Generated,
        Event::Cleaned { .. } => Topic::Cleaned,
        Event::Stats { .. } => Topic::Stats,
        Event::Shutdown => Topic::Shutdown,
    }
}

pub fn event(published: &Published) -> luna_ipc::Event {
    let data = match &published.event {
        Event::Generated {
            style,
            variant,
            size,
            format,
            cached,
            file,
        } => serde_json::to_value(GeneratedEvent {
            style: (*style).to_owned(),
            variant: (*variant).to_owned(),
            size: *size,
            format: (*format).into(),
            cached: *cached,
            file: file.clone(),
            replica: published.replica.as_deref().map(str::to_owned),
        }),
        Event::Cleaned {
            removed,
            freed_bytes,
        } => serde_json::to_value(CleanedEvent {
            removed: *removed,
            freed_bytes: *freed_bytes,
            replica: published.replica.as_deref().map(str::to_owned),
        }),
        Event::Stats {
            total_generated,
            cache_hits,
            store_degraded,
        } => serde_json::to_value(StatsEvent {
            total_generated: *total_generated,
            cache_hits: *cache_hits,
            store: store_state(*store_degraded),
        }),
        Event::Shutdown => Ok(json!({})),
    };
    luna_ipc::Event {
        event: topic(&published.event).as_str().to_owned(),
        seq: published.seq,
        data: data.expect("events serialise"),
    }
}
