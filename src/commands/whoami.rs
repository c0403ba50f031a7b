//! `lab whoami`: the account, identity and region lab would use, and the lab's
//! names there.

use super::{SandboxStart, aws_options, load_lab, runtime};
use crate::Outcome;
use crate::cli::GlobalOptions;
use crate::error::Error;
use crate::{aws, variables, whoami};

pub(super) fn execute(global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    // Check --set before touching AWS: a typo should not wait on the network.
    variables::resolve(&lab, None, None, &global.set)?;
    let options = aws_options(global, SandboxStart::Never)?;
    runtime()?.block_on(async {
        let aws = aws::connect(&options).await?;
        let identity = aws.identity().await?;
        let values = variables::resolve(
            &lab,
            Some(&identity.account),
            Some(&identity.region),
            &global.set,
        )?;
        let endpoint = aws.config().endpoint_url();
        print!("{}", whoami::render(&identity, endpoint, &lab, &values));
        Ok(Outcome::Success)
    })
}
