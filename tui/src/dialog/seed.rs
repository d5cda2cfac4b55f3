//! `S`: type a seed.

use super::input::Input;
use super::{Outcome, is_cancel, is_control};
use crossterm::event::{KeyCode, KeyEvent};

#[derive(Debug, Clone, PartialEq)]
pub struct SeedDialog {
    pub input: Input,
    pub current: u64,
    pub error: Option<String>,
}

impl SeedDialog {
    pub fn new(current: u64) -> SeedDialog {
        SeedDialog {
            input: Input::default(),
            current,
            error: None,
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome<u64> {
        if is_cancel(&key) {
            return Outcome::Close;
        }
        if key.code == KeyCode::Enter {
            return match self.input.text().trim().parse::<u64>() {
                Ok(seed) => Outcome::Done(seed),
                Err(_) => {
                    self.error = Some(format!("a seed is a whole number, 0 to {}", u64::MAX));
                    Outcome::Stay
                }
            };
        }
        // Digits only: anything else would be refused on Enter anyway.
        let digit_or_edit =
            is_control(&key) || !matches!(key.code, KeyCode::Char(c) if !c.is_ascii_digit());
        if digit_or_edit && self.input.key(key) {
            self.error = None;
        }
        Outcome::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(d: &mut SeedDialog, code: KeyCode) -> Outcome<u64> {
        d.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn digits_then_enter() {
        let mut d = SeedDialog::new(42);
        for c in "7x3".chars() {
            press(&mut d, KeyCode::Char(c));
        }
        assert_eq!(d.input.text(), "73", "letters are ignored");
        d.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(d.input.text(), "", "Ctrl-U still clears");
        press(&mut d, KeyCode::Char('7'));
        press(&mut d, KeyCode::Char('3'));
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Done(73));
    }

    #[test]
    fn empty_or_too_big_is_refused() {
        let mut d = SeedDialog::new(42);
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        assert!(d.error.is_some());
        for c in "99999999999999999999".chars() {
            press(&mut d, KeyCode::Char(c));
        }
        assert_eq!(d.error, None, "typing clears the error");
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        assert_eq!(press(&mut d, KeyCode::Esc), Outcome::Close);
    }
}
