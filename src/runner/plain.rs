//! The runner's output without a terminal (`lab run --auto`): plain lines, no
//! prompts. Asking anything is a bug in the caller, reported as an error.

use std::time::Duration;

use super::{Choice, Ui};
use crate::error::Error;

/// Prints what the runner says, one line at a time.
#[derive(Debug, Default)]
pub struct PlainUi;

impl Ui for PlainUi {
    fn say(&mut self, text: &str) {
        println!("{text}");
    }

    fn confirm(&mut self, _: &str) -> Result<bool, Error> {
        Ok(true)
    }

    fn ask(
        &mut self,
        question: &str,
        _: Option<&str>,
        _: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        Err(Error::AutoCannotAsk {
            question: question.into(),
        })
    }

    fn choose(&mut self, _: &str, _: &[Choice]) -> Result<Choice, Error> {
        Err(Error::AutoCannotChoose)
    }

    fn wait_started(&mut self, what: &str, usual: Duration) {
        println!(
            "    … waiting for {what} (usually about {} s)",
            usual.as_secs()
        );
    }

    fn wait_tick(&mut self, _: Duration) {}

    fn wait_ended(&mut self) {}
}
