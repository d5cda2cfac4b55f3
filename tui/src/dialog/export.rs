//! Enter / `e`: export the current logo as SVG, PNG, ICO or WebP, at a size, to a path (Tab
//! completes).

use super::input::Input;
use super::path::{complete, resolve};
use super::{Outcome, is_cancel, is_control, move_field};
use crossterm::event::{KeyCode, KeyEvent};
use luna_ipc::Format;
use luna_ipc::export::default_file_name;
use std::path::{Path, PathBuf};

/// An ICO holds 16, 32 and 48 px images; it is named after the largest.
const ICO_SIZE: u32 = 48;
pub const MIN_SIZE: u32 = 16;
pub const MAX_SIZE: u32 = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Format,
    Size,
    Path,
}

const FIELDS: [Field; 3] = [Field::Format, Field::Size, Field::Path];

/// What to export, once the dialog is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub format: Format,
    pub size: u32,
    /// Where to write, resolved (`~` expanded, relative to the working directory).
    pub path: PathBuf,
    /// The path as typed, for messages.
    pub shown: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    field: usize,
    pub format: Format,
    pub size: Input,
    pub path: Input,
    /// Names matching the path after an ambiguous Tab.
    pub candidates: Vec<String>,
    pub error: Option<String>,
    /// The file exists and Enter was pressed once: the next Enter overwrites it.
    overwrite_armed: bool,
    style: String,
    variant: String,
    cwd: PathBuf,
    home: Option<PathBuf>,
}

impl ExportDialog {
    pub fn new(style: &str, variant: &str, size: u32, cwd: PathBuf, home: Option<PathBuf>) -> Self {
        let mut dialog = ExportDialog {
            field: 0,
            format: Format::Svg,
            size: Input::new(&size.to_string()),
            path: Input::default(),
            candidates: Vec::new(),
            error: None,
            overwrite_armed: false,
            style: style.to_owned(),
            variant: variant.to_owned(),
            cwd,
            home,
        };
        dialog.path.set(&dialog.default_name());
        dialog
    }

    pub fn field(&self) -> Field {
        FIELDS[self.field]
    }

    fn size_value(&self) -> Option<u32> {
        if self.format == Format::Ico {
            return Some(ICO_SIZE);
        }
        self.size
            .text()
            .parse()
            .ok()
            .filter(|s| (MIN_SIZE..=MAX_SIZE).contains(s))
    }

    fn default_name(&self) -> String {
        let size = self.size_value().unwrap_or(ICO_SIZE);
        default_file_name(&self.style, &self.variant, size, self.format)
    }

    /// Runs `change`, and keeps the path in step when it was still the default name.
    fn changing_name(&mut self, change: impl FnOnce(&mut Self)) {
        let was_default = self.path.text() == self.default_name();
        change(self);
        if was_default {
            let name = self.default_name();
            self.path.set(&name);
        }
    }

    fn key_format(&mut self, key: KeyEvent) {
        let step = match key.code {
            KeyCode::Left | KeyCode::Char('h') => Format::ALL.len() - 1,
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => 1,
            _ => return,
        };
        self.changing_name(|d| {
            let at = Format::ALL.iter().position(|f| *f == d.format).unwrap_or(0);
            d.format = Format::ALL[(at + step) % Format::ALL.len()];
        });
    }

    fn key_size(&mut self, key: KeyEvent) {
        if self.format == Format::Ico {
            return;
        }
        let size = self.size_value();
        self.changing_name(|d| match (key.code, size) {
            (KeyCode::Left, Some(s)) => d.size.set(&(s / 2).max(MIN_SIZE).to_string()),
            (KeyCode::Right, Some(s)) => d.size.set(&(s * 2).min(MAX_SIZE).to_string()),
            (KeyCode::Char(c), _) if !c.is_ascii_digit() && !is_control(&key) => {}
            _ => {
                d.size.key(key);
            }
        });
    }

    fn key_path(&mut self, key: KeyEvent) {
        if key.code == KeyCode::Tab {
            let done = complete(self.path.text(), &self.cwd, self.home.as_deref());
            self.path.set(&done.text);
            self.candidates = done.candidates;
        } else if self.path.key(key) {
            self.candidates.clear();
        }
    }

