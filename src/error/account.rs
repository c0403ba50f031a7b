//! What lab finds in the account that stops a step: a resource it did not create,
//! and the ones cleanup could not delete.

use super::Error;

/// A resource cleanup could not delete, with why.
#[derive(Debug)]
pub struct Undeleted {
    /// What it is, as the learner says it: `bucket`, `log group`...
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Why it is still there.
    pub error: Error,
}

impl std::fmt::Display for Undeleted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} `{}`: {}", self.kind, self.name, self.error)
    }
}

/// A resource with one of the lab's names that exists without the lab's tag: someone
/// made it, perhaps the learner by hand. lab changes it only with their leave, and
/// never tags it, so cleanup leaves it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCreatedByLab {
    /// What it is, as the learner says it: `bucket`, `trail`, `secret`...
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// The lab's tag it lacks, as `key=value`.
    pub tag: String,
    /// The variable that names it, to choose another name with.
    pub variable: String,
}

impl std::fmt::Display for NotCreatedByLab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} `{}` exists and lab did not create it (it has no `{}` tag): lab will not change or tag it",
            self.kind, self.name, self.tag
        )
    }
}
