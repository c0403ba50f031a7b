//! `lab status`: the learner's progress in this account and region.

use super::{SandboxStart, aws_options, load_lab, runtime};
use crate::Outcome;
use crate::cli::GlobalOptions;
use crate::error::Error;

pub(super) fn execute(global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    runtime()?.block_on(crate::guide::status(
        &lab,
        &aws_options(global, SandboxStart::Never)?,
    ))
}
