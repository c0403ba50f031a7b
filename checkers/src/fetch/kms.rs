//! KMS: the key an encrypted topic names, and its key policy.

use super::{Calls, Clients};
use crate::read_error::classify;
use crate::snapshot::{Key, Read};

pub(super) async fn topic_key(c: &Clients, calls: &Calls, key: &str) -> Read<Key> {
    let tick = || calls.tick();
    read_key(&c.kms, key, &tick).await
}

/// The key `key` (an id, an ARN or an alias) names, with its key policy. `tick` is
/// called once per request. The sandbox reads a topic's key this way too.
pub async fn read_key(kms: &aws_sdk_kms::Client, key: &str, tick: &(dyn Fn() + Sync)) -> Read<Key> {
    use aws_sdk_kms::types::KeyManagerType;
    tick();
    let described = kms
        .describe_key()
        .key_id(key)
        .send()
        .await
        .map_err(|e| classify("kms:DescribeKey", &e))?;
    let metadata = described.key_metadata();
    let id = metadata.map(|m| m.key_id()).unwrap_or(key);
    tick();
    let policy = kms
        .get_key_policy()
        .key_id(id)
        .policy_name("default")
        .send()
        .await
        .map_err(|e| classify("kms:GetKeyPolicy", &e))?;
    Ok(Key {
        arn: metadata.and_then(|m| m.arn()).unwrap_or(key).to_string(),
        aws_managed: metadata.and_then(|m| m.key_manager()) == Some(&KeyManagerType::Aws),
        state: metadata
            .and_then(|m| m.key_state())
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        policy: policy.policy().unwrap_or_default().to_string(),
    })
}
