//! `luna tui`: the terminal UI. Connects first (starting lunad unless autostart is off), so a
//! missing daemon is reported like any other command's, then hands the socket to `luna_tui::run`.

use super::Ctx;
use crate::exit::Failure;
use luna_tui::graphics::Mode;

pub async fn run(ctx: &Ctx, graphics: &str) -> anyhow::Result<()> {
    let graphics = Mode::parse(graphics).map_err(Failure::usage)?;
    // The connection only proves lunad is up (autostarting it); the TUI opens its own.
    drop(ctx.client().await?);
    luna_tui::run(ctx.socket(), graphics).await?;
    Ok(())
}
