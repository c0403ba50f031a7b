//! What the guide shows: a stage, a step, its CLI commands, a check's findings,
//! the end of a stage and the closing screen.

use checkers::{Finding, Status};
use console::style;

use super::{Runner, Ui};
use crate::error::Error;
use crate::lesson::{Stage, Step};
use crate::markdown::{render_to, wrap_text};

impl<U: Ui + ?Sized> Runner<'_, U> {
    /// After a check that showed the metric's numbers: they stay on the screen
    /// until the learner goes on, to the step at `next` (or the closing screen after
    /// the last), or back to the menu (`None`).
    pub(super) fn hold_evidence(&mut self, next: Option<usize>) -> Result<(), Error> {
        let to = match next {
            Some(next) if next < self.steps.len() => self.step_label(next),
            Some(_) => "the end of the lab".to_string(),
            None => "the menu".to_string(),
        };
        self.ui.pause(&format!(
            "Read the numbers above, then press Enter for {to}"
        ))
    }

    /// The closing screen: each stage as the learner left it, and what to run next,
    /// with the learner's flags.
    pub(super) fn closing(&self) -> String {
        let flags = &self.options.flags;
        let stages = &self.session.lab.stages;
        let open = stages
            .iter()
            .filter(|stage| !stage.steps.iter().all(|s| self.progress.is_done(&s.id)))
            .count();
        // Said as it is: the end of the guide is not the end of the lab while
        // stages are open.
        let mut text = if open == 0 {
            format!(
                "\n  {} You have been through every stage.\n\n",
                style("✓").green().bold()
            )
        } else {
            format!(
                "\n  {} That was the last step; {open} of {} stages {} still open:\n\n",
                style("·").yellow().bold(),
                stages.len(),
                if open == 1 { "is" } else { "are" }
            )
        };
        for stage in stages {
            let done = stage
                .steps
                .iter()
                .filter(|s| self.progress.is_done(&s.id))
                .count();
            let mark = if done == stage.steps.len() {
                style("✓").green()
            } else {
                style("·").yellow()
            };
            text.push_str(&format!(
                "    {mark} Stage {} · {} ({done} of {} steps done)\n",
                stage.number,
                stage.title,
                stage.steps.len()
            ));
        }
        if let Some(last) = stages.last() {
            if last.steps.iter().all(|s| self.progress.is_done(&s.id)) {
                text.push_str(&format!(
                    "\n  `lab check{flags} --stage {}` confirms the last stage, {}.\n",
                    last.id, last.title
                ));
            } else {
                text.push_str(&format!(
                    "\n  `lab check{flags}` grades what you built; `lab run{flags} --stage {}` \
                     ({}) removes it when you are done.\n",
                    last.id, last.title
                ));
            }
        }
        text
    }

    pub(super) fn show_stage(&mut self, stage: &Stage) {
        let narrative = render_to(&self.text(&stage.narrative), 2, self.options.width);
        let heading = style(format!("Stage {} · {}", stage.number, stage.title))
            .bold()
            .underlined();
        let goal = wrap_text("", &stage.goal, 2, self.options.width);
        self.ui.say(&format!(
            "\n{heading}\n{}\n{narrative}",
            style(goal).italic()
        ));
    }

    /// The end of a stage: what now exists, when every step is done.
    pub(super) fn show_summary(&mut self, stage: &Stage) {
        if !stage.steps.iter().all(|s| self.progress.is_done(&s.id)) {
            return;
        }
        let summary = render_to(&self.text(&stage.summary), 4, self.options.width);
        let summary = summary.trim_end();
        self.ui.say(&format!(
            "\n  {} {}\n{summary}",
            style("✓").green().bold(),
            style(format!("Stage {} done: {}", stage.number, stage.title)).bold()
        ));
    }

    /// "Step 5.2 · Test the notification path by hand", for the step at `index`.
    fn step_label(&self, index: usize) -> String {
        let (stage, step) = self.steps[index];
        let position = stage
            .steps
            .iter()
            .position(|s| s.id == step.id)
            .unwrap_or(0)
            + 1;
        format!("Step {}.{position} · {}", stage.number, step.title)
    }

    pub(super) fn show_step(&mut self, index: usize) {
        let (_, step) = self.steps[index];
        let mark = if self.progress.is_done(&step.id) {
            style(" ✓ done").green().to_string()
        } else {
            String::new()
        };
        let heading = style(self.step_label(index)).bold();
        // In the sandbox there is no console: the CLI is the way.
        let instructions = match (self.session.aws.sandbox(), self.cli_block(step)) {
            (Some(_), Some(cli)) => format!("    With the AWS CLI, in a shell of your own:\n{cli}"),
            _ => render_to(&self.text(&step.instructions), 4, self.options.width),
        };
        let expect = render_to(&self.text(&step.expect), 4, self.options.width);
        self.ui.say(&format!(
            "\n  {heading}{mark}\n\n{instructions}\n  {}\n{expect}",
            style("When it is done:").dim()
        ));
    }

    /// The step's CLI commands as a code block; in the sandbox led by the line that
    /// points a shell at it.
    pub(super) fn cli_block(&self, step: &Step) -> Option<String> {
        let cli = self.text(step.cli.as_ref()?);
        let cli = match self.session.aws.sandbox() {
            Some(_) => format!(
                "# Once per shell: point the AWS CLI at the sandbox.\neval \"$(lab sandbox env)\"\n{cli}"
            ),
            None => cli,
        };
        let block = render_to(&format!("```\n{cli}\n```"), 0, self.options.width);
        // Taller than a screen, its first commands would scroll away: they are also
        // in a script, to page through or run as a whole.
        let screen = self.options.height.unwrap_or(usize::MAX);
        let script = self
            .store
            .dir()
            .join("commands")
            .join(format!("{}.sh", step.id));
        let written = cli.lines().count() + 8 > screen
            && crate::error::write_file(&script, format!("{cli}\n"), "").is_ok();
        if !written {
            return Some(block);
        }
        let note = format!(
            "These {} lines are also in this script: page through it with `less`, or run it \
             all with `bash`:",
            cli.lines().count()
        );
        Some(format!(
            "{block}{}\n    {}\n",
            crate::markdown::wrap_text("", &note, 4, self.options.width),
            script.display()
        ))
    }

    /// Says `text` wrapped to the width, indented by `indent`, after `lead` (a mark,
    /// already styled) with the lines after hanging under it. Leading line breaks
    /// are kept.
    pub(super) fn say_wrapped(&mut self, lead: &str, text: &str, indent: usize) {
        let breaks = text.len() - text.trim_start_matches('\n').len();
        let body = wrap_text(
            lead,
            text.trim_start_matches('\n'),
            indent,
            self.options.width,
        );
        self.ui.say(&format!(
            "{}{}",
            "\n".repeat(breaks),
            body.trim_end_matches('\n')
        ));
    }

    pub(super) fn show_findings(&mut self, findings: &[Finding]) {
        let mut text = String::new();
        for f in findings {
            let mark = crate::report::mark(f.status);
            text.push_str(&wrap_text(
                &format!("{mark} "),
                &f.title,
                4,
                self.options.width,
            ));
            text.push_str(&wrap_text("", &f.message, 6, self.options.width));
            if let (Some(fix), true) = (&f.fix, f.status != Status::Pass) {
                let lead = format!("{} ", style("fix:").cyan().bold());
                let fix = crate::lab_commands::with_flags(fix, &self.options.flags);
                text.push_str(&wrap_text(&lead, &fix, 6, self.options.width));
            }
        }
        self.ui.say(text.trim_end());
    }
}
