//! `lab whoami`: the full path from the standard AWS configuration chain to a real
//! call, and the messages for a missing region, missing credentials and bad values.

use crate::support::moto::{self, DEFAULT_ACCOUNT, REGION};
use crate::support::{lab, run};

fn with_test_keys(command: &mut std::process::Command) -> &mut std::process::Command {
    command
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
}

#[test]
fn shows_account_region_and_the_lab_names_there() {
    let home = tempfile::tempdir().unwrap();
    let endpoint = moto::endpoint();
    let ran = run(with_test_keys(&mut lab(home.path()))
        .args(["whoami", "--region", REGION, "--endpoint-url", &endpoint])
        .args(["--set", "email=learner@example.com"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout.contains(&format!("Account   {DEFAULT_ACCOUNT}")),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains(&format!("Region    {REGION}")),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains(&format!("Endpoint  {endpoint}")),
        "{}",
        ran.stdout
    );
    // The bucket name is derived from the real account and region.
    assert!(
        ran.stdout
            .contains(&format!("secrets-manager-trail-{DEFAULT_ACCOUNT}-{REGION}")),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("learner@example.com"), "{}", ran.stdout);
}

#[test]
fn reads_region_and_endpoint_from_the_standard_environment() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(with_test_keys(&mut lab(home.path()))
        .arg("whoami")
        .env("AWS_REGION", "eu-west-2")
        .env("AWS_ENDPOINT_URL", moto::endpoint()));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stdout.contains("Region    eu-west-2"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("email") && ran.stdout.contains("(asked when needed)"),
        "{}",
        ran.stdout
    );
}

#[test]
fn no_region_says_how_to_set_one() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(with_test_keys(&mut lab(home.path())).arg("whoami"));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("no AWS region is set"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("--region"), "{}", ran.stderr);
}

#[test]
fn no_credentials_says_how_to_sign_in() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).args(["whoami", "--region", REGION]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("no AWS credentials found"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("aws sso login"), "{}", ran.stderr);
}

#[test]
fn a_wrong_region_name_is_refused_before_any_call() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(with_test_keys(&mut lab(home.path())).args(["whoami", "--region", "us-easst"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("`us-easst` is not an AWS region name"),
        "{}",
        ran.stderr
    );
}

#[test]
fn an_unknown_variable_or_a_bad_value_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).args(["whoami", "--set", "emial=a@b.co"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("the lab has no variable `emial`"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("secret_name"),
        "the help lists the variables: {}",
        ran.stderr
    );

    let ran = run(lab(home.path()).args(["whoami", "--set", "bucket_name=Not_A_Bucket"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("is not a valid S3 bucket name"),
        "{}",
        ran.stderr
    );
}

#[test]
fn an_endpoint_that_is_not_a_url_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(with_test_keys(&mut lab(home.path())).args([
        "whoami",
        "--region",
        REGION,
        "--endpoint-url",
        "127.0.0.1:5000",
    ]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("is not an http:// or https:// URL"),
        "{}",
        ran.stderr
    );
}
