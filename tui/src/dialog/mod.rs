//! The small modal dialogs: export, seed, palette and cleanup. Each owns its fields and turns
//! keys into an [`Outcome`]; the app decides what a finished dialog does.

pub mod cleanup;
pub mod export;
pub mod input;
pub mod palette;
pub mod path;
pub mod seed;

use crossterm::event::{KeyCode, KeyEvent};

/// What a key did to a dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// Still open.
    Stay,
    /// Cancelled.
    Close,
    /// Finished with a value; the dialog closes.
    Done(T),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    Export(export::ExportDialog),
    Seed(seed::SeedDialog),
    Palette(palette::PaletteDialog),
    Cleanup(cleanup::CleanupDialog),
}

/// Esc cancels every dialog.
fn is_cancel(key: &KeyEvent) -> bool {
    key.code == KeyCode::Esc
}

/// Ctrl held: an editing shortcut (Ctrl-U, Ctrl-W…), never text.
fn is_control(key: &KeyEvent) -> bool {
    key.modifiers
        .contains(crossterm::event::KeyModifiers::CONTROL)
}

/// Moves a field index with ↑/↓ (and Tab/Shift-Tab unless `tab_is_taken`), wrapping.
fn move_field(field: &mut usize, count: usize, key: &KeyEvent, tab_is_taken: bool) -> bool {
    let forward = match key.code {
        KeyCode::Down => true,
        KeyCode::Up | KeyCode::BackTab => false,
        KeyCode::Tab if !tab_is_taken => true,
        _ => return false,
    };
    *field = if forward {
        (*field + 1) % count
    } else {
        (*field + count - 1) % count
    };
    true
}
