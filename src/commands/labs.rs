//! `lab labs`: the built-in labs.

use crate::Outcome;
use crate::error::Error;
use crate::ops::labs::{labs, render};

pub(super) fn execute() -> Result<Outcome, Error> {
    print!("{}", render(&labs()?));
    Ok(Outcome::Success)
}
