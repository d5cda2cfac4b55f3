//! `p`: edit the four colours of the current logo.

use super::input::Input;
use super::{Outcome, is_cancel, move_field};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub const NAMES: [&str; 4] = ["primary", "secondary", "accent", "glow"];

#[derive(Debug, Clone, PartialEq)]
pub struct PaletteDialog {
    pub fields: [Input; 4],
    pub field: usize,
    /// The variant's own colours, for Ctrl-R.
    defaults: [String; 4],
    pub error: Option<String>,
}

/// `#rrggbb` for `#rgb`, `rrggbb`, `#RRGGBB`…; `None` for anything else.
pub fn normalise(colour: &str) -> Option<String> {
    let hex = colour.trim().trim_start_matches('#');
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let hex = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_owned(),
        _ => return None,
    };
    Some(format!("#{}", hex.to_ascii_lowercase()))
}

impl PaletteDialog {
    /// `current` is what the logo uses now; `defaults` the variant's own palette.
    pub fn new(current: &[String; 4], defaults: &[String; 4]) -> PaletteDialog {
        PaletteDialog {
            fields: current.clone().map(|c| Input::new(&c)),
            field: 0,
            defaults: defaults.clone(),
            error: None,
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome<[String; 4]> {
        if is_cancel(&key) {
            return Outcome::Close;
        }
        if key.code == KeyCode::Char('r') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.fields = self.defaults.clone().map(|c| Input::new(&c));
            self.error = None;
            return Outcome::Stay;
        }
        if key.code == KeyCode::Enter {
            let colours: Vec<Option<String>> =
                self.fields.iter().map(|f| normalise(f.text())).collect();
            if let Some(bad) = colours.iter().position(Option::is_none) {
                self.field = bad;
                self.error = Some(format!(
                    "{} must be a hex colour like #1e3a8a or #fff",
                    NAMES[bad]
                ));
                return Outcome::Stay;
            }
            let colours = colours.into_iter().flatten().collect::<Vec<_>>();
            return match <[String; 4]>::try_from(colours) {
                Ok(colours) => Outcome::Done(colours),
                Err(_) => Outcome::Stay,
            };
        }
        if move_field(&mut self.field, NAMES.len(), &key, false) {
            return Outcome::Stay;
        }
        if self.fields[self.field].key(key) {
            self.error = None;
        }
        Outcome::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(list: [&str; 4]) -> [String; 4] {
        list.map(String::from)
    }

    fn press(
        d: &mut PaletteDialog,
        code: KeyCode,
        modifiers: KeyModifiers,
    ) -> Outcome<[String; 4]> {
        d.key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn colours_are_normalised() {
        assert_eq!(normalise("#FFF").as_deref(), Some("#ffffff"));
        assert_eq!(normalise("1E3A8A").as_deref(), Some("#1e3a8a"));
        assert_eq!(normalise("#12345"), None);
        assert_eq!(normalise("#ggg"), None);
    }

    #[test]
    fn edit_a_field_and_apply() {
        let variant = colours(["#111111", "#222222", "#333333", "#444444"]);
        let mut d = PaletteDialog::new(&variant, &variant);
        press(&mut d, KeyCode::Down, KeyModifiers::NONE);
        press(&mut d, KeyCode::Char('u'), KeyModifiers::CONTROL);
        for c in "#F0A".chars() {
            press(&mut d, KeyCode::Char(c), KeyModifiers::NONE);
        }
        assert_eq!(
            press(&mut d, KeyCode::Enter, KeyModifiers::NONE),
            Outcome::Done(colours(["#111111", "#ff00aa", "#333333", "#444444"]))
        );
    }

    #[test]
    fn a_bad_colour_is_pointed_at_and_reset_restores_the_variant() {
        let variant = colours(["#111111", "#222222", "#333333", "#444444"]);
        let custom = colours(["#111111", "#222222", "#333333", "nope"]);
        let mut d = PaletteDialog::new(&custom, &variant);
        assert_eq!(
            press(&mut d, KeyCode::Enter, KeyModifiers::NONE),
            Outcome::Stay
        );
        assert_eq!(d.field, 3);
        assert!(d.error.as_deref().unwrap().starts_with("glow"));
        press(&mut d, KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(
            press(&mut d, KeyCode::Enter, KeyModifiers::NONE),
            Outcome::Done(variant)
        );
    }
}
