//! `lab reset`: forgets the learner's progress in this account and region.

use crate::error::Error;
use crate::session::{Saved, Session};

/// Forgets the progress `saved` for `session`'s lab and account, and says so;
/// `flags` are the options the command it names needs.
pub fn reset(session: &Session<'_>, saved: &Saved, flags: &str) -> Result<String, Error> {
    let identity = &session.identity;
    let forgot = saved
        .store
        .reset(&session.lab.id, &identity.account, &identity.region)?;
    Ok(if forgot {
        format!(
            "Forgot your progress in account {} · {}. Your AWS resources are untouched (`lab cleanup{flags}` removes them).",
            identity.account, identity.region,
        )
    } else {
        format!(
            "There was no progress to forget in account {} · {}.",
            identity.account, identity.region
        )
    })
}
