//! `lab reset`: forget the learner's progress in this account and region.

use super::{InAccount, SandboxStart, load_lab};
use crate::Outcome;
use crate::cli::GlobalOptions;
use crate::error::Error;

pub(super) fn execute(global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let here = InAccount::resolve(&lab, global, SandboxStart::Never)?;
    here.runtime.block_on(async {
        let mut session = here.open().await?;
        let saved = session.recall()?;
        println!(
            "{}",
            crate::ops::reset::reset(&session, &saved, &here.aws.flags())?
        );
        Ok(Outcome::Success)
    })
}
