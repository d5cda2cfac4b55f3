//! The TUI's state and its [`App::update`]: every key, mouse event and daemon reply goes through
//! it, and what must happen outside (an export, a cleanup) comes back as an [`Effect`].

pub mod layout;

pub use crate::catalogue::{Style, Variant};

use crate::action::{Action, Intent, intent, is_interrupt, random_seed};
use crate::dialog::cleanup::CleanupDialog;
use crate::dialog::export::{ExportDialog, ExportRequest, MAX_SIZE, MIN_SIZE};
use crate::dialog::palette::PaletteDialog;
use crate::dialog::seed::SeedDialog;
use crate::dialog::{Dialog, Outcome};
use crate::graphics::{Graphics, Mode};
use crate::preview::{Preview, PreviewKey, palette_arg};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use luna_ipc::{CleanupArgs, GenerateArgs};
use std::path::PathBuf;

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
    /// The fleet's shared store is unreachable: shown in the status bar.
    pub store_degraded: bool,
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
            store_degraded: false,
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
            Action::Stats {
                total,
                hits,
                store_degraded,
            } => {
                self.total_generated = total;
                self.cache_hits = hits;
                self.store_degraded = store_degraded;
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
            // Any key closes the help, and does nothing else.
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
        args.palette = palette_arg(&self.palette);
        self.status = format!("exporting {}…", request.shown);
        Some(Effect::Export { args, request })
    }

    fn mouse(&mut self, mouse: MouseEvent) {
        if self.help || self.dialog.is_some() {
            return;
        }
        let Some(hit) = layout::hit(self, mouse.column, mouse.row) else {
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

/// A catalogue like the daemon's, for the tests.
#[cfg(test)]
pub(crate) fn sample() -> App {
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
mod tests;
