//! `luna favicon-all`: the favicon package of every variant, each in its own subdirectory.

use super::Ctx;
use super::args::ParallelArg;
use super::favicon::FaviconOpts;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct FaviconAllCmd {
    #[command(flatten)]
    pub common: FaviconOpts,
    #[command(flatten)]
    pub parallel: ParallelArg,
}

pub async fn run(ctx: &Ctx, cmd: FaviconAllCmd) -> anyhow::Result<()> {
    super::favicon::run_all(ctx, None, cmd.common, cmd.parallel.parallel.into()).await
}