    fn submit(&mut self) -> Outcome<ExportRequest> {
        let Some(size) = self.size_value() else {
            self.field = 1;
            self.error = Some(format!("size must be {MIN_SIZE} to {MAX_SIZE} px"));
            return Outcome::Stay;
        };
        let shown = self.path.text().trim().to_owned();
        if shown.is_empty() || shown.ends_with('/') {
            self.field = 2;
            self.error = Some("type a file name".into());
            return Outcome::Stay;
        }
        let path = resolve(&shown, &self.cwd, self.home.as_deref());
        let parent = path.parent().unwrap_or(Path::new("/"));
        if !parent.is_dir() {
            self.field = 2;
            self.error = Some(format!("no such directory: {}", parent.display()));
            return Outcome::Stay;
        }
        if path.is_dir() {
            self.field = 2;
            self.error = Some(format!("{shown} is a directory"));
            return Outcome::Stay;
        }
        if path.exists() && !self.overwrite_armed {
            self.overwrite_armed = true;
            self.error = Some(format!("{shown} exists: Enter again to overwrite"));
            return Outcome::Stay;
        }
        Outcome::Done(ExportRequest {
            format: self.format,
            size,
            path,
            shown,
        })
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome<ExportRequest> {
        if is_cancel(&key) {
            return Outcome::Close;
        }
        if key.code == KeyCode::Enter {
            return self.submit();
        }
        // Any other key changes the request: ask again before overwriting.
        self.overwrite_armed = false;
        self.error = None;
        let tab_is_taken = self.field() == Field::Path;
        if move_field(&mut self.field, FIELDS.len(), &key, tab_is_taken) {
            self.candidates.clear();
            return Outcome::Stay;
        }
        match self.field() {
            Field::Format => self.key_format(key),
            Field::Size => self.key_size(key),
            Field::Path => self.key_path(key),
        }
        Outcome::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn dialog(cwd: &Path) -> ExportDialog {
        ExportDialog::new("ultra_max", "power", 256, cwd.to_path_buf(), None)
    }

    fn press(d: &mut ExportDialog, code: KeyCode) -> Outcome<ExportRequest> {
        d.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typing(d: &mut ExportDialog, text: &str) {
        for c in text.chars() {
            press(d, KeyCode::Char(c));
        }
    }

    #[test]
    fn the_default_path_follows_format_and_size() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = dialog(dir.path());
        assert_eq!(d.path.text(), "arkalia-luna-ultra-max-power-256.svg");
        press(&mut d, KeyCode::Right);
        assert_eq!(d.format, Format::Png);
        press(&mut d, KeyCode::Down);
        press(&mut d, KeyCode::Right);
        assert_eq!(d.path.text(), "arkalia-luna-ultra-max-power-512.png");
        press(&mut d, KeyCode::Up);
        press(&mut d, KeyCode::Right);
        assert_eq!(d.format, Format::Ico);
        assert_eq!(d.path.text(), "arkalia-luna-ultra-max-power-48.ico");
        let Outcome::Done(request) = press(&mut d, KeyCode::Enter) else {
            panic!("a fresh name exports at once");
        };
        assert_eq!((request.format, request.size), (Format::Ico, 48));
        assert_eq!(
            request.path,
            dir.path().join("arkalia-luna-ultra-max-power-48.ico")
        );
    }

    #[test]
    fn webp_exports_at_the_chosen_size() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = dialog(dir.path());
        // SVG → PNG → ICO → WebP, and Left wraps back to it from SVG.
        press(&mut d, KeyCode::Left);
        assert_eq!(d.format, Format::Webp);
        assert_eq!(d.path.text(), "arkalia-luna-ultra-max-power-256.webp");
        let Outcome::Done(request) = press(&mut d, KeyCode::Enter) else {
            panic!("a fresh name exports at once");
        };
        assert_eq!((request.format, request.size), (Format::Webp, 256));
        assert_eq!(
            request.path,
            dir.path().join("arkalia-luna-ultra-max-power-256.webp")
        );
    }

    #[test]
    fn a_typed_path_is_kept_and_tab_completes_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("brand")).unwrap();
        let mut d = dialog(dir.path());
        press(&mut d, KeyCode::Tab);
        press(&mut d, KeyCode::Tab);
        assert_eq!(d.field(), Field::Path);
        d.path.set("br");
        press(&mut d, KeyCode::Tab);
        assert_eq!(d.path.text(), "brand/", "Tab in the path completes");
        assert_eq!(d.field(), Field::Path, "…and does not leave the field");
        typing(&mut d, "moon.png");
        press(&mut d, KeyCode::Up);
        press(&mut d, KeyCode::Up);
        press(&mut d, KeyCode::Right);
        assert_eq!(
            d.path.text(),
            "brand/moon.png",
            "a typed path is not renamed"
        );
        let Outcome::Done(request) = press(&mut d, KeyCode::Enter) else {
            panic!("exports");
        };
        assert_eq!(request.path, dir.path().join("brand/moon.png"));
        assert_eq!(request.format, Format::Png);
    }

    #[test]
    fn bad_sizes_missing_directories_and_overwrites_are_caught() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = dialog(dir.path());
        press(&mut d, KeyCode::Down);
        press(&mut d, KeyCode::Char('u'));
        d.size.set("9");
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        assert!(d.error.as_deref().unwrap().starts_with("size must be"));
        d.size.set("64");
        d.path.set("missing/logo.svg");
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        assert!(d.error.as_deref().unwrap().starts_with("no such directory"));
        std::fs::write(dir.path().join("logo.svg"), "old").unwrap();
        d.path.set("logo.svg");
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        assert!(
            d.error
                .as_deref()
                .unwrap()
                .contains("Enter again to overwrite")
        );
        assert!(matches!(press(&mut d, KeyCode::Enter), Outcome::Done(_)));
        assert_eq!(press(&mut d, KeyCode::Esc), Outcome::Close);
    }
}
