//! `c`: delete the daemon's stored files, after showing what would go (a dry run) and asking.

use super::{Outcome, is_cancel};
use crossterm::event::{KeyCode, KeyEvent};
use luna_ipc::{CleanupArgs, CleanupResult};

/// The ages offered, youngest last: (label, seconds).
pub const AGES: [(&str, Option<u64>); 5] = [
    ("every stored file", None),
    ("older than 1 hour", Some(3_600)),
    ("older than 1 day", Some(86_400)),
    ("older than 7 days", Some(604_800)),
    ("older than 30 days", Some(2_592_000)),
];

#[derive(Debug, Clone, PartialEq)]
pub struct CleanupDialog {
    /// Index into [`AGES`].
    pub age: usize,
    /// The dry run for the current age: `None` while it is on its way.
    pub preview: Option<Result<CleanupResult, String>>,
}

impl Default for CleanupDialog {
    fn default() -> CleanupDialog {
        // A day, like the original's default retention.
        CleanupDialog {
            age: 2,
            preview: None,
        }
    }
}

impl CleanupDialog {
    pub fn older_than_secs(&self) -> Option<u64> {
        AGES[self.age].1
    }

    /// The request for the current age.
    pub fn args(&self, dry_run: bool) -> CleanupArgs {
        CleanupArgs {
            confirm: true,
            older_than_secs: self.older_than_secs(),
            max_total_bytes: None,
            dry_run,
        }
    }

    /// ←/→ change the age (the app then asks for a new dry run); Enter or `y` confirms.
    pub fn key(&mut self, key: KeyEvent) -> Outcome<CleanupArgs> {
        if is_cancel(&key) || key.code == KeyCode::Char('n') {
            return Outcome::Close;
        }
        match key.code {
            KeyCode::Left | KeyCode::Char('h') | KeyCode::Up | KeyCode::Char('k') => {
                self.age = (self.age + AGES.len() - 1) % AGES.len();
                self.preview = None;
            }
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Down | KeyCode::Char('j') => {
                self.age = (self.age + 1) % AGES.len();
                self.preview = None;
            }
            // Nothing to confirm until the dry run says what would go.
            KeyCode::Enter | KeyCode::Char('y') if matches!(self.preview, Some(Ok(_))) => {
                return Outcome::Done(self.args(false));
            }
            _ => {}
        }
        Outcome::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(d: &mut CleanupDialog, code: KeyCode) -> Outcome<CleanupArgs> {
        d.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn checked(d: &mut CleanupDialog) {
        d.preview = Some(Ok(CleanupResult {
            removed: 2,
            freed_bytes: 10,
            remaining: 0,
            dry_run: true,
            files: vec![],
        }));
    }

    #[test]
    fn confirming_needs_the_dry_run_first() {
        let mut d = CleanupDialog::default();
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        checked(&mut d);
        let Outcome::Done(args) = press(&mut d, KeyCode::Char('y')) else {
            panic!("y confirms once the dry run is in");
        };
        assert!(args.confirm && !args.dry_run);
        assert_eq!(args.older_than_secs, Some(86_400));
    }

    #[test]
    fn changing_the_age_forgets_the_old_dry_run() {
        let mut d = CleanupDialog::default();
        checked(&mut d);
        press(&mut d, KeyCode::Left);
        assert_eq!((d.older_than_secs(), &d.preview), (Some(3_600), &None));
        assert_eq!(press(&mut d, KeyCode::Enter), Outcome::Stay);
        press(&mut d, KeyCode::Left);
        assert_eq!(d.older_than_secs(), None, "all files");
        assert_eq!(press(&mut d, KeyCode::Char('n')), Outcome::Close);
    }
}
