//! The SNS filter-policy evaluator against the examples AWS documents, each with
//! the result the documentation gives. Transcribed from the Amazon SNS Developer
//! Guide, not generated from lab's code:
//!
//! - "Example filter policies": <https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html>
//! - "String value matching": <https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html>
//! - "Numeric value matching": <https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html>
//! - "Key matching": <https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html>
//! - "AND/OR logic": <https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html>
//! - "Amazon SNS subscription filter policies" (the acceptance rule):
//!   <https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html>
//!
//! The sandbox delivers email with this evaluator and `lab check` judges
//! subscriptions with it, so a mistake in it would make both agree; these rows are
//! what keeps it honest. Where the pages disagree with themselves (a `String.Array`
//! under `anything-but`), the row follows the page's worked example.

use std::collections::BTreeMap;

use checkers::sns_filter::{Attribute, Message, Policy, Scope, Verdict};

/// Whether AWS delivers the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delivered {
    Yes,
    No,
}

/// What a message carries, in one of the two scopes.
enum Carries {
    /// Message attributes: (name, type, value as SNS writes it).
    Attributes(&'static [(&'static str, &'static str, &'static str)]),
    /// A JSON body.
    Body(&'static str),
}

struct Row {
    page: &'static str,
    policy: &'static str,
    message: Carries,
    delivered: Delivered,
}

use Carries::{Attributes, Body};
use Delivered::{No, Yes};

/// The sample message of "Example filter policies", as attributes.
const SAMPLE_ATTRIBUTES: &[(&str, &str, &str)] = &[
    (
        "customer_interests",
        "String.Array",
        r#"["soccer", "rugby", "hockey"]"#,
    ),
    ("store", "String", "example_corp"),
    ("event", "String", "order_placed"),
    ("price_usd", "Number", "210.75"),
];

/// The same message, as a body.
const SAMPLE_BODY: &str = r#"{"customer_interests":["soccer","rugby","hockey"],"store":"example_corp","event":"order_placed","price_usd":210.75}"#;

