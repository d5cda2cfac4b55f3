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
pub const FEATURES: &[&str] = &["events", "cleanup", "files", "raster"];

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

/// A request as a client sends it. The server parses lines by hand for precise error codes.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Ping,
    Version,
    Commands,
    Variants,
    Styles,
    Generate(GenerateArgs),
    Stats,
    Files(FilesArgs),
    File(FileArgs),
    Cleanup(CleanupArgs),
    Subscribe(SubscribeArgs),
    Unsubscribe,
    Shutdown,
}

/// Every command name, in documentation order.
pub const COMMANDS: &[&str] = &[
    "ping",
    "version",
    "commands",
    "variants",
    "styles",
    "generate",
    "stats",
    "files",
    "file",
    "cleanup",
    "subscribe",
    "unsubscribe",
    "shutdown",
];

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Ping => "ping",
            Command::Version => "version",
            Command::Commands => "commands",
            Command::Variants => "variants",
            Command::Styles => "styles",
            Command::Generate(_) => "generate",
            Command::Stats => "stats",
            Command::Files(_) => "files",
            Command::File(_) => "file",
            Command::Cleanup(_) => "cleanup",
            Command::Subscribe(_) => "subscribe",
            Command::Unsubscribe => "unsubscribe",
            Command::Shutdown => "shutdown",
        }
    }

    /// The `args` object, if the command takes one.
    pub fn args(&self) -> Option<Value> {
        let value = match self {
            Command::Generate(a) => serde_json::to_value(a),
            Command::Files(a) => serde_json::to_value(a),
            Command::File(a) => serde_json::to_value(a),
            Command::Cleanup(a) => serde_json::to_value(a),
            Command::Subscribe(a) => serde_json::to_value(a),
            _ => return None,
        };
        Some(value.expect("argument structs serialise"))
    }

    /// Parses a command from its name and `args`, with the protocol's error codes.
    pub fn from_parts(cmd: &str, args: Option<Value>) -> Result<Command, WireError> {
        fn typed<T: serde::de::DeserializeOwned + Default>(
            args: Option<Value>,
        ) -> Result<T, WireError> {
            match args {
                None | Some(Value::Null) => Ok(T::default()),
                Some(v) => parse_args(v),
            }
        }
        fn required<T: serde::de::DeserializeOwned>(
            cmd: &str,
            args: Option<Value>,
            first: &str,
        ) -> Result<T, WireError> {
            match args {
                Some(v) if !v.is_null() => parse_args(v),
                _ => Err(WireError::new(
                    ErrorCode::InvalidArgument,
                    format!("'{cmd}' needs args with at least \"{first}\""),
                )
                .with_details(serde_json::json!({ "path": first }))),
            }
        }
        fn none(cmd: &str, args: Option<Value>) -> Result<(), WireError> {
            match args {
                None | Some(Value::Null) => Ok(()),
                Some(Value::Object(m)) if m.is_empty() => Ok(()),
                Some(_) => Err(WireError::new(
                    ErrorCode::InvalidArgument,
                    format!("'{cmd}' takes no arguments"),
                )),
            }
        }
        Ok(match cmd {
            "ping" => none(cmd, args).map(|_| Command::Ping)?,
            "version" => none(cmd, args).map(|_| Command::Version)?,
            "commands" => none(cmd, args).map(|_| Command::Commands)?,
            "variants" => none(cmd, args).map(|_| Command::Variants)?,
            "styles" => none(cmd, args).map(|_| Command::Styles)?,
            "stats" => none(cmd, args).map(|_| Command::Stats)?,
            "unsubscribe" => none(cmd, args).map(|_| Command::Unsubscribe)?,
            "shutdown" => none(cmd, args).map(|_| Command::Shutdown)?,
            "generate" => Command::Generate(required(cmd, args, "variant")?),
            "files" => Command::Files(typed(args)?),
            "file" => Command::File(required(cmd, args, "name")?),
            "cleanup" => Command::Cleanup(typed(args)?),
            "subscribe" => Command::Subscribe(typed(args)?),
            other => {
                let shown: String = other.chars().take(64).collect();
                return Err(WireError::new(
                    ErrorCode::UnknownCommand,
                    format!(
                        "unknown command '{shown}'; send {{\"cmd\":\"commands\"}} for the list"
                    ),
                )
                .with_details(serde_json::json!({ "valid": COMMANDS })));
            }
        })
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
