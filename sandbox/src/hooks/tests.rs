use super::*;

/// One row per call: a second row for the same call would never be reached.
#[test]
fn each_call_is_in_the_table_once() {
    let mut seen = std::collections::HashSet::new();
    for (service, operation, _) in HOOKS {
        assert!(
            seen.insert((service, operation)),
            "{service}:{operation} twice"
        );
    }
    // Both ways of listing subscriptions show pending ones as pending.
    let of = |operation: &str| {
        HOOKS
            .iter()
            .find(|(service, op, _)| *service == "sns" && *op == operation)
            .map(|(_, _, hook)| *hook)
    };
    assert_eq!(of("ListSubscriptions"), Some(Hook::ListSubscriptions));
    assert_eq!(
        of("ListSubscriptionsByTopic"),
        Some(Hook::ListSubscriptions)
    );
    assert_eq!(of("CreateTopic"), None);
}
