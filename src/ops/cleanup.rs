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
use crate::actions::cleanup::{Item, Kind, Options, execute, plan};
use crate::error::Error;
use crate::runner::{TerminalUi, Ui};
use crate::session::Session;

/// Lists the lab's resources in `session`'s account, deletes them as `options` say
/// once `confirmed` (or once the learner types the account id on a terminal), and
/// says what remains; `flags` are the options the commands it names need.
pub async fn clean_up(
    session: &Session<'_>,
    flags: &str,
    options: &Options,
    confirmed: bool,
) -> Result<Outcome, Error> {
    let ctx = session.context();
    let items = plan(&ctx, options).await?;
    let (account, region) = (&session.identity.account, &session.identity.region);

    if items.is_empty() {
        println!(
            "{} None of the lab's resources are left in account {account} · {region}.",
            crate::report::mark(checkers::Status::Pass)
        );
        return Ok(Outcome::Success);
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
            to_delete == 0 || confirmed || confirm_by_typing(account, to_delete, flags)?;
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
        if items.iter().any(|i| i.kind == Kind::Secret && i.delete) && !options.force_delete_secret
        {
            println!(
                "  The secret's name stays taken until its recovery window ends; to run the lab again at once under the same name, \
                 use --force-delete-secret next time (or restore it)."
            );
        }
    }

    // What remains is what the same listing finds now: the lab's names, matched as
    // they were before (whether the lab was ever built is a grading question, for
    // `lab check`).
    let left = plan(&ctx, options).await?;
    if left.is_empty() {
        println!(
            "\n{} None of the lab's resources remain",
            crate::report::mark(checkers::Status::Pass)
        );
        Ok(Outcome::Success)
    } else {
        println!(
            "\n{} Still there: {}",
            crate::report::mark(checkers::Status::Fail),
            left.iter()
                .map(|i| format!("{} `{}`", i.kind, i.name))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(Outcome::Failed)
    }
}

/// Each resource: what it is and its name on one line, then how it was matched and
/// what happens, wrapped within the terminal's width.
pub fn listing(items: &[Item]) -> String {
    listing_within(items, crate::markdown::terminal_width())
}

fn listing_within(items: &[Item], width: usize) -> String {
    items
        .iter()
        .map(|i| {
            let matched = match (&i.tagged, &i.created_by_you) {
                (true, _) => "name and lab tag".to_string(),
                (false, Some(at)) => {
                    format!("name, and made by you (CloudTrail event history, {at})")
                }
                (false, None) => "name".to_string(),
            };
            let head = format!("  {:<10} {}", i.kind, i.name);
            let what = crate::markdown::wrap_text(
                "→ ",
                &format!("{}; matched by {matched}", i.plan),
                13,
                width,
            );
            format!("{head}\n{}", what.trim_end())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_fits_80_columns() {
        let items = [Item {
            kind: Kind::Role,
            name: "CloudTrailRoleForCloudWatchLogs_secrets-manager-trail".into(),
            tagged: true,
            created_by_you: None,
            plan: "delete its policies, then the role".into(),
            delete: true,
        }];
        let text = listing_within(&items, 80);
        assert!(
            text.lines().all(|l| console::measure_text_width(l) <= 80),
            "{text}"
        );
        assert!(
            text.contains("  role       CloudTrailRoleForCloudWatchLogs_secrets-manager-trail\n")
        );
        assert!(text.contains("→ delete its policies, then the role; matched by name and lab tag"));
    }
}
