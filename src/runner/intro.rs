//! What `lab run` shows before touching anything: what the lab builds, what it
//! costs, and which account, region and identity it will use.

use console::style;

use crate::aws::Identity;
use crate::lesson::Lab;
use crate::markdown::render;

/// The chain the lab builds, drawn for a terminal.
pub const CHAIN: &str = "\
  ┌─────────────────┐   ┌────────────┐   ┌─────────────────┐   ┌───────────────┐   ┌───────┐   ┌─────┐
  │ Secrets Manager │──▶│ CloudTrail │──▶│ CloudWatch Logs │──▶│ metric filter │──▶│ alarm │──▶│ SNS │──▶ ✉ you
  └─────────────────┘   └────────────┘   └─────────────────┘   └───────────────┘   └───────┘   └─────┘
     a secret is read     records it       receives it          counts it          fires       emails";

/// The introduction: title, summary, the chain, the cost note (none in the
/// sandbox), and where.
pub fn intro(lab: &Lab, identity: &Identity, endpoint: Option<&str>, sandbox: bool) -> String {
    let endpoint = endpoint
        .map(|e| format!("\n  Endpoint  {e}"))
        .unwrap_or_default();
    let cost = if sandbox {
        render(
            "Nothing: this is the local sandbox, not AWS. Its emails land in \
             `lab sandbox mail`, and it forgets everything when it stops.",
            2,
        )
    } else {
        render(&lab.cost, 2)
    };
    format!(
        "\n{}\n\n{}\n{CHAIN}\n\n  {}\n{}\n  {}\n  Account   {}\n  Region    {}\n  Identity  {}{endpoint}\n",
        style(&lab.title).bold().underlined(),
        render(&lab.summary, 2),
        style("What it costs").bold(),
        cost,
        style("Where").bold(),
        identity.account,
        identity.region,
        identity.arn,
    )
}
