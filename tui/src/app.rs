//! The TUI's state and its pure [`App::update`].

use crate::action::Action;
use crate::preview::Image;

/// Export sizes: 16 to 2048 pixels, the daemon's bounds.
pub const MIN_SIZE: u32 = 16;
pub const MAX_SIZE: u32 = 2048;

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
    /// Pixels (square).
    pub pixels: u32,
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
    pub status: String,
    /// The latest `generated` event, described.
    pub last_generated: Option<String>,
    pub total_generated: u64,
    pub cache_hits: u64,
    pub algorithm: Option<u32>,
    pub daemon: Daemon,
    pub help: bool,
    pub quit: bool,
    /// Terminal size in cells.
    pub width: u16,
    pub height: u16,
    pub preview: Option<(PreviewKey, Image)>,
    /// `NO_COLOR`: draw the preview with a density ramp.
    pub mono: bool,
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
            status: String::new(),
            last_generated: None,
            total_generated: 0,
            cache_hits: 0,
            algorithm: None,
            daemon: Daemon::Connecting,
            help: false,
            quit: false,
            width: 80,
            height: 24,
            preview: None,
            mono: false,
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

    /// The default export name, like `luna generate`'s.
    pub fn export_name(&self) -> Option<String> {
        let variant = &self.current_variant()?.key;
        let style = &self.current_style()?.key;
        let size = self.size;
        Some(if style == "simple" {
            format!("arkalia-luna-{variant}-{size}.svg")
        } else {
            let style = style.replace('_', "-");
            format!("arkalia-luna-{style}-{variant}-{size}.svg")
        })
    }

    fn step(&mut self, forward: bool) {
        match self.focus {
            Pane::Variants => self.variant = wrap(self.variant, self.variants.len(), forward),
            Pane::Styles => self.style = wrap(self.style, self.styles.len(), forward),
            Pane::Options => self.option = wrap(self.option, OPTIONS.len(), forward),
        }
    }

    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => {
                if self.help {
                    self.help = false;
                } else {
                    self.quit = true;
                }
            }
            Action::Help => self.help = !self.help,
            Action::Down => self.step(true),
            Action::Up => self.step(false),
            Action::NextPane | Action::Right => self.focus = self.focus.next(),
            Action::PrevPane | Action::Left => self.focus = self.focus.prev(),
            Action::ToggleAnimated => self.animated = !self.animated,
            Action::NewSeed(seed) => self.seed = seed,
            Action::Bigger => self.size = (self.size.saturating_mul(2)).clamp(MIN_SIZE, MAX_SIZE),
            Action::Smaller => self.size = (self.size / 2).clamp(MIN_SIZE, MAX_SIZE),
            Action::Export => self.status = "exporting…".into(),
            Action::Resize(w, h) => (self.width, self.height) = (w, h),
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
            Action::Preview(key, image) => self.preview = Some((key, image)),
            Action::Status(text) => self.status = text,
            Action::Generated(text) => self.last_generated = Some(text),
        }
    }

    /// What the preview should show for a preview of `pixels` px.
    pub fn preview_key(&self, pixels: u32) -> Option<PreviewKey> {
        Some(PreviewKey {
            style: self.current_style()?.key.clone(),
            variant: self.current_variant()?.key.clone(),
            seed: self.seed,
            pixels,
        })
    }
}

#[cfg(test)]
pub(crate) fn fake() -> App {
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
                8.0,
                0.6,
            ),
            variant(
                "power",
                "Puissance",
                ["#7c2d12", "#ea580c", "#fbbf24", "#f97316"],
                4.0,
                0.9,
            ),
            variant(
                "mystery",
                "Mystère",
                ["#4c1d95", "#7c3aed", "#c084fc", "#a855f7"],
                10.0,
                0.7,
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

    #[test]
    fn selection_moves_and_wraps() {
        let mut app = fake();
        app.update(Action::Down);
        assert_eq!(app.variant, 1);
        app.update(Action::Down);
        app.update(Action::Down);
        assert_eq!(app.variant, 0);
        app.update(Action::Up);
        assert_eq!(app.variant, 2);
        assert_eq!(app.style, 0);
    }

    #[test]
    fn tab_cycles_panes_and_moves_the_focused_selection() {
        let mut app = fake();
        app.update(Action::NextPane);
        assert_eq!(app.focus, Pane::Styles);
        app.update(Action::Down);
        assert_eq!((app.variant, app.style), (0, 1));
        app.update(Action::Down);
        assert_eq!(app.style, 0);
        app.update(Action::NextPane);
        assert_eq!(app.focus, Pane::Options);
        app.update(Action::Up);
        assert_eq!(app.option, 2);
        app.update(Action::NextPane);
        assert_eq!(app.focus, Pane::Variants);
        app.update(Action::PrevPane);
        assert_eq!(app.focus, Pane::Options);
    }

    #[test]
    fn size_stays_within_bounds() {
        let mut app = fake();
        for _ in 0..20 {
            app.update(Action::Bigger);
        }
        assert_eq!(app.size, MAX_SIZE);
        for _ in 0..20 {
            app.update(Action::Smaller);
        }
        assert_eq!(app.size, MIN_SIZE);
        app.update(Action::Bigger);
        assert_eq!(app.size, 32);
    }

    #[test]
    fn seed_animation_help_and_quit() {
        let mut app = fake();
        app.update(Action::NewSeed(7));
        assert_eq!(app.seed, 7);
        app.update(Action::ToggleAnimated);
        assert!(!app.animated);
        app.update(Action::Help);
        assert!(app.help);
        app.update(Action::Quit);
        assert!(!app.help && !app.quit, "Esc/q first closes the help");
        app.update(Action::Quit);
        assert!(app.quit);
    }

    #[test]
    fn export_names_match_the_cli() {
        let mut app = fake();
        assert_eq!(app.export_name().unwrap(), "arkalia-luna-serenity-256.svg");
        app.style = 1;
        app.variant = 1;
        assert_eq!(
            app.export_name().unwrap(),
            "arkalia-luna-ultra-max-power-256.svg"
        );
    }

    #[test]
    fn daemon_state_follows_the_connection() {
        let mut app = fake();
        app.update(Action::Disconnected);
        assert_eq!(app.daemon, Daemon::Unavailable);
        app.update(Action::Connected { algorithm: 2 });
        assert_eq!((app.daemon, app.algorithm), (Daemon::Connected, Some(2)));
        app.update(Action::Stats { total: 9, hits: 3 });
        assert_eq!((app.total_generated, app.cache_hits), (9, 3));
    }
}
