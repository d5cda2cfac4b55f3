//! Exit codes (sysexits) and the classification of errors into them.

use luna_ipc::{ClientError, ErrorCode};
use std::fmt;

pub const OK: u8 = 0;
/// `not_found` and failures without a more precise code.
pub const GENERAL: u8 = 1;
/// EX_USAGE: a usage problem we detect ourselves, or the daemon's `unknown_command` /
/// `invalid_argument`. (clap's own usage errors keep clap's exit code 2.)
pub const USAGE: u8 = 64;
/// EX_DATAERR: malformed data, either way.
pub const DATAERR: u8 = 65;
/// EX_UNAVAILABLE: lunad is not running or cannot be reached.
pub const UNAVAILABLE: u8 = 69;
/// EX_SOFTWARE: the daemon reported an internal error.
pub const SOFTWARE: u8 = 70;
/// EX_CANTCREAT: an output file cannot be created.
pub const CANTCREAT: u8 = 73;
/// EX_IOERR: reading or writing failed.
pub const IOERR: u8 = 74;
/// EX_TEMPFAIL: retrying may succeed (`busy`, `shutting_down`, timeouts).
pub const TEMPFAIL: u8 = 75;
/// EX_PROTOCOL: luna and lunad do not understand each other.
pub const PROTOCOL: u8 = 76;
/// EX_NOPERM: the daemon refused us.
pub const NOPERM: u8 = 77;

/// An error with its stable code (the wire code for daemon errors) and exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub exit: u8,
    /// Already reported (e.g. `raw` printed the error reply): exit without printing.
    pub silent: bool,
}

impl Failure {
    pub fn new(code: &str, exit: u8, message: impl Into<String>) -> Failure {
        Failure {
            code: code.to_owned(),
            message: message.into(),
            exit,
            silent: false,
        }
    }

    /// A usage problem detected by luna itself (exit 64).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new("usage", USAGE, message)
    }

    /// Bad input data (exit 65).
    pub fn data(message: impl Into<String>) -> Failure {
        Failure::new("bad_data", DATAERR, message)
    }

    /// An output file or directory cannot be created (exit 73).
    pub fn cant_create(message: impl Into<String>) -> Failure {
        Failure::new("cant_create", CANTCREAT, message)
    }

    /// Exit with `exit` without printing anything more.
    pub fn silent(code: &str, exit: u8) -> Failure {
        Failure {
            silent: true,
            ..Failure::new(code, exit, "")
        }
    }

    /// The failure of a daemon request.
    pub fn from_client(err: &ClientError) -> Failure {
        let (code, exit) = client_code(err);
        Failure::new(code, exit, err.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// The exit status for an error code the daemon replied with.
pub fn wire_exit(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::ParseError | ErrorCode::InvalidRequest | ErrorCode::FrameTooLarge => DATAERR,
        ErrorCode::UnknownCommand | ErrorCode::InvalidArgument => USAGE,
        ErrorCode::NotFound => GENERAL,
        ErrorCode::Busy | ErrorCode::ShuttingDown => TEMPFAIL,
        ErrorCode::PermissionDenied => NOPERM,
        ErrorCode::Internal => SOFTWARE,
    }
}

/// The code and exit status of a client error.
pub fn client_code(err: &ClientError) -> (&'static str, u8) {
    match err {
        ClientError::Unavailable { .. } => ("unavailable", UNAVAILABLE),
        ClientError::Connect { .. } => ("connect", UNAVAILABLE),
        ClientError::Closed => ("closed", UNAVAILABLE),
        ClientError::Io(_) => ("io", IOERR),
        ClientError::ProtocolMismatch { .. } => ("protocol_mismatch", PROTOCOL),
        ClientError::Protocol(_) => ("protocol", PROTOCOL),
        ClientError::Timeout(_) => ("timeout", TEMPFAIL),
        ClientError::Remote(wire) => (wire.code.as_str(), wire_exit(wire.code)),
    }
}

/// Classifies any error: the outermost [`Failure`], [`ClientError`] or I/O error in its chain
/// decides the code; the message is the whole chain, without repeated parts.
pub fn classify(err: &anyhow::Error) -> Failure {
    let mut found = None;
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            found = Some((f.code.clone(), f.exit, f.silent));
        } else if let Some(e) = cause.downcast_ref::<ClientError>() {
            let (code, exit) = client_code(e);
            found = Some((code.to_owned(), exit, false));
        } else if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            found = Some((
                "io".to_owned(),
                IOERR,
                e.kind() == std::io::ErrorKind::BrokenPipe,
            ));
        }
        if found.is_some() {
            break;
        }
    }
    let (code, exit, silent) = found.unwrap_or_else(|| ("error".to_owned(), GENERAL, false));
    if silent && code == "io" {
        // stdout was closed (`luna files | head`): not an error.
        return Failure::silent("broken_pipe", OK);
    }
    Failure {
        code,
        message: chain_message(err),
        exit,
        silent,
    }
}

