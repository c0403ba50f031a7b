//! Amazon Resource Names: the one place that takes them apart.
//! `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, where the resource part may
//! itself hold `:` and `/`.

/// An ARN, split into its parts (borrowed from the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: &'a str,
    /// The service: `iam`, `sns`, `logs`...
    pub service: &'a str,
    /// The region; empty for global services (IAM, S3).
    pub region: &'a str,
    /// The account id; empty for S3 buckets.
    pub account: &'a str,
    /// The rest: `role/Name`, `log-group:NAME:*`, a topic's name...
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits `text`; `None` when it is not an ARN.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }
}

/// The last segment of an ARN's resource part: a role's name, a topic's name.
pub fn last_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// The group name in a log group ARN: `arn:aws:logs:R:A:log-group:NAME:*` → `NAME`
/// (a name may hold `:` and `/`); anything else is taken as a name already.
pub fn log_group_name(arn: &str) -> String {
    let rest = arn.split_once(":log-group:").map_or(arn, |(_, rest)| rest);
    rest.strip_suffix(":*").unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_an_arn() {
        let arn = Arn::parse("arn:aws:sts::111111111111:assumed-role/Admin/alice").unwrap();
        assert_eq!(arn.service, "sts");
        assert_eq!(arn.region, "");
        assert_eq!(arn.account, "111111111111");
        assert_eq!(arn.resource, "assumed-role/Admin/alice");
        let group = Arn::parse("arn:aws:logs:us-east-1:1:log-group:a:b:*").unwrap();
        assert_eq!(group.resource, "log-group:a:b:*");
        assert_eq!(Arn::parse("not:an:arn"), None);
        assert_eq!(Arn::parse("arn:aws:sns"), None);
    }

    #[test]
    fn names_from_arns() {
        assert_eq!(
            log_group_name("arn:aws:logs:us-east-1:1:log-group:my-group:*"),
            "my-group"
        );
        assert_eq!(
            log_group_name("arn:aws:logs:us-east-1:1:log-group:/aws/a:b"),
            "/aws/a:b"
        );
        assert_eq!(log_group_name("plain-name"), "plain-name");
        assert_eq!(
            last_name("arn:aws:iam::1:role/service-role/MyRole"),
            "MyRole"
        );
        assert_eq!(
            last_name("arn:aws:sns:us-east-1:1:SecurityAlarms"),
            "SecurityAlarms"
        );
    }
}
