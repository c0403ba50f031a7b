//! What `lab run` shows before touching anything: what the lab builds, what it
//! costs, and which account, region and identity it will use.

use console::style;

use crate::aws::Identity;
use crate::lesson::Lab;
use crate::lesson::model::ChainLink;
use crate::markdown::render;

/// The chain the lab builds (the lessons' `chain`), drawn for a terminal `width`
/// columns wide: side by side when it fits, one link under the other when not.
pub fn chain_diagram(chain: &[ChainLink], width: usize) -> String {
    let across = across(chain);
    if across.lines().all(|l| l.chars().count() <= width) {
        across
    } else {
        down(chain)
    }
}

/// Side by side: a row of boxes joined by arrows, what each does under it.
fn across(chain: &[ChainLink]) -> String {
    let (mut top, mut middle, mut bottom, mut under) = (
        String::from("  "),
        String::from("  "),
        String::from("  "),
        String::from("  "),
    );
    for (i, link) in chain.iter().enumerate() {
        let inner = link.service.chars().count() + 2;
        let joint = if i + 1 < chain.len() { "──▶" } else { "" };
        let gap = " ".repeat(joint.chars().count());
        top.push_str(&format!("┌{}┐{gap}", "─".repeat(inner)));
        middle.push_str(&format!("│ {} │{joint}", link.service));
        bottom.push_str(&format!("└{}┘{gap}", "─".repeat(inner)));
        let cell = inner + 2 + gap.chars().count();
        under.push_str(&format!("{:^cell$}", link.does));
    }
    if let Some(end) = chain.last().and_then(|l| l.then.as_deref()) {
        middle.push_str(&format!("──▶ {end}"));
    }
    [top, middle, bottom, under]
        .map(|l| l.trim_end().to_string())
        .join("\n")
}

/// The widest of one text of each link, in characters.
fn widest(chain: &[ChainLink], text: impl Fn(&ChainLink) -> &String) -> usize {
    chain
        .iter()
        .map(|l| text(l).chars().count())
        .max()
        .unwrap_or(0)
}

/// One line per link, for a terminal too short for boxes: the service, what it
/// does, and what passes on.
fn listed(chain: &[ChainLink]) -> String {
    let service = widest(chain, |l| &l.service);
    let does = widest(chain, |l| &l.does);
    chain
        .iter()
        .map(|link| {
            let then = link
                .then
                .as_deref()
                .map(|t| format!("  ▶ {t}"))
                .unwrap_or_default();
            format!("  {:<service$}  {:<does$}{then}", link.service, link.does)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One under the other: each box, what it does beside it, and what passes on.
fn down(chain: &[ChainLink]) -> String {
    let widest = widest(chain, |l| &l.service);
    let mut lines = Vec::new();
    for (i, link) in chain.iter().enumerate() {
        let inner = widest + 2;
        let centre = 2 + (inner + 2) / 2;
        lines.push(format!("  ┌{}┐", "─".repeat(inner)));
        lines.push(format!("  │ {:<widest$} │  {}", link.service, link.does));
        lines.push(format!("  └{}┘", "─".repeat(inner)));
        if let Some(then) = &link.then {
            let arrow = if i + 1 < chain.len() { "▼" } else { "▶" };
            lines.push(format!("{}{arrow} {then}", " ".repeat(centre)));
        }
    }
    lines.join("\n")
}

/// The introduction, in two parts: what the lab is (title, summary, the chain),
/// and what it costs (no money in the sandbox) and where it runs. The guide shows
/// them apart, holding the first, when together they are taller than the terminal:
/// the title must not scroll away before the learner has read it.
pub struct Intro {
    /// Title, summary, the chain.
    pub what: String,
    /// The cost note and the account, region, identity and endpoint.
    pub cost_and_where: String,
}

impl Intro {
    /// Whether both parts and a question under them fit `height` lines.
    pub fn fits(&self, height: Option<usize>) -> bool {
        let lines = self.what.lines().count() + self.cost_and_where.lines().count() + 3;
        height.is_none_or(|h| lines <= h)
    }
}

/// The introduction for `lab` in the account of `identity`.
pub fn intro(lab: &Lab, identity: &Identity, endpoint: Option<&str>, sandbox: bool) -> Intro {
    let endpoint = endpoint
        .map(|e| format!("\n  Endpoint  {e}"))
        .unwrap_or_default();
    let cost = if sandbox {
        render(&lab.sandbox_cost, 2)
    } else {
        render(&lab.cost, 2)
    };
    let what = |chain: String| {
        format!(
            "\n{}\n\n{}\n{chain}\n",
            style(&lab.title).bold().underlined(),
            render(&lab.summary, 2),
        )
    };
    let cost_and_where = format!(
        "\n  {}\n{}\n  {}\n  Account   {}\n  Region    {}\n  Identity  {}{endpoint}\n",
        style("What it costs").bold(),
        cost,
        style("Where").bold(),
        identity.account,
        identity.region,
        identity.arn,
    );
    let drawn = Intro {
        what: what(chain_diagram(&lab.chain, crate::markdown::terminal_width())),
        cost_and_where: cost_and_where.clone(),
    };
    match crate::markdown::terminal_height() {
        // On a short terminal the chain is listed, a line per link, not drawn.
        height @ Some(_) if !drawn.fits(height) => Intro {
            what: what(listed(&lab.chain)),
            cost_and_where,
        },
        _ => drawn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(service: &str, does: &str, then: Option<&str>) -> ChainLink {
        ChainLink {
            service: service.into(),
            part: String::new(),
            does: does.into(),
            then: then.map(str::to_string),
        }
    }

    #[test]
    fn the_chain_fits_the_terminal_side_by_side_or_one_under_the_other() {
        let chain = vec![
            link(
                "Secrets Manager",
                "a secret is read",
                Some("GetSecretValue"),
            ),
            link("CloudTrail", "records it", Some("every API call")),
            link("CloudWatch Logs", "receives it", Some("JSON records")),
            link("Metric filter", "counts it", Some("1 per read")),
            link("CloudWatch alarm", "fires", Some("into ALARM")),
            link("SNS topic", "emails", Some("✉ you")),
        ];
        let short = listed(&chain);
        assert_eq!(short.lines().count(), chain.len(), "{short}");
        assert!(
            short.contains("  Secrets Manager   a secret is read  ▶ GetSecretValue"),
            "{short}"
        );
        let wide = chain_diagram(&chain, 200);
        assert_eq!(wide.lines().count(), 4, "{wide}");
        assert!(
            wide.contains("│ CloudTrail │──▶│ CloudWatch Logs │"),
            "{wide}"
        );
        assert!(wide.contains("──▶ ✉ you"), "{wide}");
        for width in [80, 60] {
            let narrow = chain_diagram(&chain, width);
            assert!(
                narrow.lines().all(|l| l.chars().count() <= width),
                "{width} columns:\n{narrow}"
            );
            assert!(narrow.contains("▼ GetSecretValue"), "{narrow}");
            assert!(
                narrow.contains("│ Secrets Manager  │  a secret is read"),
                "{narrow}"
            );
        }
    }
}
