//! `lab run`: the guide, interactive or `--auto`.

use std::time::Duration;

use super::{SandboxStart, aws_options, load_lab, runtime};
use crate::Outcome;
use crate::cli::{GlobalOptions, RunArgs};
use crate::error::Error;
use crate::guide::{Options, guide};

pub(super) fn execute(args: &RunArgs, global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let options = Options {
        stage: args.stage.clone(),
        auto: args.auto.then(|| args.through.clone()),
        wait_timeout: args.wait_timeout.map(Duration::from_secs),
    };
    runtime()?.block_on(guide(
        &lab,
        &aws_options(global, SandboxStart::IfNone)?,
        &global.set,
        &options,
    ))
}
