//! `secret.create` and `secret.read`.

use aws_sdk_secretsmanager::types::Tag;

use super::{Context, Done, code, failed, may_change_untagged};
use crate::error::Error;

/// The demo value stored in the secret: made up, different each time, never
/// shown and never kept by lab.
fn demo_value() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    serde_json::json!({ "The Secret is": format!("demo-{nanos:x}") }).to_string()
}

/// Stores the secret (default encryption, no rotation, tagged), or restores it when
/// lab made it and it is scheduled for deletion. A secret of that name lab did not
/// make is left alone, and the step says so.
pub(super) async fn create(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let client = ctx.aws.secretsmanager();
    let name = ctx.value("secret_name")?;
    match client.describe_secret().secret_id(name).send().await {
        Ok(secret) => {
            let tagged = secret
                .tags()
                .iter()
                .any(|t| t.key() == Some(&ctx.tag.key) && t.value() == Some(&ctx.tag.value));
            // lab changes only a secret it made: one without its tag is someone's own.
            if !tagged {
                may_change_untagged(ctx, "secret", name, "secret_name")?;
            }
            if secret.deleted_date().is_some() {
                client
                    .restore_secret()
                    .secret_id(name)
                    .send()
                    .await
                    .map_err(|e| failed("restore the secret", e))?;
                done.changed(format!(
                    "restored the secret `{name}`, which was scheduled for deletion"
                ));
            } else {
                done.kept(format!("the secret `{name}` exists"));
            }
            Ok(())
        }
        Err(e) if code(&e) == Some("ResourceNotFoundException") => {
            client
                .create_secret()
                .name(name)
                .description(ctx.value("secret_description")?)
                .secret_string(demo_value())
                .tags(
                    Tag::builder()
                        .key(&ctx.tag.key)
                        .value(&ctx.tag.value)
                        .build(),
                )
                .send()
                .await
                .map_err(|e| failed("create the secret", e))?;
            done.changed(format!("stored the secret `{name}` with a made-up value"));
            Ok(())
        }
        Err(e) => Err(failed("look for the secret", e)),
    }
}

/// Reads the secret once, so CloudTrail records a GetSecretValue; the value is
/// dropped unread: it is never printed, logged or kept. `console`: as the console
/// does when the learner opens the secret's page and chooses *Retrieve secret value*: the page shows the
/// secret's details, which DescribeSecret returns ("Retrieves the details of a
/// secret", Secrets Manager API reference), before the value is fetched. Both calls
/// are recorded by CloudTrail, and both reach the metric filter: one a read, one
/// not.
pub(super) async fn read(ctx: &Context<'_>, console: bool, done: &mut Done) -> Result<(), Error> {
    let name = ctx.value("secret_name")?;
    let client = ctx.aws.secretsmanager();
    if console {
        client
            .describe_secret()
            .secret_id(name)
            .send()
            .await
            .map_err(|e| failed("open the secret's page (DescribeSecret)", e))?;
    }
    let output = client
        .get_secret_value()
        .secret_id(name)
        .send()
        .await
        .map_err(|e| failed("read the secret", e))?;
    drop(output);
    done.kept(if console {
        format!(
            "read the secret `{name}` as the console does: its details (DescribeSecret), then its value (GetSecretValue, not shown)"
        )
    } else {
        format!("read the secret `{name}` once (its value is not shown)")
    });
    Ok(())
}
