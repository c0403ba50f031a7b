//! `lab cleanup`: delete what the lab created.

use super::{SandboxStart, aws_options, load_lab, runtime};
use crate::Outcome;
use crate::actions::cleanup::Options;
use crate::cli::{CleanupArgs, GlobalOptions};
use crate::error::Error;

pub(super) fn execute(args: &CleanupArgs, global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let options = Options {
        force_delete_secret: args.force_delete_secret,
        include_untagged: args.include_untagged,
    };
    runtime()?.block_on(crate::cleanup::clean_up(
        &lab,
        &aws_options(global, SandboxStart::Never)?,
        &global.set,
        &options,
        args.yes,
    ))
}
