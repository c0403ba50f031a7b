//! Whether the lab is gone: its four main resources, those the scope read and then
//! those it did not, so that every scope grades the same account the same way.

use super::requests::Calls;
use super::{Clients, cloudtrail, cloudwatch, secretsmanager, sns};
use crate::arn::last_name;
use crate::snapshot::{Alarm, Names, Read, ReadError, ReadErrorKind, Secret, Trail};

/// Whether every resource of the lab that was read is gone (the secret at most
/// scheduled for deletion), at least one was read, and none was unreadable.
fn gone_as_read(
    names: &Names,
    secret: &Read<Option<Secret>>,
    trails: &Read<Vec<Trail>>,
    alarms: &Read<Vec<Alarm>>,
    topics: &Read<Vec<String>>,
) -> bool {
    let views = [
        secret
            .as_ref()
            .map(|s| s.as_ref().is_none_or(|s| s.deleted_date.is_some())),
        trails
            .as_ref()
            .map(|t| !t.iter().any(|t| t.name == names.trail)),
        alarms
            .as_ref()
            .map(|a| !a.iter().any(|a| a.name == names.alarm)),
        topics
            .as_ref()
            .map(|t| !t.iter().any(|arn| last_name(arn) == names.topic)),
    ];
    if views
        .iter()
        .any(|v| matches!(v, Err(e) if e.kind != ReadErrorKind::NotRead))
    {
        return false;
    }
    let read: Vec<bool> = views
        .iter()
        .filter_map(|v| v.as_ref().ok().copied())
        .collect();
    !read.is_empty() && read.into_iter().all(|gone| gone)
}

/// Whether the lab's four main resources are all gone: those the scope read, and
/// then (only when those are) the ones it did not, read now to decide.
pub(super) async fn lab_gone(
    c: &Clients,
    calls: &Calls,
    names: &Names,
    secret: &Read<Option<Secret>>,
    trails: &Read<Vec<Trail>>,
    alarms: &Read<Vec<Alarm>>,
    topics: &Read<Vec<String>>,
) -> bool {
    if !gone_as_read(names, secret, trails, alarms, topics) {
        return false;
    }
    let unread = |e: &ReadError| e.kind == ReadErrorKind::NotRead;
    let secret = match secret {
        Err(e) if unread(e) => secretsmanager::secret(c, calls, names.secret.as_deref()).await,
        other => other.clone(),
    };
    let trails = match trails {
        Err(e) if unread(e) => cloudtrail::trails(c, calls).await,
        other => other.clone(),
    };
    let alarms = match alarms {
        Err(e) if unread(e) => cloudwatch::alarms(c, calls).await,
        other => other.clone(),
    };
    let topics = match topics {
        Err(e) if unread(e) => sns::topics(c, calls).await,
        other => other.clone(),
    };
    // Nothing is unread now: a read that failed is "not gone".
    gone_as_read(names, &secret, &trails, &alarms, &topics)
}
