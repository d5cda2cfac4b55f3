//! luna TUI.
