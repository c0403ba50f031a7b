//! `lab whoami`: the account, identity and region `lab` would use, and the names of
//! the lab's resources there, so a learner can see where they are before anything
//! happens.

use crate::session::Session;

/// The report, as printed.
pub fn render(session: &Session<'_>) -> String {
    let (identity, lab, values) = (&session.identity, session.lab, &session.values);
    let endpoint = session.aws.config().endpoint_url();
    let mut out = String::new();
    out.push_str(&format!("Account   {}\n", identity.account));
    out.push_str(&format!("Identity  {}\n", identity.arn));
    out.push_str(&format!("Region    {}\n", identity.region));
    if let Some(endpoint) = endpoint {
        out.push_str(&format!("Endpoint  {endpoint}\n"));
    }
    out.push_str(&format!("\n{} uses these names here:\n", lab.title));
    let width = lab
        .variables
        .iter()
        .map(|v| v.name.len())
        .max()
        .unwrap_or(0);
    for variable in &lab.variables {
        let value = values
            .0
            .get(&variable.name)
            .cloned()
            .unwrap_or_else(|| "(asked when needed)".to_string());
        out.push_str(&format!("  {:width$}  {value}\n", variable.name));
    }
    out
}
