//! The runner's terminal: prompts and menus (dialoguer), a spinner while waiting
//! on AWS (indicatif). Used only with a real terminal.

use std::time::Duration;

use console::{Term, style};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};
use indicatif::{ProgressBar, ProgressStyle};

use super::{Choice, Ui};
use crate::error::Error;

/// The runner's UI on a terminal.
pub struct TerminalUi {
    term: Term,
    theme: ColorfulTheme,
    spinner: Option<(ProgressBar, String)>,
    /// The command that continues the run, with the learner's flags.
    rerun: String,
}

impl TerminalUi {
    /// A UI on standard output; `rerun` is the command that continues the run
    /// (`lab run --sandbox`), said if a prompt is interrupted.
    pub fn new(rerun: impl Into<String>) -> Self {
        TerminalUi {
            term: Term::stdout(),
            theme: ColorfulTheme::default(),
            spinner: None,
            rerun: rerun.into(),
        }
    }

    /// A prompt that could not be answered (the terminal went away, Ctrl-C at a
    /// prompt): the run stops, and the progress is already saved.
    fn interrupted(&self, e: dialoguer::Error) -> Error {
        // The prompt hid the cursor; a shell left without one is the learner's to fix.
        let _ = self.term.show_cursor();
        if ctrl_c(&e) {
            return Error::Stopped {
                rerun: self.rerun.clone(),
            };
        }
        Error::PromptInterrupted {
            source: e,
            rerun: self.rerun.clone(),
        }
    }
}

/// Ctrl-C at a prompt: the terminal is raw while a prompt reads keys, so it arrives
/// as a key, which the prompt reports as an interrupted read.
fn ctrl_c(e: &dialoguer::Error) -> bool {
    let dialoguer::Error::IO(e) = e;
    e.kind() == std::io::ErrorKind::Interrupted
}

impl Ui for TerminalUi {
    fn say(&mut self, text: &str) {
        let _ = self.term.write_line(text);
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        // A prompt longer than the line wraps, and the prompt, redrawn on a key,
        // clears only its last line: the rest would be drawn twice. A long question
        // goes above, wrapped; the prompt under it is short.
        let width = crate::markdown::terminal_width();
        let prompt = if console::measure_text_width(question) + 12 > width {
            let text = crate::markdown::wrap_text("", question, 2, width);
            self.say(text.trim_end());
            "Yes or no?"
        } else {
            question
        };
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(true)
            .interact_on(&self.term)
            .map_err(|e| self.interrupted(e))
    }

    fn ask(
        &mut self,
        question: &str,
        default: Option<&str>,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        // Question and default on one line would run past the terminal's edge: the
        // question goes above, wrapped, and the default under it.
        let width = crate::markdown::terminal_width();
        let one_line = console::measure_text_width(question)
            + default.map_or(0, |d| console::measure_text_width(d) + 3)
            + 6;
        let above = one_line > width;
        if above {
            let mut text = crate::markdown::wrap_text("", question, 2, width);
            if let Some(default) = default {
                text.push_str(&crate::markdown::wrap_text(
                    "",
                    &format!("(Enter keeps `{default}`)"),
                    2,
                    width,
                ));
            }
            self.say(text.trim_end());
        }
        let prompt = if above { "Your answer" } else { question };
        let mut input = Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .show_default(!above);
        if let Some(default) = default {
            input = input.default(default.to_string());
        }
        input
            .validate_with(|value: &String| check(value.trim()))
            .interact_text_on(&self.term)
            .map(|v| v.trim().to_string())
            .map_err(|e| self.interrupted(e))
    }

    fn choose(&mut self, title: &str, choices: &[Choice]) -> Result<Choice, Error> {
        let labels: Vec<&str> = choices.iter().map(|c| c.label()).collect();
        let picked = Select::with_theme(&self.theme)
            .with_prompt(title)
            .items(&labels)
            .default(0)
            .interact_on_opt(&self.term);
        match picked {
            // Ctrl-C at a menu is "Quit": the progress is saved, the guide says so.
            Err(e) if ctrl_c(&e) => {
                let _ = self.term.show_cursor();
                Ok(Choice::Quit)
            }
            Err(e) => Err(self.interrupted(e)),
            Ok(picked) => Ok(picked.map_or(Choice::Quit, |i| choices[i])),
        }
    }

    fn pause(&mut self, prompt: &str) -> Result<(), Error> {
        let width = crate::markdown::terminal_width();
        let line =
            crate::markdown::wrap_text(&format!("{} ", style("›").cyan().bold()), prompt, 2, width);
        let _ = self.term.write_str(&format!("\n{}", line.trim_end()));
        // Any key goes on; Ctrl-C (a key too, while the terminal is raw) stops.
        let read = self.term.read_key();
        let _ = self.term.write_line("");
        read.map(|_| ())
            .map_err(|e| self.interrupted(dialoguer::Error::IO(e)))
    }

    fn wait_started(&mut self, what: &str, usual: Duration) {
        let note = format!(
            "This usually takes about {} s; Ctrl-C stops waiting.",
            usual.as_secs()
        );
        let width = crate::markdown::terminal_width();
        self.say(crate::markdown::wrap_text("", &note, 2, width).trim_end());
        // One line, cut at the terminal's edge (`wide_msg`): the time first, so the
        // cut only ever shortens the words.
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("  {spinner} {wide_msg}").expect("a valid template"),
        );
        let message = format!("waiting for {what}");
        spinner.set_message(format!("0 s · {message}"));
        spinner.enable_steady_tick(Duration::from_millis(120));
        self.spinner = Some((spinner, message));
    }

    fn wait_tick(&mut self, elapsed: Duration) {
        if let Some((spinner, message)) = &self.spinner {
            spinner.set_message(format!("{} s · {message}", elapsed.as_secs()));
        }
    }

    fn wait_ended(&mut self) {
        if let Some((spinner, _)) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }
}
