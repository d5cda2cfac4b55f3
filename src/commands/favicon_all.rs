//! `luna favicon-all`: the favicon sets of every variant.

use super::Ctx;
use crate::cli::FaviconAllCmd;

pub async fn run(ctx: &Ctx, cmd: FaviconAllCmd) -> anyhow::Result<()> {
    super::favicon::run(ctx, None, cmd.common, cmd.parallel.parallel.into()).await
}
