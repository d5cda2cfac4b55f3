//! Protocol messages, version 1. `ipc/PROTOCOL.md` documents them; its transcripts are tested.
//!
//! This module holds the envelope (greeting, requests, replies, errors, events); `messages`
//! holds each command's arguments and results.

mod messages;

pub use messages::*;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Bumped only for breaking changes; additions add a feature string instead.
pub const PROTOCOL_VERSION: u32 = 1;
/// Longest request line the daemon reads, newline excluded.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Feature strings announced in the greeting.
pub const FEATURES: &[&str] = &["events", "cleanup", "files", "raster", "webp", "favicon"];

/// The first line the server sends on every connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Greeting {
    pub hello: Hello,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// Always `lunad`.
    pub server: String,
    /// The daemon's version (one version string for the whole project).
    pub version: String,
    /// [`PROTOCOL_VERSION`] of the server.
    pub proto: u32,
    /// The art engine's algorithm version: same version, same pictures.
    pub algorithm: u32,
    pub features: Vec<String>,
}

/// Stable error codes. The set is fixed for protocol 1; see PROTOCOL.md for the meaning of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The line is not valid UTF-8 JSON.
    ParseError,
    /// Valid JSON, but not a request object (`cmd` missing, wrong `id` type, unknown top-level key).
    InvalidRequest,
    /// The line exceeds [`MAX_LINE_BYTES`]; it was discarded.
    FrameTooLarge,
    /// No such command; `commands` lists them.
    UnknownCommand,
    /// An argument is missing, unknown, of the wrong type or out of range.
    InvalidArgument,
    /// The named thing (a stored file) does not exist.
    NotFound,
    /// The daemon is at a limit (connections, renders); retry later.
    Busy,
    /// The daemon is stopping; retry against the next instance.
    ShuttingDown,
    /// The peer is not allowed (another user).
    PermissionDenied,
    /// A bug or an I/O failure inside the daemon; logged with the same message.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ParseError => "parse_error",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::FrameTooLarge => "frame_too_large",
            ErrorCode::UnknownCommand => "unknown_command",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Busy => "busy",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::Internal => "internal",
        }
    }

    /// Whether the same request may succeed later unchanged.
    pub fn retryable(self) -> bool {
        matches!(self, ErrorCode::Busy | ErrorCode::ShuttingDown)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error object of a failed reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default)]
    pub retryable: bool,
    /// Extra structure, e.g. `{"field": "variant", "valid": [...]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

impl WireError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> WireError {
        WireError {
            code,
            message: message.into(),
            retryable: code.retryable(),
            details: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> WireError {
        self.details = Some(details);
        self
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for WireError {}

/// A reply line: `{"id":…,"ok":true,"result":…}` or `{"id":…,"ok":false,"error":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: Value,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<WireError>,
}

impl Response {
    pub fn success(id: Value, result: Value) -> Response {
        Response {
            id,
            ok: true,
            result: Some(result),
            error: None,
        }
    }

    pub fn failure(id: Value, error: WireError) -> Response {
        Response {
            id,
            ok: false,
            result: None,
            error: Some(error),
        }
    }
}

/// An event line pushed to subscribers: `{"event":"generated","seq":12,"data":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event: String,
    /// Increases by one per event the daemon publishes; a gap means events were missed.
    pub seq: u64,
    #[serde(default)]
    pub data: Value,
}

/// Event topics a connection can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// A logo was generated (or served from the cache).
    Generated,
    /// Stored files were removed by a cleanup.
    Cleaned,
    /// The statistics changed.
    Stats,
    /// The daemon is shutting down.
    Shutdown,
}

impl Topic {
    pub const ALL: [Topic; 4] = [
        Topic::Generated,
        Topic::Cleaned,
        Topic::Stats,
        Topic::Shutdown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Generated => "generated",
            Topic::Cleaned => "cleaned",
            Topic::Stats => "stats",
            Topic::Shutdown => "shutdown",
        }
    }
}

/// The field a command's `args` must give, if any: a request without `args` is then refused
/// naming it. Arguments whose fields all have defaults may be left out.
pub trait CommandArgs: Serialize + serde::de::DeserializeOwned {
    const REQUIRED: Option<&'static str> = None;
}

