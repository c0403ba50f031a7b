//! The links in the sandbox's emails, opened in a browser: confirm a subscription,
//! or unsubscribe, as the links in SNS's own emails do.

use hyper::StatusCode;

use super::answer::{Answer, typed};
use super::sns;
use super::state::Sandbox;
use super::xml::element;

/// Whether a query string is that of a link from one of the sandbox's emails.
pub fn is_link(query: Option<&str>) -> bool {
    let form = super::call::form(query.unwrap_or("").as_bytes());
    matches!(
        form.get("Action").map(String::as_str),
        Some("ConfirmSubscription" | "Unsubscribe")
    )
}

/// A link from an email, opened in a browser: confirm a subscription or unsubscribe.
pub async fn link(sandbox: &Sandbox, query: &str) -> Answer {
    let form = super::call::form(query.as_bytes());
    let page = |status: StatusCode, title: &str, detail: &str| {
        typed(
            status,
            "text/html; charset=utf-8",
            format!(
                "<!doctype html>{}{}{}",
                element("title", title),
                element("h1", title),
                element("p", detail)
            ),
        )
    };
    match form.get("Action").map(String::as_str) {
        Some("ConfirmSubscription") => {
            let topic = form.get("TopicArn").cloned().unwrap_or_default();
            let token = form.get("Token").cloned().unwrap_or_default();
            match sns::confirm(&mut sandbox.world(), &topic, &token) {
                Some(arn) => page(
                    StatusCode::OK,
                    "Subscription confirmed!",
                    &format!("You have successfully subscribed. Your subscription's id is: {arn}"),
                ),
                None => page(
                    StatusCode::BAD_REQUEST,
                    "Invalid token",
                    "This link is not one the sandbox sent.",
                ),
            }
        }
        Some("Unsubscribe") => {
            let arn = form.get("SubscriptionArn").cloned().unwrap_or_default();
            let Some(checkers::arn::Arn {
                region, account, ..
            }) = checkers::arn::Arn::parse(&arn)
            else {
                return page(
                    StatusCode::BAD_REQUEST,
                    "Invalid link",
                    "No subscription ARN.",
                );
            };
            let Some(key) = sandbox.world().access_key_for(account) else {
                return page(StatusCode::NOT_FOUND, "Not found", "No such subscription.");
            };
            let outcome = sandbox
                .backend
                .as_caller(&key, region)
                .sns
                .unsubscribe()
                .subscription_arn(&arn)
                .send()
                .await;
            match outcome {
                Ok(_) => page(
                    StatusCode::OK,
                    "Subscription removed!",
                    &format!("{arn} is unsubscribed."),
                ),
                Err(e) => page(
                    StatusCode::BAD_REQUEST,
                    "Not removed",
                    &super::backend::explain(&e),
                ),
            }
        }
        _ => page(
            StatusCode::NOT_FOUND,
            "Not found",
            "The sandbox has nothing here.",
        ),
    }
}
