//! The state machine, driven by key and mouse events as a user would.

use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use luna_ipc::{Format, PaletteArg};

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
    let styles = layout::pane_area(&app, Pane::Styles).y;
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
    app.update(Action::Stats {
        total: 9,
        hits: 3,
        store_degraded: true,
    });
    assert_eq!((app.total_generated, app.cache_hits), (9, 3));
    assert!(app.store_degraded);
}
