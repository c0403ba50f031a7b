//! `lab sandbox`: the local sandbox's lifecycle, mailbox and environment.

use super::runtime;
use crate::Outcome;
use crate::cli::{SandboxCommand, SandboxStartArgs};
use crate::error::Error;
use crate::sandbox;

pub fn execute(command: SandboxCommand) -> Result<Outcome, Error> {
    let start = |args: &SandboxStartArgs| sandbox::StartOptions {
        port: args.port,
        delivery_delay: args.delivery_delay,
        evaluation_interval: args.evaluation_interval,
    };
    match command {
        SandboxCommand::Start(args) => runtime()?.block_on(sandbox::start_command(&start(&args))),
        SandboxCommand::Stop => runtime()?.block_on(sandbox::stop_command()),
        SandboxCommand::Status => runtime()?.block_on(sandbox::status_command()),
        SandboxCommand::Env => runtime()?.block_on(sandbox::env_command()),
        SandboxCommand::Mail(args) => sandbox::mail_command(&sandbox::MailOptions {
            to: args.to,
            last: args.last,
            json: args.json,
            follow: args.follow,
        }),
        SandboxCommand::Confirm => runtime()?.block_on(sandbox::confirm_command()),
        SandboxCommand::Serve(args) => {
            runtime()?.block_on(sandbox::serve(&args.dir, &args.python, &start(&args.start)))
        }
    }
}
