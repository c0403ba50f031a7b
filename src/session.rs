//! The lab in one account: who and where, the variables' values there, and the
//! resource names they give. Every command that works in an account starts here,
//! and this is the one place the variables are resolved.

use checkers::judge::Teaching;
use checkers::snapshot::Names;

use crate::actions::Context;
use crate::aws::{Aws, Identity};
use crate::error::Error;
use crate::lesson::Lab;
use crate::progress::{Progress, Store};
use crate::variables::{Assignments, Values, resolve};

/// The variables `lab check` and the actions read the chain's resource names from;
/// `lab lessons lint` checks that every lab defines them all.
pub const NAME_VARIABLES: [&str; 8] = [
    "trail_name",
    "bucket_name",
    "log_group",
    "role_name",
    "namespace",
    "metric_name",
    "alarm_name",
    "topic_name",
];

/// A lab opened in an account: `lab run`, `status`, `reset`, `cleanup`, `check` and
/// `whoami` all start here.
pub struct Session<'l> {
    /// The lab.
    pub lab: &'l Lab,
    /// The client factory.
    pub aws: Aws,
    /// Who and where.
    pub identity: Identity,
    /// The values given for the lab's variables.
    pub assignments: Assignments,
    /// The variables' values in this account and region.
    pub values: Values,
    /// The resource names.
    pub names: Names,
    /// What the lessons teach, as verdicts and fixes cite it.
    pub teaching: Teaching,
}

/// The learner's progress in one lab, account and region, and where it is kept.
pub struct Saved {
    /// Where progress is saved.
    pub store: Store,
    /// The progress saved so far (empty on a first visit).
    pub progress: Progress,
}

impl<'l> Session<'l> {
    /// Asks AWS who we are, then resolves the lab's variables there.
    pub async fn open(
        lab: &'l Lab,
        aws: Aws,
        assignments: &Assignments,
    ) -> Result<Session<'l>, Error> {
        let identity = aws.identity().await?;
        Self::in_account(lab, aws, identity, assignments)
    }

    /// The same, where AWS has already said who we are (a role assumed to grade a
    /// student's account).
    pub fn in_account(
        lab: &'l Lab,
        aws: Aws,
        identity: Identity,
        assignments: &Assignments,
    ) -> Result<Session<'l>, Error> {
        let (values, names, teaching) = resolved(lab, &identity, assignments)?;
        Ok(Session {
            lab,
            aws,
            identity,
            assignments: assignments.clone(),
            values,
            names,
            teaching,
        })
    }

    /// The learner's progress here, for the commands that keep it: its saved
    /// answers join the assignments, behind those given now.
    pub fn recall(&mut self) -> Result<Saved, Error> {
        let store = Store::default_location()?;
        let progress = store.load(&self.lab.id, &self.identity.account, &self.identity.region)?;
        let assignments = self.assignments.over(self.lab, &progress.answers);
        self.reassign(assignments)?;
        Ok(Saved { store, progress })
    }

    /// An answer the learner just gave to the guide's question about `name`.
    pub fn answer(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let mut assignments = self.assignments.clone();
        assignments.answer(name, value);
        self.reassign(assignments)
    }

    /// Resolves the variables again with `assignments`.
    fn reassign(&mut self, assignments: Assignments) -> Result<(), Error> {
        (self.values, self.names, self.teaching) =
            resolved(self.lab, &self.identity, &assignments)?;
        self.assignments = assignments;
        Ok(())
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

/// The lab's variables in `identity`'s account and region, the resource names they
/// give, and what the lessons teach with them: the one place values are resolved.
fn resolved(
    lab: &Lab,
    identity: &Identity,
    assignments: &Assignments,
) -> Result<(Values, Names, Teaching), Error> {
    let values = resolve(
        lab,
        Some(&identity.account),
        Some(&identity.region),
        assignments,
    )?;
    let names = names(&values)?;
    let teaching = teaching(lab, &values);
    Ok((values, names, teaching))
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

/// The variable naming the lab's secret, for a lab that has one: `lab lessons
/// lint` asks for it where a check or an action needs the secret.
pub const SECRET_VARIABLE: &str = "secret_name";

/// The resource names, from the resolved variables.
pub fn names(values: &Values) -> Result<Names, Error> {
    let get = |name: &str| {
        values.0.get(name).cloned().ok_or_else(|| Error::NoValue {
            variable: name.to_string(),
            what: name.to_string(),
            context: None,
        })
    };
    let [
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
        secret: values.0.get(SECRET_VARIABLE).cloned(),
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