const ROWS: &[Row] = &[
    // Example filter policies.
    Row {
        page: "Example filter policies",
        policy: r#"{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}"#,
        message: Attributes(SAMPLE_ATTRIBUTES),
        delivered: Yes,
    },
    Row {
        page: "Example filter policies",
        policy: r#"{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}"#,
        message: Body(SAMPLE_BODY),
        delivered: Yes,
    },
    Row {
        page: "Example filter policies",
        policy: r#"{"store":["example_corp"],"event":["order_cancelled"],"encrypted":[false],"customer_interests":["basketball","baseball"]}"#,
        message: Attributes(SAMPLE_ATTRIBUTES),
        delivered: No,
    },
    Row {
        page: "Example filter policies",
        policy: r#"{"store":["example_corp"],"event":["order_cancelled"],"encrypted":[false],"customer_interests":["basketball","baseball"]}"#,
        message: Body(SAMPLE_BODY),
        delivered: No,
    },
    // String value matching: exact.
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Attributes(&[("customer_interests", "String", "rugby")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Attributes(&[("customer_interests", "String", "tennis")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Attributes(&[(
            "customer_interests",
            "String.Array",
            r#"["rugby", "tennis"]"#,
        )]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Body(r#"{"customer_interests":"rugby"}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Body(r#"{"customer_interests":"tennis"}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Attributes(&[("customer_interests", "String", "baseball")]),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Attributes(&[("customer_interests", "String.Array", r#"["baseball"]"#)]),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":["rugby","tennis"]}"#,
        message: Body(r#"{"customer_interests":"baseball"}"#),
        delivered: No,
    },
    // anything-but.
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Attributes(&[("customer_interests", "String", "baseball")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Attributes(&[("customer_interests", "String", "football")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Attributes(&[(
            "customer_interests",
            "String.Array",
            r#"["rugby", "baseball"]"#,
        )]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Body(r#"{"customer_interests":"baseball"}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Body(r#"{"customer_interests":["rugby","baseball"]}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Attributes(&[("customer_interests", "String", "rugby")]),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Attributes(&[("customer_interests", "String.Array", r#"["rugby"]"#)]),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":["rugby","tennis"]}]}"#,
        message: Body(r#"{"customer_interests":["rugby"]}"#),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"event":[{"anything-but":{"prefix":"order-"}}]}"#,
        message: Attributes(&[("event", "String", "data-entry")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"event":[{"anything-but":{"prefix":"order-"}}]}"#,
        message: Attributes(&[("event", "String", "order_number")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"event":[{"anything-but":{"prefix":"order-"}}]}"#,
        message: Attributes(&[("event", "String", "order-cancelled")]),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":{"wildcard":"*ball"}}]}"#,
        message: Body(r#"{"customer_interests":["hockey","rugby","soccer"]}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":{"wildcard":"*ball"}}]}"#,
        message: Body(r#"{"customer_interests":["baseball","basketball"]}"#),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":{"suffix":"ball"}}]}"#,
        message: Body(r#"{"customer_interests":["hockey","rugby","soccer"]}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"anything-but":{"suffix":"ball"}}]}"#,
        message: Body(r#"{"customer_interests":["baseball","basketball"]}"#),
        delivered: No,
    },
    // prefix, suffix, equals-ignore-case, wildcard, cidr.
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"prefix":"bas"}]}"#,
        message: Attributes(&[("customer_interests", "String", "baseball")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"prefix":"bas"}]}"#,
        message: Body(r#"{"customer_interests":"basketball"}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"prefix":"bas"}]}"#,
        message: Attributes(&[("customer_interests", "String", "rugby")]),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"suffix":"ball"}]}"#,
        message: Attributes(&[("customer_interests", "String", "baseball")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"suffix":"ball"}]}"#,
        message: Body(r#"{"customer_interests":"basketball"}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"suffix":"ball"}]}"#,
        message: Body(r#"{"customer_interests":"rugby"}"#),
        delivered: No,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"equals-ignore-case":"tennis"}]}"#,
        message: Attributes(&[("customer_interests", "String", "TENNIS")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"equals-ignore-case":"tennis"}]}"#,
        message: Attributes(&[("customer_interests", "String", "Tennis")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"equals-ignore-case":"tennis"}]}"#,
        message: Body(r#"{"customer_interests":"teNnis"}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"customer_interests":[{"wildcard":"*ball"}]}"#,
        message: Body(r#"{"customer_interests":["baseball","basketball"]}"#),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"source_ip":[{"cidr":"10.0.0.0/24"}]}"#,
        message: Attributes(&[("source_ip", "String", "10.0.0.0")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"source_ip":[{"cidr":"10.0.0.0/24"}]}"#,
        message: Attributes(&[("source_ip", "String", "10.0.0.255")]),
        delivered: Yes,
    },
    Row {
        page: "String value matching",
        policy: r#"{"source_ip":[{"cidr":"10.0.0.0/24"}]}"#,
        message: Body(r#"{"source_ip":"10.1.1.0"}"#),
        delivered: No,
    },
    // Numeric value matching.
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":["=",301.5]}]}"#,
        message: Attributes(&[("price_usd", "Number", "301.5")]),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":["=",301.5]}]}"#,
        message: Attributes(&[("price_usd", "Number", "3.015e2")]),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":["=",301.5]}]}"#,
        message: Body(r#"{"price_usd":3.015e2}"#),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":["<",0]}]}"#,
        message: Body(r#"{"price_usd":-5}"#),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":["<",0]}]}"#,
        message: Body(r#"{"price_usd":5}"#),
        delivered: No,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":[">",0,"<=",150]}]}"#,
        message: Attributes(&[("price_usd", "Number", "150")]),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price_usd":[{"numeric":[">",0,"<=",150]}]}"#,
        message: Attributes(&[("price_usd", "Number", "150.5")]),
        delivered: No,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price":[{"anything-but":[100,500]}]}"#,
        message: Attributes(&[("price", "Number", "101")]),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price":[{"anything-but":[100,500]}]}"#,
        message: Attributes(&[("price", "Number", "100.1")]),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price":[{"anything-but":[100,500]}]}"#,
        message: Body(r#"{"price":[100,50]}"#),
        delivered: Yes,
    },
    Row {
        page: "Numeric value matching",
        policy: r#"{"price":[{"anything-but":[100,500]}]}"#,
        message: Attributes(&[("price", "Number", "100")]),
        delivered: No,
    },
    // Key matching.
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":true}]}"#,
        message: Attributes(&[
            ("store", "String", "fans"),
            (
                "customer_interests",
                "String.Array",
                r#"["baseball","basketball"]"#,
            ),
        ]),
        delivered: Yes,
    },
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":true}]}"#,
        message: Attributes(&[(
            "customer_interests",
            "String.Array",
            r#"["baseball","basketball"]"#,
        )]),
        delivered: No,
    },
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":true}]}"#,
        message: Body(r#"{"store":"fans","customer_interests":["baseball","basketball"]}"#),
        delivered: Yes,
    },
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":false}]}"#,
        message: Attributes(&[
            ("store", "String", "fans"),
            (
                "customer_interests",
                "String.Array",
                r#"["baseball","basketball"]"#,
            ),
        ]),
        delivered: No,
    },
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":false}]}"#,
        message: Attributes(&[(
            "customer_interests",
            "String.Array",
            r#"["baseball","basketball"]"#,
        )]),
        delivered: Yes,
    },
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":false}]}"#,
        message: Body(r#"{"customer_interests":["baseball","basketball"]}"#),
        delivered: Yes,
    },
    // "An empty set of attributes results in the filter not matching."
    Row {
        page: "Key matching",
        policy: r#"{"store":[{"exists":false}]}"#,
        message: Attributes(&[]),
        delivered: No,
    },
    // AND/OR logic.
    Row {
        page: "AND/OR logic",
        policy: r#"{"customer_interests":["rugby"],"price_usd":[{"numeric":[">",100]}]}"#,
        message: Attributes(&[
            ("customer_interests", "String", "rugby"),
            ("price_usd", "Number", "101"),
        ]),
        delivered: Yes,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"customer_interests":["rugby"],"price_usd":[{"numeric":[">",100]}]}"#,
        message: Attributes(&[
            ("customer_interests", "String", "rugby"),
            ("price_usd", "Number", "99"),
        ]),
        delivered: No,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"customer_interests":["rugby","football","baseball"]}"#,
        message: Attributes(&[("customer_interests", "String", "football")]),
        delivered: Yes,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
        message: Attributes(&[
            ("source", "String", "aws.cloudwatch"),
            ("metricName", "String", "CPUUtilization"),
        ]),
        delivered: Yes,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
        message: Attributes(&[
            ("source", "String", "aws.cloudwatch"),
            ("namespace", "String", "AWS/EC2"),
        ]),
        delivered: Yes,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
        message: Body(r#"{"source":"aws.cloudwatch","namespace":"AWS/EC2"}"#),
        delivered: Yes,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
        message: Attributes(&[
            ("source", "String", "aws.cloudwatch"),
            ("namespace", "String", "AWS/S3"),
        ]),
        delivered: No,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}],"detail":{"scope":["Service"],"$or":[{"source":["aws.cloudwatch"]},{"type":["CloudWatch Alarm State Change"]}]}}"#,
        message: Body(
            r#"{"metricName":"ReadLatency","detail":{"scope":"Service","type":"CloudWatch Alarm State Change"}}"#,
        ),
        delivered: Yes,
    },
    Row {
        page: "AND/OR logic",
        policy: r#"{"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}],"detail":{"scope":["Service"],"$or":[{"source":["aws.cloudwatch"]},{"type":["CloudWatch Alarm State Change"]}]}}"#,
        message: Body(
            r#"{"metricName":"ReadLatency","detail":{"scope":"Account","type":"CloudWatch Alarm State Change"}}"#,
        ),
        delivered: No,
    },
];

fn judge(row: &Row) -> Verdict {
    let policy = Policy::parse(row.policy).expect("a documented policy parses");
    match row.message {
        Attributes(attributes) => {
            let attributes: BTreeMap<String, Attribute> = attributes
                .iter()
                .map(|(name, kind, value)| {
                    let value = value.to_string();
                    let attribute = match *kind {
                        "String" => Attribute::String(value),
                        "Number" => Attribute::Number(value),
                        "String.Array" => Attribute::StringArray(value),
                        other => panic!("no attribute type {other}"),
                    };
                    (name.to_string(), attribute)
                })
                .collect();
            policy.accepts(
                Scope::MessageAttributes,
                &Message {
                    attributes: &attributes,
                    body: "{}",
                },
            )
        }
        Body(body) => policy.accepts(
            Scope::MessageBody,
            &Message {
                attributes: &BTreeMap::new(),
                body,
            },
        ),
    }
}

#[test]
fn every_documented_example_comes_out_as_documented() {
    let mut wrong = Vec::new();
    for row in ROWS {
        let verdict = judge(row);
        let delivered = match &verdict {
            Verdict::Accepts => Yes,
            Verdict::Rejects(_) => No,
            Verdict::Unknown(why) => {
                wrong.push(format!("{}: {} is undecided: {why}", row.page, row.policy));
                continue;
            }
        };
        if delivered != row.delivered {
            wrong.push(format!(
                "{}: {} gives {verdict:?}, the page says {:?}",
                row.page, row.policy, row.delivered
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn an_or_that_is_not_one_is_a_property_name() {
    // "AND/OR logic": `{"$or": [{"numeric": 123}, {"prefix": "abc"}]}` is not parsed
    // as an OR (its alternatives use operator names), so `$or` is a property the
    // message must have.
    let policy = Policy::parse(r#"{"$or":[{"numeric":123},{"prefix":"abc"}]}"#).unwrap();
    let verdict = policy.accepts(
        Scope::MessageBody,
        &Message {
            attributes: &BTreeMap::new(),
            body: r#"{"a":"abc"}"#,
        },
    );
    assert!(matches!(verdict, Verdict::Rejects(_)), "{verdict:?}");
}
