//! What can happen to the TUI, and the key bindings.

use crate::app::{PreviewKey, Style, Variant};
use crate::preview::Image;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Debug, Clone)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    NextPane,
    PrevPane,
    ToggleAnimated,
    NewSeed(u64),
    Bigger,
    Smaller,
    Export,
    Help,
    Quit,
    Resize(u16, u16),
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
    },
    Preview(PreviewKey, Image),
    Status(String),
    /// A `generated` event: what the daemon just produced, for anyone.
    Generated(String),
}

/// Every key, for the help overlay: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓ / k j", "move the selection (wraps)"),
    ("← → / h l", "previous / next pane"),
    ("Tab / S-Tab", "next / previous pane"),
    ("a", "toggle animated"),
    ("s", "new random seed"),
    ("+ / -", "double / halve the size (16–2048)"),
    ("e / Enter", "export SVG into the current directory"),
    ("?", "this help"),
    ("q / Esc", "close help / quit"),
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

/// The action for a key press, if it has one.
pub fn from_key(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::Tab => Action::NextPane,
        KeyCode::BackTab => Action::PrevPane,
        KeyCode::Char('a') => Action::ToggleAnimated,
        KeyCode::Char('s') => Action::NewSeed(random_seed()),
        KeyCode::Char('+' | '=') => Action::Bigger,
        KeyCode::Char('-' | '_') => Action::Smaller,
        KeyCode::Char('e') | KeyCode::Enter => Action::Export,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        _ => return None,
    })
}

/// The action for a terminal event, if it has one.
pub fn from_event(event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) => from_key(*key),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Option<Action> {
        from_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn keys_map_to_actions() {
        assert!(matches!(key(KeyCode::Char('j')), Some(Action::Down)));
        assert!(matches!(key(KeyCode::Up), Some(Action::Up)));
        assert!(matches!(key(KeyCode::Tab), Some(Action::NextPane)));
        assert!(matches!(key(KeyCode::Char('+')), Some(Action::Bigger)));
        assert!(matches!(key(KeyCode::Char('e')), Some(Action::Export)));
        assert!(matches!(key(KeyCode::Esc), Some(Action::Quit)));
        assert!(matches!(key(KeyCode::Enter), Some(Action::Export)));
        assert!(matches!(key(KeyCode::Char('s')), Some(Action::NewSeed(_))));
        assert!(key(KeyCode::Char('z')).is_none());
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(from_key(ctrl_c), Some(Action::Quit)));
    }
}