impl CommandArgs for GenerateArgs {
    const REQUIRED: Option<&'static str> = Some("variant");
}
impl CommandArgs for FaviconArgs {
    const REQUIRED: Option<&'static str> = Some("variant");
}
impl CommandArgs for FileArgs {
    const REQUIRED: Option<&'static str> = Some("name");
}
impl CommandArgs for FilesArgs {}
impl CommandArgs for CleanupArgs {}
impl CommandArgs for SubscribeArgs {}

/// Defines the protocol's commands from one table: each line gives the command's wire name, its
/// [`Command`] variant with the arguments it takes (if any), and the type of its result. From it
/// come [`Command`], [`COMMANDS`], parsing and the typed [`Client`](crate::Client) methods, so a
/// new command is one new line here plus its handler in lunad.
macro_rules! commands {
    ($( $(#[$doc:meta])* $name:ident $( ($args:ty) )? => $variant:ident -> $result:ty; )*) => {
        /// A request as a client sends it. The server parses lines by hand for precise error codes.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Command {
            $( $(#[$doc])* $variant $( ($args) )?, )*
        }

        /// Every command name, in documentation order.
        pub const COMMANDS: &[&str] = &[$( stringify!($name) ),*];

        impl Command {
            pub fn name(&self) -> &'static str {
                match self {
                    $( Command::$variant { .. } => stringify!($name), )*
                }
            }

            /// The `args` object, if the command takes one.
            pub fn args(&self) -> Option<Value> {
                #[allow(unreachable_patterns)]
                match self {
                    $($( Command::$variant(args) => {
                        let args: &$args = args;
                        Some(serde_json::to_value(args).expect("argument structs serialise"))
                    } )?)*
                    _ => None,
                }
            }

            /// Parses a command from its name and `args`, with the protocol's error codes.
            pub fn from_parts(cmd: &str, args: Option<Value>) -> Result<Command, WireError> {
                match cmd {
                    $( stringify!($name) => commands!(@parse cmd, args, $variant $(, $args)?), )*
                    other => Err(unknown_command(other)),
                }
            }
        }

        impl crate::Client {
            $(
                $(#[$doc])*
                pub async fn $name(&self $(, args: $args)?) -> Result<$result, crate::ClientError> {
                    self.call_as(&commands!(@build $variant $(, args as $args)?)).await
                }
            )*
        }
    };
    (@parse $cmd:ident, $a:ident, $variant:ident) => {
        no_args($cmd, $a).map(|()| Command::$variant)
    };
    (@parse $cmd:ident, $a:ident, $variant:ident, $args:ty) => {
        command_args::<$args>($cmd, $a).map(Command::$variant)
    };
    (@build $variant:ident) => { Command::$variant };
    (@build $variant:ident, $a:ident as $args:ty) => { Command::$variant($a) };
}

commands! {
    /// Liveness: `{"pong": true}`.
    ping => Ping -> PingResult;
    /// The daemon's versions, process and uptime.
    version => Version -> VersionResult;
    /// The command names this daemon understands.
    commands => Commands -> CommandsResult;
    /// The moon variants, with their colours.
    variants => Variants -> Vec<VariantInfo>;
    /// The drawing styles, with aliases.
    styles => Styles -> Vec<StyleInfo>;
    /// Draws a logo (and optionally stores it).
    generate(GenerateArgs) => Generate -> GenerateResult;
    /// Draws a logo's favicon package: every file and the `<link>` tags.
    favicon(FaviconArgs) => Favicon -> FaviconResult;
    /// The statistics.
    stats => Stats -> StatsResult;
    /// The stored files, newest first.
    files(FilesArgs) => Files -> FilesResult;
    /// One stored file's bytes.
    file(FileArgs) => File -> FileResult;
    /// Removes stored files.
    cleanup(CleanupArgs) => Cleanup -> CleanupResult;
    /// Starts receiving events on this connection.
    subscribe(SubscribeArgs) => Subscribe -> SubscribeResult;
    /// Stops receiving events.
    unsubscribe => Unsubscribe -> SubscribeResult;
    /// Asks the daemon to stop (it answers first).
    shutdown => Shutdown -> ShutdownResult;
}

fn unknown_command(cmd: &str) -> WireError {
    let shown: String = cmd.chars().take(64).collect();
    WireError::new(
        ErrorCode::UnknownCommand,
        format!("unknown command '{shown}'; send {{\"cmd\":\"commands\"}} for the list"),
    )
    .with_details(serde_json::json!({ "valid": COMMANDS }))
}

fn no_args(cmd: &str, args: Option<Value>) -> Result<(), WireError> {
    match args {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(m)) if m.is_empty() => Ok(()),
        Some(_) => Err(WireError::new(
            ErrorCode::InvalidArgument,
            format!("'{cmd}' takes no arguments"),
        )),
    }
}

fn command_args<T: CommandArgs>(cmd: &str, args: Option<Value>) -> Result<T, WireError> {
    match (args, T::REQUIRED) {
        (Some(v), _) if !v.is_null() => parse_args(v),
        (_, None) => parse_args(Value::Object(serde_json::Map::new())),
        (_, Some(first)) => Err(WireError::new(
            ErrorCode::InvalidArgument,
            format!("'{cmd}' needs args with at least \"{first}\""),
        )
        .with_details(serde_json::json!({ "path": first }))),
    }
}

/// Deserialises arguments, reporting the JSON path of the first problem.
fn parse_args<T: serde::de::DeserializeOwned>(args: Value) -> Result<T, WireError> {
    if !args.is_object() {
        return Err(WireError::new(
            ErrorCode::InvalidArgument,
            "\"args\" must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(args).map_err(|e| {
        let mut path = e.path().to_string();
        let message = e.inner().to_string();
        if path == "." {
            // Unknown and missing fields are reported at the object itself; name the field.
            path = message.split('`').nth(1).unwrap_or_default().to_owned();
        }
        WireError::new(ErrorCode::InvalidArgument, format!("{path}: {message}"))
            .with_details(serde_json::json!({ "path": path }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn commands_round_trip_through_name_and_args() {
        let cases = [
            Command::Ping,
            Command::Stats,
            Command::Generate(GenerateArgs::new("ultimate", "power", 64, Format::Png)),
            Command::Generate(GenerateArgs::new("simple", "power", 64, Format::Webp)),
            Command::Favicon(FaviconArgs {
                seed: Some(7),
                background: Some("none".into()),
                ..FaviconArgs::new("ultimate", "mystery")
            }),
            Command::Files(FilesArgs { limit: Some(3) }),
            Command::Cleanup(CleanupArgs {
                confirm: true,
                older_than_secs: Some(60),
                max_total_bytes: None,
                dry_run: false,
            }),
            Command::Subscribe(SubscribeArgs {
                topics: Some(vec![Topic::Generated]),
            }),
        ];
        for command in cases {
            let parsed = Command::from_parts(command.name(), command.args()).unwrap();
            assert_eq!(parsed, command);
        }
    }

    #[test]
    fn generate_defaults_match_the_original_api() {
        let Command::Generate(args) =
            Command::from_parts("generate", Some(json!({"variant": "power"}))).unwrap()
        else {
            panic!()
        };
        assert_eq!((args.style.as_str(), args.size), ("simple", 200));
        assert_eq!(args.format, Format::Svg);
        assert!(args.animated && !args.store);
    }

    #[test]
    fn bad_arguments_name_the_field() {
        let err = Command::from_parts("generate", Some(json!({"variant": "power", "colour": 1})))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
        assert_eq!(err.details.unwrap()["path"], "colour");
        let err = Command::from_parts("generate", Some(json!({"variant": "power", "size": "big"})))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
        assert_eq!(err.details.unwrap()["path"], "size");
        let err = Command::from_parts("generate", Some(json!({}))).unwrap_err();
        assert_eq!(err.details.unwrap()["path"], "variant");
        let err = Command::from_parts("favicon", None).unwrap_err();
        assert_eq!(err.details.unwrap()["path"], "variant");
        let err = Command::from_parts("favicon", Some(json!({"variant": "power", "size": 64})))
            .unwrap_err();
        assert_eq!(err.details.unwrap()["path"], "size");
        let err = Command::from_parts("ping", Some(json!({"x": 1}))).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
    }

    #[test]
    fn unknown_commands_list_the_valid_ones() {
        let err = Command::from_parts("dance", None).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnknownCommand);
        assert!(!err.retryable);
        assert_eq!(
            err.details.unwrap()["valid"].as_array().unwrap().len(),
            COMMANDS.len()
        );
    }

    #[test]
    fn palette_accepts_string_or_list() {
        let joined: PaletteArg = serde_json::from_value(json!("#111,#222,#333,#444")).unwrap();
        assert!(matches!(joined, PaletteArg::Joined(_)));
        let list: PaletteArg =
            serde_json::from_value(json!(["#111", "#222", "#333", "#444"])).unwrap();
        assert!(matches!(list, PaletteArg::List(ref v) if v.len() == 4));
    }
}
