//! What can happen to the TUI, and the key bindings of the main screen.

use crate::catalogue::{Style, Variant};
use crate::preview::Preview;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent};
use luna_ipc::CleanupResult;

#[derive(Debug, Clone)]
pub enum Action {
    /// A key press: a dialog's when one is open, else a [`Intent`] of the main screen.
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// SIGTERM, or the terminal's input ended.
    Quit,
    Connected {
        algorithm: u32,
    },
    Disconnected,
    Catalogue {
        variants: Vec<Variant>,
        styles: Vec<Style>,
    },
    Stats {
        total: u64,
        hits: u64,
        /// A fleet's shared store is unreachable (counts are buffered).
        store_degraded: bool,
    },
    Preview(Box<Preview>),
    Status(String),
    /// A `generated` event: what the daemon just produced, for anyone.
    Generated(String),
    /// The dry run of a cleanup, for the dialog asking about `older_than_secs`.
    CleanupChecked {
        older_than_secs: Option<u64>,
        result: Result<CleanupResult, String>,
    },
}

/// What a key means on the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Up,
    Down,
    Left,
    Right,
    NextPane,
    PrevPane,
    ToggleAnimated,
    RandomSeed,
    TypeSeed,
    EditPalette,
    Cleanup,
    Bigger,
    Smaller,
    Export,
    Help,
    Quit,
}

/// Every key, for the help overlay: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓ / k j", "move the selection (wraps)"),
    ("← → / h l", "previous / next pane"),
    ("Tab / S-Tab", "next / previous pane"),
    ("mouse", "click selects, wheel scrolls a list"),
    ("Enter / e", "export: SVG, PNG, ICO or WebP, size, path"),
    ("  in export", "↑↓ field, ←→ change, Tab completes"),
    ("a", "toggle animated (export)"),
    ("s / S", "new random seed / type a seed"),
    ("p", "edit the palette (Ctrl-R resets)"),
    ("+ / -", "double / halve the export size"),
    ("c", "clean up stored files (asks first)"),
    ("?", "this help"),
    ("q / Esc", "close a dialog or help / quit"),
    ("Ctrl-C", "quit"),
];

/// A random seed, without a RNG dependency.
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// Ctrl-C: quits from anywhere, dialogs included.
pub fn is_interrupt(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// What a key means on the main screen, if anything.
pub fn intent(key: &KeyEvent) -> Option<Intent> {
    if is_interrupt(key) {
        return Some(Intent::Quit);
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Intent::Up,
        KeyCode::Down | KeyCode::Char('j') => Intent::Down,
        KeyCode::Left | KeyCode::Char('h') => Intent::Left,
        KeyCode::Right | KeyCode::Char('l') => Intent::Right,
        KeyCode::Tab => Intent::NextPane,
        KeyCode::BackTab => Intent::PrevPane,
        KeyCode::Char('a') => Intent::ToggleAnimated,
        KeyCode::Char('s') => Intent::RandomSeed,
        KeyCode::Char('S') => Intent::TypeSeed,
        KeyCode::Char('p') => Intent::EditPalette,
        KeyCode::Char('c') => Intent::Cleanup,
        KeyCode::Char('+' | '=') => Intent::Bigger,
        KeyCode::Char('-' | '_') => Intent::Smaller,
        KeyCode::Char('e') | KeyCode::Enter => Intent::Export,
        KeyCode::Char('?') => Intent::Help,
        KeyCode::Char('q') | KeyCode::Esc => Intent::Quit,
        _ => return None,
    })
}

/// The action for a terminal event, if it has one.
pub fn from_event(event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(*key)),
        Event::Mouse(mouse) => Some(Action::Mouse(*mouse)),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Option<Intent> {
        intent(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn keys_map_to_intents() {
        assert_eq!(key(KeyCode::Char('j')), Some(Intent::Down));
        assert_eq!(key(KeyCode::Up), Some(Intent::Up));
        assert_eq!(key(KeyCode::Tab), Some(Intent::NextPane));
        assert_eq!(key(KeyCode::Char('+')), Some(Intent::Bigger));
        assert_eq!(key(KeyCode::Char('e')), Some(Intent::Export));
        assert_eq!(key(KeyCode::Enter), Some(Intent::Export));
        assert_eq!(key(KeyCode::Esc), Some(Intent::Quit));
        assert_eq!(key(KeyCode::Char('s')), Some(Intent::RandomSeed));
        assert_eq!(key(KeyCode::Char('S')), Some(Intent::TypeSeed));
        assert_eq!(key(KeyCode::Char('p')), Some(Intent::EditPalette));
        assert_eq!(key(KeyCode::Char('c')), Some(Intent::Cleanup));
        assert_eq!(key(KeyCode::Char('z')), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(intent(&ctrl_c), Some(Intent::Quit));
    }

    #[test]
    fn every_intent_key_is_in_the_help() {
        let help: String = KEYS.iter().map(|(k, _)| format!("{k} ")).collect();
        for c in "kjhlasSpce?q+-".chars() {
            assert!(key(KeyCode::Char(c)).is_some(), "{c} is bound to something");
            assert!(help.contains(c), "{c} is missing from the help overlay");
        }
    }
}
