//! The lab in one account: who and where, the variables' values there, and the
//! resource names they give. `lab check`, `lab run` and `lab cleanup` all start here.

use checkers::judge::Teaching;
use checkers::snapshot::Names;

use crate::actions::Context;
use crate::aws::{Aws, AwsOptions, Identity, connect};
use crate::error::Error;
use crate::lesson::Lab;
use crate::progress::{Progress, Store};
use crate::variables::{Values, resolve};

/// The variables `lab check` and the actions read resource names from; `lab
/// lessons lint` checks that a lesson set defines them all.
pub const NAME_VARIABLES: [&str; 9] = [
    "secret_name",
    "trail_name",
    "bucket_name",
    "log_group",
    "role_name",
    "namespace",
    "metric_name",
    "alarm_name",
    "topic_name",
];

/// The start of every command that keeps the learner's progress (`run`, `status`,
/// `reset`, `cleanup`): connected, knowing who and where, with the progress saved
/// for this lab, account and region.
pub struct Opening {
    /// The client factory.
    pub aws: Aws,
    /// Who and where.
    pub identity: Identity,
    /// Where progress is saved.
    pub store: Store,
    /// The progress saved so far (empty on a first visit).
    pub progress: Progress,
}

impl Opening {
    /// Connects as `options` say, asks AWS who we are, and loads the progress.
    pub async fn open(lab: &Lab, options: &AwsOptions) -> Result<Opening, Error> {
        let aws = connect(options).await?;
        let identity = aws.identity().await?;
        let store = Store::default_location()?;
        let progress = store.load(&lab.id, &identity.account, &identity.region)?;
        Ok(Opening {
            aws,
            identity,
            store,
            progress,
        })
    }

    /// The variable assignments in force: the answers saved before, then `set`,
    /// which wins over them.
    pub fn assignments(&self, set: &[(String, String)]) -> Vec<(String, String)> {
        let mut values: Vec<(String, String)> = self
            .progress
            .answers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        values.extend(set.iter().cloned());
        values
    }
}

/// A lab opened in an account.
pub struct Session<'l> {
    /// The lab.
    pub lab: &'l Lab,
    /// The client factory.
    pub aws: Aws,
    /// Who and where.
    pub identity: Identity,
    /// The variables' values in this account and region.
    pub values: Values,
    /// The resource names.
    pub names: Names,
    /// What the lessons teach, as verdicts and fixes cite it.
    pub teaching: Teaching,
}

impl<'l> Session<'l> {
    /// Asks AWS who we are, then resolves the variables (`set` overrides them).
    pub async fn open(
        lab: &'l Lab,
        aws: Aws,
        set: &[(String, String)],
    ) -> Result<Session<'l>, Error> {
        let identity = aws.identity().await?;
        Self::with_identity(lab, aws, identity, set)
    }

    /// The same, for a caller that has already asked AWS who we are.
    pub fn with_identity(
        lab: &'l Lab,
        aws: Aws,
        identity: Identity,
        set: &[(String, String)],
    ) -> Result<Session<'l>, Error> {
        let values = resolve(lab, Some(&identity.account), Some(&identity.region), set)?;
        let names = names(&values)?;
        let teaching = teaching(lab, &values);
        Ok(Session {
            lab,
            aws,
            identity,
            values,
            names,
            teaching,
        })
    }

    /// What an action needs.
    pub fn context(&self) -> Context<'_> {
        Context {
            aws: &self.aws,
            names: &self.names,
            teaching: &self.teaching,
            values: &self.values,
            tag: &self.lab.tag,
            account: &self.identity.account,
            region: &self.identity.region,
            caller: &self.identity.arn,
            adopted: &[],
        }
    }
}

/// What `lab`'s lessons teach, with these variable values: the stage of the step
/// that uses each check, and the filter pattern (`filter_pattern`).
pub fn teaching(lab: &Lab, values: &Values) -> Teaching {
    Teaching {
        stages: checkers::CATALOGUE
            .iter()
            .filter_map(|spec| Some((spec.check, lab.stage_of_check(spec.id)?)))
            .collect(),
        pattern: values.0.get("filter_pattern").cloned().unwrap_or_default(),
    }
}

/// The resource names, from the resolved variables.
pub fn names(values: &Values) -> Result<Names, Error> {
    let get = |name: &str| {
        values.0.get(name).cloned().ok_or_else(|| {
            Error::usage(
                format!("the lab variable `{name}` has no value"),
                format!("give it one with --set {name}=..."),
            )
        })
    };
    let [
        secret,
        trail,
        bucket,
        log_group,
        role,
        namespace,
        metric,
        alarm,
        topic,
    ] = NAME_VARIABLES.map(get);
    Ok(Names {
        secret: secret?,
        trail: trail?,
        bucket: bucket?,
        log_group: log_group?,
        role: role?,
        namespace: namespace?,
        metric: metric?,
        alarm: alarm?,
        topic: topic?,
    })
}
