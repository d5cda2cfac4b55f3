//! lunad IPC protocol.
