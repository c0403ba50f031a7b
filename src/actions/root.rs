//! `root.use`: one call as the account's root user, so the lab's alarm has a use of
//! root to fire on.
//!
//! lab never holds an AWS account's root credentials (there should be no root
//! access keys at all, CIS 1.4), so on AWS the learner signs in as root themselves.
//! In the sandbox, whose root needs no password, lab signs with the key that acts as
//! root there (`lab sandbox env --as root`), and the sandbox records the call as
//! CloudTrail records the root user's.

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use sandbox::identities::{Identity, access_key};

use super::{Context, Done, failed};
use crate::error::Error;

/// Lists the account's aliases as the root user: a read that changes nothing.
pub(super) async fn use_once(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    if ctx.aws.sandbox().is_none() {
        return Err(Error::OnlyYouUseRoot);
    }
    let config = ctx
        .aws
        .config()
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            access_key(&Identity::Root),
            sandbox::SECRET_KEY,
            None,
            None,
            "lab-sandbox-root",
        )))
        .build();
    aws_sdk_iam::Client::new(&config)
        .list_account_aliases()
        .send()
        .await
        .map_err(|e| failed("make a call as the root user", e))?;
    done.changed(format!(
        "made one call as the root user of {} (IAM ListAccountAliases)",
        ctx.account
    ));
    Ok(())
}
