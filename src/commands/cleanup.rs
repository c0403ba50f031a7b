//! `lab cleanup`: delete what the lab created.

use super::{InAccount, SandboxStart, load_lab};
use crate::Outcome;
use crate::actions::cleanup::Options;
use crate::cli::{CleanupArgs, GlobalOptions};
use crate::error::Error;

pub(super) fn execute(args: &CleanupArgs, global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let here = InAccount::resolve(&lab, global, SandboxStart::Never)?;
    let options = Options {
        force_delete_secret: args.force_delete_secret,
        include_untagged: args.include_untagged,
    };
    here.runtime.block_on(async {
        let mut session = here.open().await?;
        // Names the learner chose in `lab run` are the ones to clean up.
        session.recall()?;
        crate::ops::cleanup::clean_up(&session, &here.aws.flags(), &options, args.yes).await
    })
}
