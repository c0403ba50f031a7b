//! The `lab` binary: parse the command line, run it, map the outcome to an exit code.
//! 0: all good; 1: the command ran and found problems; 2: it could not run, or
//! could not judge everything it had to.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    quiet_on_a_closed_pipe();
    let cli = lab::cli::Cli::parse();
    init_output(cli.global.verbose);
    match lab::commands::execute(cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(error) => {
            let label = console::style("error").red().bold().for_stderr();
            match &error {
                lab::Error::Lessons(diagnostics) => eprintln!("{diagnostics}"),
                lab::Error::Stopped { .. } => eprintln!("{error}"),
                other => eprintln!("{label}: {other}"),
            }
            if let Some(help) = error.help() {
                eprintln!(
                    "  {} {help}",
                    console::style("help:").cyan().bold().for_stderr()
                );
            }
            ExitCode::from(error.exit_code())
        }
    }
}

/// Output read by a program that stops reading early (`lab lessons schema | head`)
/// ends `lab` as quietly as a shell's own tools end: exit 141 (128 + SIGPIPE), no
/// panic message. Rust ignores SIGPIPE, so the write fails and `println!` panics
/// with "Broken pipe"; any other panic is reported as usual.
fn quiet_on_a_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        report(info);
    }));
}

/// Colour only for a terminal, and never with `NO_COLOR`; logs to stderr at the
/// level `-v` asks for.
fn init_output(verbose: u8) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colour = !no_color && console::user_attended() && console::user_attended_stderr();
    console::set_colors_enabled(colour);
    console::set_colors_enabled_stderr(colour);
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // Other crates' warnings (the SDK's instance-metadata lookups, profile parsing,
    // its HTTP client's "unrecognized error") say nothing a learner can act on: `lab`
    // reports what failed in its own words; `-v` shows them.
    let others = if verbose == 0 {
        LevelFilter::ERROR
    } else {
        LevelFilter::from_level(level)
    };
    let filter = Targets::new()
        .with_default(others)
        .with_target("lab", level)
        .with_target("checkers", level);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .finish()
        .with(filter)
        .try_init();
}
