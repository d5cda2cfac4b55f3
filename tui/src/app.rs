//! The TUI's state and its [`App::update`]: every key, mouse event and daemon reply goes through
//! it, and what must happen outside (an export, a cleanup) comes back as an [`Effect`].

use crate::action::{Action, Intent, intent, is_interrupt, random_seed};
use crate::dialog::cleanup::CleanupDialog;
use crate::dialog::export::{ExportDialog, ExportRequest, MAX_SIZE, MIN_SIZE};
use crate::dialog::palette::PaletteDialog;
use crate::dialog::seed::SeedDialog;
use crate::dialog::{Dialog, Outcome};
use crate::graphics::{Graphics, Mode};
use crate::preview::Preview;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use luna_ipc::{CleanupArgs, Format, GenerateArgs, PaletteArg};
use std::path::PathBuf;

/// One moon variant, as the daemon lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub key: String,
    pub name: String,
    /// Primary, secondary, accent and glow, as `#rrggbb`.
    pub colors: [String; 4],
    pub speed: f64,
    pub glow: f64,
}

/// One drawing style.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Variants,
    Styles,
    Options,
}

impl Pane {
    fn next(self) -> Pane {
        match self {
            Pane::Variants => Pane::Styles,
            Pane::Styles => Pane::Options,
            Pane::Options => Pane::Variants,
        }
    }

    fn prev(self) -> Pane {
        match self {
            Pane::Variants => Pane::Options,
            Pane::Styles => Pane::Variants,
            Pane::Options => Pane::Styles,
        }
    }
}

/// The rows of the options pane.
pub const OPTIONS: [&str; 3] = ["size", "seed", "animated"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Daemon {
    Connecting,
    Connected,
    Unavailable,
}

/// What the preview shows; a new preview is fetched when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewKey {
    pub style: String,
    pub variant: String,
    pub seed: u64,
    pub palette: Option<[String; 4]>,
    /// Pixels (square).
    pub pixels: u32,
    /// The preview area in cells, for protocol images.
    pub cells: (u16, u16),
}

impl PreviewKey {
    /// The request for this preview: a static PNG.
    pub fn args(&self) -> GenerateArgs {
        let mut args = GenerateArgs::new(
            &self.style,
            &self.variant,
            i64::from(self.pixels),
            Format::Png,
        );
        args.animated = false;
        args.seed = Some(self.seed);
        args.palette = self.palette.clone().map(|p| PaletteArg::List(p.to_vec()));
        args
    }
}

/// Work for the outside world, asked for by [`App::update`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Generate `args` and write the bytes to `request.path`.
    Export {
        args: GenerateArgs,
        request: ExportRequest,
    },
    /// Run a cleanup (a dry run reports back as [`Action::CleanupChecked`]).
    Cleanup(CleanupArgs),
}

#[derive(Debug, Clone)]
pub struct App {
    pub variants: Vec<Variant>,
    pub styles: Vec<Style>,
    pub variant: usize,
    pub style: usize,
    pub option: usize,
    pub focus: Pane,
    pub size: u32,
    pub seed: u64,
    pub animated: bool,
    /// A palette edited with `p`, replacing the variant's until another variant is chosen.
    pub palette: Option<[String; 4]>,
    pub status: String,
    /// The latest `generated` event, described.
    pub last_generated: Option<String>,
    pub total_generated: u64,
    pub cache_hits: u64,
    pub algorithm: Option<u32>,
    pub daemon: Daemon,
    pub help: bool,
    pub dialog: Option<Dialog>,
    pub quit: bool,
    /// Terminal size in cells.
    pub width: u16,
    pub height: u16,
    pub preview: Option<Preview>,
    pub graphics: Graphics,
    /// Where relative export paths start, and what `~` means.
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
}

impl Default for App {
    fn default() -> App {
        App {
            variants: Vec::new(),
            styles: Vec::new(),
            variant: 0,
            style: 0,
            option: 0,
            focus: Pane::Variants,
            size: 256,
            seed: 42,
            animated: true,
            palette: None,
            status: String::new(),
            last_generated: None,
            total_generated: 0,
            cache_hits: 0,
            algorithm: None,
            daemon: Daemon::Connecting,
            help: false,
            dialog: None,
            quit: false,
            width: 80,
            height: 24,
            preview: None,
            graphics: Graphics::cells(Mode::TrueColor),
            cwd: PathBuf::from("."),
            home: None,
        }
    }
}

