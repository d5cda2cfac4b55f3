//! lunad's IPC protocol, shared by the daemon, the `luna` CLI and the TUI: message types
//! ([`proto`]), newline-delimited JSON framing ([`framing`]), a typed async client ([`client`]) and
//! the socket's location ([`paths`]). The wire format is documented in `ipc/PROTOCOL.md`.

pub mod client;
pub mod export;
pub mod framing;
pub mod paths;
pub mod proto;
pub mod text;

pub use client::{Client, ClientError};
pub use proto::*;
