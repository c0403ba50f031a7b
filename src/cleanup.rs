//! `lab cleanup`: list the lab's resources, delete them once confirmed, and say
//! what remains.
//!
//! A dry run unless `--yes` is given or, on a terminal, the learner types the
//! account id. Only the lab's exact names in this account and region are touched
//! (the names come from the same variables as everywhere, including answers saved
//! by `lab run`).

use std::io::IsTerminal;

use console::style;

use crate::Outcome;
use crate::actions::Done;
use crate::actions::cleanup::{Item, Options, execute, plan};
use crate::aws::AwsOptions;
use crate::check::judge_checks;
use crate::error::Error;
use crate::lesson::{CheckRef, Lab};
use crate::runner::{TerminalUi, Ui};
use crate::session::{Opening, Session};

/// Lists the lab's resources in the account `aws_options` reach, deletes them as
/// `options` say once `confirmed` (or once the learner types the account id on a
/// terminal), and says what remains.
pub async fn clean_up(
    lab: &Lab,
    aws_options: &AwsOptions,
    set: &[(String, String)],
    options: &Options,
    confirmed: bool,
) -> Result<Outcome, Error> {
    let opening = Opening::open(lab, aws_options).await?;
    let values = opening.assignments(set);
    let session = Session::with_identity(lab, opening.aws, opening.identity, &values)?;
    let ctx = session.context();
    let items = plan(&ctx, options).await?;
    let (account, region) = (&session.identity.account, &session.identity.region);
    let flags = aws_options.flags();

    if items.is_empty() {
        println!("None of the lab's resources are left in account {account} · {region}.");
    } else {
        println!(
            "{}",
            style(format!(
                "The lab's resources in account {account} · {region}:"
            ))
            .bold()
        );
        println!("{}", listing(&items));
        let to_delete = items.iter().filter(|i| i.delete).count();
        let confirmed =
            to_delete == 0 || confirmed || confirm_by_typing(account, to_delete, &flags)?;
        if !confirmed {
            println!("Nothing was deleted. Run `lab cleanup{flags} --yes` to delete them.");
            return Ok(Outcome::Failed);
        }
        let mut done = Done::default();
        let result = execute(&ctx, &items, options, &mut done).await;
        for change in &done.changes {
            println!("  {} {change}", style("-").red());
        }
        if let Err(e) = &result {
            println!("  {} {e}", style("!").yellow().bold());
        }
        let kept = items.iter().filter(|i| !i.delete).count();
        if kept > 0 {
            println!(
                "  Kept {kept} resource{} with the lab's names that lab did not create; `lab cleanup{flags} --include-untagged` deletes {} too.",
                if kept == 1 { "" } else { "s" },
                if kept == 1 { "it" } else { "them" }
            );
        }
        if items.iter().any(|i| i.kind == "secret" && i.delete) && !options.force_delete_secret {
            println!(
                "  The secret's name stays taken until its recovery window ends; to run the lab again at once under the same name, \
                 use --force-delete-secret next time (or restore it)."
            );
        }
    }

    let done_check = CheckRef {
        spec: checkers::Check::CleanupDone.spec(),
        params: Default::default(),
    };
    let finding = judge_checks(&session, &[done_check]).await.remove(0);
    let outcome = Outcome::of(finding.status);
    println!(
        "\n{} {}",
        crate::report::mark(finding.status),
        finding.message
    );
    Ok(outcome)
}

/// One line per resource: what it is, its name, how it was matched, what happens.
pub fn listing(items: &[Item]) -> String {
    let width = items.iter().map(|i| i.name.len()).max().unwrap_or(0);
    items
        .iter()
        .map(|i| {
            let matched = if i.tagged { "name and lab tag" } else { "name" };
            format!(
                "  {:<10} {:<width$}  matched by {matched:<16}  → {}",
                i.kind, i.name, i.plan
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// On a terminal: delete only once the learner types the account id.
fn confirm_by_typing(account: &str, count: usize, flags: &str) -> Result<bool, Error> {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Ok(false);
    }
    let mut ui = TerminalUi::new(format!("lab cleanup{flags}"));
    let typed = ui.ask(
        &format!("To delete these {count} resources, type the account id ({account}); anything else cancels"),
        None,
        &|_| Ok(()),
    )?;
    Ok(typed == account)
}
