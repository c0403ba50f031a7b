//! The `lab` binary: parse the command line, run it, map the outcome to an exit code.
//! 0: all good; 1: the command ran and found problems; 2: it could not run, or
//! could not judge everything it had to.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lab::cli::Cli::parse();
    match lab::run(cli) {
        Ok(lab::Outcome::Success) => ExitCode::SUCCESS,
        Ok(lab::Outcome::Failed) => ExitCode::from(1),
        Ok(lab::Outcome::Incomplete) => ExitCode::from(2),
        Err(error) => {
            let label = console::style("error").red().bold().for_stderr();
            match &error {
                lab::Error::Lessons(diagnostics) => eprintln!("{diagnostics}"),
                other => eprintln!("{label}: {other}"),
            }
            if let Some(help) = error.help() {
                eprintln!(
                    "  {} {help}",
                    console::style("help:").cyan().bold().for_stderr()
                );
            }
            ExitCode::from(2)
        }
    }
}