fn wrap(index: usize, len: usize, forward: bool) -> usize {
    match (len, forward) {
        (0, _) => 0,
        (_, true) => (index + 1) % len,
        (_, false) => (index + len - 1) % len,
    }
}

impl App {
    pub fn current_variant(&self) -> Option<&Variant> {
        self.variants.get(self.variant)
    }

    pub fn current_style(&self) -> Option<&Style> {
        self.styles.get(self.style)
    }

    /// The colours the logo is drawn with: the edited palette, else the variant's.
    pub fn colours(&self) -> Option<&[String; 4]> {
        self.palette
            .as_ref()
            .or_else(|| Some(&self.current_variant()?.colors))
    }

    fn step(&mut self, forward: bool) {
        match self.focus {
            Pane::Variants => self.select_variant(wrap(self.variant, self.variants.len(), forward)),
            Pane::Styles => self.style = wrap(self.style, self.styles.len(), forward),
            Pane::Options => self.option = wrap(self.option, OPTIONS.len(), forward),
        }
    }

    fn select_variant(&mut self, index: usize) {
        if index != self.variant {
            // An edited palette belongs to the variant it was edited on.
            self.palette = None;
        }
        self.variant = index;
    }

    /// Applies one action; returns the work it asks of the outside world, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Key(key) => return self.key(key),
            Action::Mouse(mouse) => self.mouse(mouse),
            Action::Resize(w, h) => (self.width, self.height) = (w, h),
            Action::Quit => self.quit = true,
            Action::Connected { algorithm } => {
                self.daemon = Daemon::Connected;
                self.algorithm = Some(algorithm);
                self.status = "connected to lunad".into();
            }
            Action::Disconnected => {
                self.daemon = Daemon::Unavailable;
                self.status = "lunad unavailable — reconnecting".into();
            }
            Action::Catalogue { variants, styles } => {
                self.variant = self.variant.min(variants.len().saturating_sub(1));
                self.style = self.style.min(styles.len().saturating_sub(1));
                self.variants = variants;
                self.styles = styles;
            }
            Action::Stats { total, hits } => {
                self.total_generated = total;
                self.cache_hits = hits;
            }
            Action::Preview(preview) => self.preview = Some(*preview),
            Action::Status(text) => self.status = text,
            Action::Generated(text) => self.last_generated = Some(text),
            Action::CleanupChecked {
                older_than_secs,
                result,
            } => {
                // A reply for an age the user has since moved away from is stale.
                if let Some(Dialog::Cleanup(d)) = &mut self.dialog
                    && d.older_than_secs() == older_than_secs
                {
                    d.preview = Some(result);
                }
            }
        }
        None
    }

    fn key(&mut self, key: crossterm::event::KeyEvent) -> Option<Effect> {
        if is_interrupt(&key) {
            self.quit = true;
            return None;
        }
        if self.help {
            // Any key closes the help; only the help key and Esc/q are swallowed by it.
            self.help = false;
            return None;
        }
        if let Some(dialog) = self.dialog.take() {
            return self.dialog_key(dialog, key);
        }
        match intent(&key)? {
            Intent::Quit => self.quit = true,
            Intent::Help => self.help = true,
            Intent::Down => self.step(true),
            Intent::Up => self.step(false),
            Intent::NextPane | Intent::Right => self.focus = self.focus.next(),
            Intent::PrevPane | Intent::Left => self.focus = self.focus.prev(),
            Intent::ToggleAnimated => self.animated = !self.animated,
            Intent::RandomSeed => self.seed = random_seed(),
            Intent::TypeSeed => self.dialog = Some(Dialog::Seed(SeedDialog::new(self.seed))),
            Intent::Bigger => self.size = (self.size.saturating_mul(2)).clamp(MIN_SIZE, MAX_SIZE),
            Intent::Smaller => self.size = (self.size / 2).clamp(MIN_SIZE, MAX_SIZE),
            Intent::EditPalette => {
                let variant = self.current_variant()?.colors.clone();
                let current = self.colours()?.clone();
                self.dialog = Some(Dialog::Palette(PaletteDialog::new(&current, &variant)));
            }
            Intent::Export => {
                let (style, variant) = (&self.current_style()?.key, &self.current_variant()?.key);
                self.dialog = Some(Dialog::Export(ExportDialog::new(
                    style,
                    variant,
                    self.size,
                    self.cwd.clone(),
                    self.home.clone(),
                )));
            }
            Intent::Cleanup => {
                let dialog = CleanupDialog::default();
                let dry_run = dialog.args(true);
                self.dialog = Some(Dialog::Cleanup(dialog));
                return Some(Effect::Cleanup(dry_run));
            }
        }
        None
    }

    /// Gives `key` to the open `dialog`, taken out of `self` and put back unless it closed.
    fn dialog_key(&mut self, dialog: Dialog, key: crossterm::event::KeyEvent) -> Option<Effect> {
        let mut effect = None;
        let open = match dialog {
            Dialog::Seed(mut d) => match d.key(key) {
                Outcome::Done(seed) => {
                    self.seed = seed;
                    None
                }
                Outcome::Close => None,
                Outcome::Stay => Some(Dialog::Seed(d)),
            },
            Dialog::Palette(mut d) => match d.key(key) {
                Outcome::Done(colours) => {
                    let variant = self.current_variant().map(|v| &v.colors);
                    self.palette = (variant != Some(&colours)).then_some(colours);
                    None
                }
                Outcome::Close => None,
                Outcome::Stay => Some(Dialog::Palette(d)),
            },
            Dialog::Export(mut d) => match d.key(key) {
                Outcome::Done(request) => {
                    effect = self.export(request);
                    None
                }
                Outcome::Close => None,
                Outcome::Stay => Some(Dialog::Export(d)),
            },
            Dialog::Cleanup(mut d) => {
                let age = d.age;
                match d.key(key) {
                    Outcome::Done(args) => {
                        effect = Some(Effect::Cleanup(args));
                        self.status = "cleaning up…".into();
                        None
                    }
                    Outcome::Close => None,
                    Outcome::Stay => {
                        if d.age != age {
                            effect = Some(Effect::Cleanup(d.args(true)));
                        }
                        Some(Dialog::Cleanup(d))
                    }
                }
            }
        };
        self.dialog = open;
        effect
    }

    fn export(&mut self, request: ExportRequest) -> Option<Effect> {
        let mut args = GenerateArgs::new(
            &self.current_style()?.key,
            &self.current_variant()?.key,
            i64::from(request.size),
            request.format,
        );
        args.animated = self.animated;
        args.seed = Some(self.seed);
        args.palette = self.palette.clone().map(|p| PaletteArg::List(p.to_vec()));
        self.status = format!("exporting {}…", request.shown);
        Some(Effect::Export { args, request })
    }

    fn mouse(&mut self, mouse: MouseEvent) {
        if self.help || self.dialog.is_some() {
            return;
        }
        let Some(hit) = crate::ui::hit(self, mouse.column, mouse.row) else {
            return;
        };
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                self.focus = hit.pane;
                self.step(mouse.kind == MouseEventKind::ScrollDown);
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = hit.pane;
                match (hit.pane, hit.row) {
                    (Pane::Variants, Some(row)) if row < self.variants.len() => {
                        self.select_variant(row);
                    }
                    (Pane::Styles, Some(row)) if row < self.styles.len() => self.style = row,
                    (Pane::Options, Some(row)) if row < OPTIONS.len() => self.option = row,
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// What the preview should show for a preview area of `cells` and `pixels` px.
    pub fn preview_key(&self, pixels: u32, cells: (u16, u16)) -> Option<PreviewKey> {
        Some(PreviewKey {
            style: self.current_style()?.key.clone(),
            variant: self.current_variant()?.key.clone(),
            seed: self.seed,
            palette: self.palette.clone(),
            pixels,
            cells,
        })
    }
}

/// A catalogue like the daemon's, for tests and benchmarks.
pub fn sample() -> App {
    let variant = |key: &str, name: &str, c: [&str; 4], speed: f64, glow: f64| Variant {
        key: key.into(),
        name: name.into(),
        colors: c.map(String::from),
        speed,
        glow,
    };
    let style = |key: &str, name: &str| Style {
        key: key.into(),
        name: name.into(),
    };
    App {
        variants: vec![
            variant(
                "serenity",
                "Sérénité",
                ["#1e3a8a", "#3b82f6", "#06b6d4", "#60a5fa"],
                1.0,
                0.7,
            ),
            variant(
                "power",
                "Puissance",
                ["#1e40af", "#7c3aed", "#ec4899", "#a855f7"],
                1.5,
                0.9,
            ),
            variant(
                "mystery",
                "Mystère",
                ["#312e81", "#4c1d95", "#7c2d12", "#581c87"],
                0.8,
                0.6,
            ),
        ],
        styles: vec![style("simple", "Simple"), style("ultra_max", "Ultra Max")],
        daemon: Daemon::Connected,
        algorithm: Some(1),
        total_generated: 17,
        cache_hits: 4,
        status: "connected to lunad".into(),
        last_generated: Some("simple serenity 56 px png".into()),
        ..App::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
        app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typing(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    fn click(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
        app.update(Action::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
    }

    #[test]
    fn selection_moves_and_wraps() {
        let mut app = sample();
        press(&mut app, KeyCode::Char('j'));
        assert_eq!(app.variant, 1);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_eq!(app.variant, 0);
        press(&mut app, KeyCode::Char('k'));
        assert_eq!(app.variant, 2);
        assert_eq!(app.style, 0);
    }

    #[test]
    fn tab_cycles_panes_and_moves_the_focused_selection() {
        let mut app = sample();
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.focus, Pane::Styles);
        press(&mut app, KeyCode::Down);
        assert_eq!((app.variant, app.style), (0, 1));
        press(&mut app, KeyCode::Down);
        assert_eq!(app.style, 0);
        press(&mut app, KeyCode::Char('l'));
        assert_eq!(app.focus, Pane::Options);
        press(&mut app, KeyCode::Up);
        assert_eq!(app.option, 2);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.focus, Pane::Variants);
        press(&mut app, KeyCode::BackTab);
        assert_eq!(app.focus, Pane::Options);
    }

    #[test]
    fn size_stays_within_bounds() {
        let mut app = sample();
        for _ in 0..20 {
            press(&mut app, KeyCode::Char('+'));
        }
        assert_eq!(app.size, MAX_SIZE);
        for _ in 0..20 {
            press(&mut app, KeyCode::Char('-'));
        }
        assert_eq!(app.size, MIN_SIZE);
        press(&mut app, KeyCode::Char('+'));
        assert_eq!(app.size, 32);
    }

    #[test]
    fn seeds_random_and_typed() {
        let mut app = sample();
        press(&mut app, KeyCode::Char('s'));
        let random = app.seed;
        assert_ne!(random, 42, "s draws a new seed");
        press(&mut app, KeyCode::Char('S'));
        assert!(matches!(app.dialog, Some(Dialog::Seed(_))));
        typing(&mut app, "1234");
        press(&mut app, KeyCode::Enter);
        assert_eq!((app.seed, app.dialog.is_none()), (1234, true));
        press(&mut app, KeyCode::Char('S'));
        typing(&mut app, "9");
        press(&mut app, KeyCode::Esc);
        assert_eq!(
            (app.seed, app.dialog.is_none()),
            (1234, true),
            "Esc keeps it"
        );
    }

    #[test]
    fn help_animation_and_quit() {
        let mut app = sample();
        press(&mut app, KeyCode::Char('a'));
        assert!(!app.animated);
        press(&mut app, KeyCode::Char('?'));
        assert!(app.help);
        press(&mut app, KeyCode::Char('q'));
        assert!(!app.help && !app.quit, "q first closes the help");
        press(&mut app, KeyCode::Esc);
        assert!(app.quit);
        let mut app = sample();
        press(&mut app, KeyCode::Char('S'));
        app.update(Action::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
        assert!(app.quit, "Ctrl-C quits even from a dialog");
    }

    #[test]
    fn export_dialog_asks_for_an_export_with_the_current_options() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App {
            cwd: dir.path().to_path_buf(),
            ..sample()
        };
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Char('a'));
        assert_eq!(
            press(&mut app, KeyCode::Enter),
            None,
            "Enter opens the dialog"
        );
        let Some(Dialog::Export(d)) = &app.dialog else {
            panic!("export dialog");
        };
        assert_eq!(d.path.text(), "arkalia-luna-power-256.svg");
        press(&mut app, KeyCode::Right);
        let Some(Effect::Export { args, request }) = press(&mut app, KeyCode::Enter) else {
            panic!("Enter in the dialog exports");
        };
        assert!(app.dialog.is_none());
        assert_eq!((args.variant.as_str(), args.format), ("power", Format::Png));
        assert_eq!(
            (args.size, args.animated, args.seed),
            (256, false, Some(42))
        );
        assert_eq!(request.path, dir.path().join("arkalia-luna-power-256.png"));
    }

    #[test]
    fn palette_edits_apply_to_previews_and_exports_until_the_variant_changes() {
        let mut app = sample();
        press(&mut app, KeyCode::Char('p'));
        app.update(Action::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        )));
        typing(&mut app, "#fff");
        press(&mut app, KeyCode::Enter);
        let colours = app.palette.clone().expect("custom palette");
        assert_eq!(colours[0], "#ffffff");
        let key = app.preview_key(64, (32, 16)).unwrap();
        assert_eq!(key.args().palette, Some(PaletteArg::List(colours.to_vec())));
        press(&mut app, KeyCode::Char('j'));
        assert_eq!(app.palette, None, "another variant, its own colours");
    }

    #[test]
    fn cleanup_dry_runs_first_and_deletes_only_after_confirmation() {
        let mut app = sample();
        let Some(Effect::Cleanup(dry)) = press(&mut app, KeyCode::Char('c')) else {
            panic!("c asks for a dry run");
        };
        assert!(dry.dry_run);
        assert_eq!(
            press(&mut app, KeyCode::Enter),
            None,
            "nothing to confirm yet"
        );
        let Some(Effect::Cleanup(other_age)) = press(&mut app, KeyCode::Right) else {
            panic!("a new age, a new dry run");
        };
        assert!(other_age.dry_run && other_age.older_than_secs != dry.older_than_secs);
        let result = luna_ipc::CleanupResult {
            removed: 2,
            freed_bytes: 100,
            remaining: 1,
            dry_run: true,
            files: vec![],
        };
        app.update(Action::CleanupChecked {
            older_than_secs: dry.older_than_secs,
            result: Ok(result.clone()),
        });
        assert_eq!(
            press(&mut app, KeyCode::Enter),
            None,
            "a stale dry run is ignored"
        );
        app.update(Action::CleanupChecked {
            older_than_secs: other_age.older_than_secs,
            result: Ok(result),
        });
        let Some(Effect::Cleanup(real)) = press(&mut app, KeyCode::Char('y')) else {
            panic!("y confirms");
        };
        assert!(!real.dry_run && real.confirm);
        assert!(app.dialog.is_none());
    }

    #[test]
    fn mouse_clicks_select_and_the_wheel_scrolls() {
        let mut app = App {
            width: 80,
            height: 24,
            ..sample()
        };
        // Variants list: border on row 0, first item on row 1.
        click(&mut app, MouseEventKind::Down(MouseButton::Left), 5, 3);
        assert_eq!((app.focus, app.variant), (Pane::Variants, 2));
        click(&mut app, MouseEventKind::ScrollDown, 5, 2);
        assert_eq!(app.variant, 0, "the wheel wraps like the arrows");
        let styles = crate::ui::pane_area(&app, Pane::Styles).y;
        click(
            &mut app,
            MouseEventKind::Down(MouseButton::Left),
            5,
            styles + 2,
        );
        assert_eq!((app.focus, app.style), (Pane::Styles, 1));
        click(&mut app, MouseEventKind::Down(MouseButton::Left), 70, 10);
        assert_eq!(app.focus, Pane::Styles, "the preview is not a pane");
    }

    #[test]
    fn daemon_state_follows_the_connection() {
        let mut app = sample();
        app.update(Action::Disconnected);
        assert_eq!(app.daemon, Daemon::Unavailable);
        app.update(Action::Connected { algorithm: 2 });
        assert_eq!((app.daemon, app.algorithm), (Daemon::Connected, Some(2)));
        app.update(Action::Stats { total: 9, hits: 3 });
        assert_eq!((app.total_generated, app.cache_hits), (9, 3));
    }
}
