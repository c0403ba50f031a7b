//! `lab whoami`: the account, identity and region lab would use, and the lab's
//! names there.

use super::{InAccount, SandboxStart, load_lab};
use crate::Outcome;
use crate::cli::GlobalOptions;
use crate::error::Error;
use crate::ops::whoami;

pub(super) fn execute(global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let here = InAccount::resolve(&lab, global, SandboxStart::Never)?;
    here.runtime.block_on(async {
        let mut session = here.open().await?;
        // The names the guide would use: with the answers the learner gave it.
        session.recall()?;
        print!("{}", whoami::render(&session));
        Ok(Outcome::Success)
    })
}
