//! `lab run`: the guide, interactive or `--auto`.

use std::time::Duration;

use super::{InAccount, SandboxStart, load_lab};
use crate::Outcome;
use crate::cli::{GlobalOptions, RunArgs};
use crate::error::Error;
use crate::ops::run::{Options, guide};

pub(super) fn execute(args: &RunArgs, global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let here = InAccount::resolve(&lab, global, SandboxStart::IfNone)?;
    let options = Options {
        stage: args.stage.clone(),
        auto: args.auto.then(|| args.through.clone()),
        wait_timeout: args.wait_timeout.map(Duration::from_secs),
    };
    here.runtime.block_on(async {
        let session = here.open().await?;
        guide(session, &here.aws, &options).await
    })
}
