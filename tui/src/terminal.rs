//! Entering and leaving the full-screen terminal, mouse capture included. ratatui's own panic
//! hook restores raw mode and the main screen; ours first turns mouse reporting off, which
//! ratatui does not know it turned on.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use std::io::stdout;

pub fn init() -> std::io::Result<ratatui::DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(stdout(), DisableMouseCapture);
        ratatui_hook(info);
    }));
    crossterm::execute!(stdout(), EnableMouseCapture)?;
    Ok(terminal)
}

pub fn restore() {
    let _ = crossterm::execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
}