/// `context: cause: cause`, skipping causes whose text the previous part already contains
/// (thiserror messages often embed their source).
fn chain_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    let mut previous = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || previous.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
        previous = text;
    }
    message
}

/// One exit status for several failures: their common status, else 75 if any is retryable,
/// else 65.
pub fn combine(exits: impl IntoIterator<Item = u8>) -> u8 {
    let mut all = exits.into_iter().peekable();
    let Some(&first) = all.peek() else { return OK };
    let all: Vec<u8> = all.collect();
    if all.iter().all(|&e| e == first) {
        first
    } else if all.contains(&TEMPFAIL) {
        TEMPFAIL
    } else {
        DATAERR
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;
    use luna_ipc::WireError;
    use std::path::PathBuf;

    #[test]
    fn wire_codes_map_to_sysexits() {
        let cases = [
            (ErrorCode::ParseError, 65),
            (ErrorCode::InvalidRequest, 65),
            (ErrorCode::FrameTooLarge, 65),
            (ErrorCode::UnknownCommand, 64),
            (ErrorCode::InvalidArgument, 64),
            (ErrorCode::NotFound, 1),
            (ErrorCode::Busy, 75),
            (ErrorCode::ShuttingDown, 75),
            (ErrorCode::PermissionDenied, 77),
            (ErrorCode::Internal, 70),
        ];
        for (code, exit) in cases {
            assert_eq!(wire_exit(code), exit, "{code}");
        }
    }

    #[test]
    fn client_errors_are_classified_through_context() {
        let unavailable = ClientError::Unavailable {
            path: PathBuf::from("/nowhere/ctl.sock"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        let err = anyhow::Error::new(unavailable).context("listing variants");
        let f = classify(&err);
        assert_eq!((f.code.as_str(), f.exit), ("unavailable", 69));
        assert!(
            f.message
                .starts_with("listing variants: lunad is not running at /nowhere")
        );
        // The io source is already part of the client error's message.
        assert_eq!(f.message.matches("not found").count(), 1, "{}", f.message);

        let remote = ClientError::Remote(WireError::new(ErrorCode::Busy, "too many renders"));
        let f = classify(&anyhow::Error::new(remote));
        assert_eq!((f.code.as_str(), f.exit), ("busy", 75));
        let mismatch = ClientError::ProtocolMismatch {
            server: 2,
            client: 1,
        };
        assert_eq!(classify(&mismatch.into()).exit, 76);
    }

    #[test]
    fn failures_io_and_others() {
        let f = classify(&anyhow::Error::new(Failure::usage("pass --confirm")));
        assert_eq!(
            (f.code.as_str(), f.exit, f.message.as_str()),
            ("usage", 64, "pass --confirm")
        );
        let io: anyhow::Result<()> =
            Err(std::io::Error::other("disk full")).context("writing a.svg");
        let f = classify(&io.unwrap_err());
        assert_eq!(
            (f.exit, f.message.as_str()),
            (74, "writing a.svg: disk full")
        );
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(classify(&pipe.into()), Failure::silent("broken_pipe", 0));
        assert_eq!(classify(&anyhow::anyhow!("odd")).exit, 1);
    }

    #[test]
    fn combined_exit_codes() {
        assert_eq!(combine([]), 0);
        assert_eq!(combine([69, 69]), 69);
        assert_eq!(combine([64, 75]), 75);
        assert_eq!(combine([64, 70]), 65);
    }
}
