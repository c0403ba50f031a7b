//! Acting as someone else in the sandbox: `lab sandbox env --as root` (or
//! `user/NAME`, `role/NAME`) gives credentials whose calls CloudTrail records as that
//! identity, so a lab can have the learner use the root user, or a colleague, without
//! an account to do it in.
//!
//! moto checks no signatures and knows one caller, so the identity travels in the
//! access key itself: [`access_key`] spells it, [`principal`] reads it back. Keys
//! the sandbox did not make are asked of moto's STS as before.
//!
//! `--via SERVICE` makes the same identity's calls as a service makes them for it
//! (CloudFormation creating a stack's resources, say): CloudTrail then writes the
//! service in `userIdentity.invokedBy`, and as the call's source address and user
//! agent. Such calls are why a root-usage alarm tests `invokedBy`.
//!
//! What CloudTrail writes for each is in "CloudTrail userIdentity element"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html>):
//! the root user's `principalId` is the account id and its ARN `arn:aws:iam::ACCOUNT:root`;
//! an IAM user's ARN is `…:user/NAME`; a role's session is `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`.

use std::fmt;
use std::str::FromStr;

use crate::world::Principal;

/// Who the learner acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// The account's root user.
    Root,
    /// An IAM user of that name.
    User(String),
    /// A session of the IAM role of that name.
    Role(String),
}

/// The start of every access key that names an identity.
const PREFIX: &str = "LABAS";

/// The session name a role's calls are recorded with.
pub const SESSION: &str = "lab-session";

impl FromStr for Identity {
    type Err = String;

    /// `root`, `user/NAME` or `role/NAME`, with IAM's characters in names.
    fn from_str(text: &str) -> Result<Self, String> {
        let named = |name: &str| {
            let fits = !name.is_empty()
                && name.len() <= 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
            fits.then(|| name.to_string()).ok_or_else(|| {
                format!("`{name}` is not an IAM name (letters, digits and +=,.@_- up to 64)")
            })
        };
        match text.split_once('/') {
            None if text == "root" => Ok(Identity::Root),
            Some(("user", name)) => Ok(Identity::User(named(name)?)),
            Some(("role", name)) => Ok(Identity::Role(named(name)?)),
            _ => Err(format!(
                "`{text}` is not an identity: use `root`, `user/NAME` or `role/NAME`"
            )),
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Root => write!(f, "root"),
            Identity::User(name) => write!(f, "user/{name}"),
            Identity::Role(name) => write!(f, "role/{name}"),
        }
    }
}

/// Between an identity and the service acting for it, in a key's text.
const VIA: &str = " via ";

/// An AWS service that acts for callers, as CloudTrail names it in `invokedBy`:
/// `NAME.amazonaws.com`, in lower case.
pub fn service(text: &str) -> Result<String, String> {
    let name = text.strip_suffix(".amazonaws.com").unwrap_or_default();
    let fits = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    fits.then(|| text.to_string()).ok_or_else(|| {
        format!(
            "`{text}` is not a service as CloudTrail names it: use its endpoint name, e.g. cloudformation.amazonaws.com"
        )
    })
}

/// The access key that acts as `identity` (through the service `via`, when given):
/// the prefix, then the identity in upper-case hexadecimal (access keys are letters
/// and digits).
pub fn access_key(identity: &Identity) -> String {
    access_key_via(identity, None)
}

/// [`access_key`], with the calls made by the service `via` for the identity.
pub fn access_key_via(identity: &Identity, via: Option<&str>) -> String {
    let text = match via {
        Some(service) => format!("{identity}{VIA}{service}"),
        None => identity.to_string(),
    };
    let hex: String = text.bytes().map(|b| format!("{b:02X}")).collect();
    format!("{PREFIX}{hex}")
}

/// The identity an access key acts as, and the service acting for it, if the
/// sandbox made the key.
pub fn acting(access_key: &str) -> Option<(Identity, Option<String>)> {
    let hex = access_key.strip_prefix(PREFIX)?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    match text.split_once(VIA) {
        Some((who, via)) => Some((who.parse().ok()?, Some(service(via).ok()?))),
        None => Some((text.parse().ok()?, None)),
    }
}

/// Who signs with `access_key` in `account`, when the key names an identity.
pub fn principal(access_key: &str, account: &str) -> Option<Principal> {
    let (identity, invoked_by) = acting(access_key)?;
    let arn = match identity {
        Identity::Root => format!("arn:aws:iam::{account}:root"),
        Identity::User(name) => format!("arn:aws:iam::{account}:user/{name}"),
        Identity::Role(name) => format!("arn:aws:sts::{account}:assumed-role/{name}/{SESSION}"),
    };
    Some(Principal {
        access_key: access_key.to_string(),
        account: account.to_string(),
        arn,
        invoked_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_travels_in_its_key_and_back() {
        for text in [
            "root",
            "user/alice",
            "role/ci-deployer",
            "user/a.b@c+d=e,f_g-h",
        ] {
            let identity: Identity = text.parse().unwrap();
            let key = access_key(&identity);
            assert!(key.chars().all(|c| c.is_ascii_alphanumeric()), "{key}");
            assert_eq!(acting(&key), Some((identity, None)));
        }
        assert_eq!(acting(crate::ACCESS_KEY), None);
        assert_eq!(acting("LABAS7"), None);
        assert_eq!(acting("LABASZZ"), None);
    }

    #[test]
    fn names_iam_would_refuse_are_refused() {
        for text in ["", "admin", "user/", "role/a b", "group/x", "user/x/y"] {
            assert!(text.parse::<Identity>().is_err(), "{text}");
        }
    }

    #[test]
    fn principals_are_what_cloudtrail_names() {
        let root = principal(&access_key(&Identity::Root), "111122223333").unwrap();
        assert_eq!(root.arn, "arn:aws:iam::111122223333:root");
        let role = principal(&access_key(&"role/app".parse().unwrap()), "111122223333").unwrap();
        assert_eq!(
            role.arn,
            "arn:aws:sts::111122223333:assumed-role/app/lab-session"
        );
        assert_eq!(principal(crate::ACCESS_KEY, "111122223333"), None);
        assert_eq!(root.invoked_by, None);
    }

    #[test]
    fn a_service_acting_for_an_identity_travels_in_the_key_too() {
        let key = access_key_via(&Identity::Root, Some("cloudformation.amazonaws.com"));
        assert!(key.chars().all(|c| c.is_ascii_alphanumeric()), "{key}");
        let root = principal(&key, "111122223333").unwrap();
        assert_eq!(root.arn, "arn:aws:iam::111122223333:root");
        assert_eq!(
            root.invoked_by.as_deref(),
            Some("cloudformation.amazonaws.com")
        );
        assert_eq!(acting(&key).map(|(who, _)| who), Some(Identity::Root));
        for bad in [
            "cloudformation",
            "CloudFormation.amazonaws.com",
            ".amazonaws.com",
            "a b.amazonaws.com",
        ] {
            assert!(service(bad).is_err(), "{bad}");
        }
    }
}
