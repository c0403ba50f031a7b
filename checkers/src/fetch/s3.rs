//! S3: whether a bucket exists.

use super::{Calls, Clients, is_not_found};
use crate::read_error::{classify, code, status};
use crate::snapshot::Read;

pub(super) async fn bucket_exists(c: &Clients, calls: &Calls, bucket: &str) -> Read<bool> {
    calls.tick();
    match c.s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(true),
        Err(e) if status(&e) == Some(404) || is_not_found(code(&e)) => Ok(false),
        Err(e) => Err(classify("s3:ListBucket", &e)),
    }
}
