//! Faults between `lab` and AWS, injected by a loopback proxy in front of moto:
//! each command ends within its time limit with a message that fits the cause and
//! the right exit code, and running it again once the fault is gone finishes the job.

use std::time::{Duration, Instant};

use crate::support::faults::{Fault, Proxy};
use crate::support::moto::{self, TestAccount};
use crate::support::{Ran, run};

/// `lab` acting in `account` through `proxy`, with its progress kept in `home`.
fn lab_via(account: &TestAccount, proxy: &Proxy, home: &std::path::Path) -> std::process::Command {
    let mut command = account.lab(home);
    command
        .env("AWS_ENDPOINT_URL", proxy.url())
        .env("LAB_STATE_DIR", home.join("state"));
    command
}

fn timed(command: &mut std::process::Command) -> (Ran, Duration) {
    let started = Instant::now();
    let ran = run(command);
    (ran, started.elapsed())
}

use crate::support::faults::FAULTS;

#[tokio::test]
async fn check_names_each_fault_ends_in_time_and_grades_once_it_is_gone() {
    let account = moto::account().await;
    crate::support::build::build(&account, 1).await;
    let home = tempfile::tempdir().unwrap();
    let proxy = Proxy::start(&moto::endpoint(), Fault::Pass);
    let check = || {
        let mut command = lab_via(&account, &proxy, home.path());
        command.args(["check", "--stage", "1", "--timeout", "3"]);
        command
    };
    for fault in FAULTS {
        // At the first call (who am I?): nothing to grade, exit 2, the cause named.
        proxy.set(fault);
        let (ran, took) = timed(&mut check());
        assert_eq!(ran.code, 2, "{fault:?}: {}{}", ran.stdout, ran.stderr);
        assert!(took < Duration::from_secs(20), "{fault:?} took {took:?}");
        let said = ran.stderr.to_lowercase();
        assert!(
            said.contains(&fault.said_as().to_lowercase()),
            "{fault:?}: {said}"
        );
        assert!(
            !said.contains(" warn "),
            "no SDK chatter without -v: {said}"
        );
        if fault == Fault::Throttle {
            assert!(said.contains("wait a minute"), "{said}");
        } else {
            assert!(
                !said.contains("credentials"),
                "{fault:?} is not about credentials: {said}"
            );
        }
        // Past it (the reads): the check is not graded, not failed.
        proxy.fault_after(1, fault);
        let (ran, took) = timed(&mut check());
        assert_eq!(ran.code, 2, "{fault:?}: {}{}", ran.stdout, ran.stderr);
        assert!(took < Duration::from_secs(20), "{fault:?} took {took:?}");
        assert!(
            ran.stdout.contains("1 not graded"),
            "{fault:?}: {}",
            ran.stdout
        );
        assert!(
            ran.stdout
                .to_lowercase()
                .contains(&fault.said_as().to_lowercase()),
            "{fault:?}: {}",
            ran.stdout
        );
    }
    // A slow answer within the limit is just slow.
    proxy.set(Fault::Slow(Duration::from_millis(300)));
    let ran = run(&mut check());
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    proxy.set(Fault::Pass);
    let ran = run(&mut check());
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("1/1 points"), "{}", ran.stdout);
}

/// Runs `command` through `proxy` with `fault` striking after `passes` requests:
/// it must fail within its limit, naming the fault; then, with the fault gone, the
/// same command must finish the job, and `lab check --stage STAGE` pass (when a
/// stage is given). What the faulty run said, for more assertions.
fn fails_then_finishes(
    account: &TestAccount,
    proxy: &Proxy,
    home: &std::path::Path,
    (fault, passes): (Fault, usize),
    args: &[&str],
    stage: Option<&str>,
) -> String {
    let command = || {
        let mut command = lab_via(account, proxy, home);
        command.args(args);
        command
    };
    proxy.fault_after(passes, fault);
    let (ran, took) = timed(&mut command());
    assert_ne!(ran.code, 0, "{fault:?}: {}{}", ran.stdout, ran.stderr);
    assert!(took < Duration::from_secs(40), "{fault:?} took {took:?}");
    let said = format!("{}{}", ran.stdout, ran.stderr);
    assert!(
        said.to_lowercase().contains(fault.said_as()),
        "{fault:?}: {said}"
    );
    proxy.set(Fault::Pass);
    let ran = run(&mut command());
    assert_eq!(ran.code, 0, "{fault:?}: {}{}", ran.stdout, ran.stderr);
    if let Some(stage) = stage {
        let ran = run(lab_via(account, proxy, home).args(["check", "--stage", stage]));
        assert_eq!(ran.code, 0, "{fault:?}: {}", ran.stdout);
    }
    said
}

#[tokio::test]
async fn run_auto_stops_at_a_fault_and_a_rerun_finishes_the_stage() {
    for fault in FAULTS {
        let account = moto::account().await;
        let home = tempfile::tempdir().unwrap();
        let proxy = Proxy::start(&moto::endpoint(), Fault::Pass);
        // Who am I, then the secret is looked for: the fault strikes as it is created.
        let said = fails_then_finishes(
            &account,
            &proxy,
            home.path(),
            (fault, 2),
            &[
                "run",
                "--auto",
                "--through",
                "1",
                "--wait-timeout",
                "120",
                "--timeout",
                "3",
                "--set",
                "email=a@example.com",
            ],
            Some("1"),
        );
        if fault == Fault::Unavailable {
            assert!(said.contains("having trouble"), "{said}");
        }
        if matches!(fault, Fault::Hang | Fault::Drop | Fault::Garbage) {
            assert!(
                said.contains("Stopped: the endpoint does not answer"),
                "{fault:?}: {said}"
            );
        }
    }
}

#[tokio::test]
async fn cleanup_stops_at_a_fault_and_a_rerun_deletes_the_rest() {
    for fault in [Fault::Drop, Fault::Throttle, Fault::Unavailable] {
        let account = moto::account().await;
        let home = tempfile::tempdir().unwrap();
        let ran = run(account
            .lab(home.path())
            .env("LAB_STATE_DIR", home.path().join("state"))
            .args(["run", "--auto", "--through", "5", "--wait-timeout", "0"])
            .args(["--set", "email=a@example.com"]));
        assert!(
            ran.stdout.contains("Stage 5"),
            "{}{}",
            ran.stdout,
            ran.stderr
        );
        let proxy = Proxy::start(&moto::endpoint(), Fault::Pass);
        // Enough to list what is there and delete some of it.
        fails_then_finishes(
            &account,
            &proxy,
            home.path(),
            (fault, 20),
            &[
                "cleanup",
                "--yes",
                "--force-delete-secret",
                "--timeout",
                "3",
            ],
            // `lab cleanup` exits 0 only when its own listing finds nothing left;
            // `lab check --stage cleanup` also asks event history whether the lab
            // was built, which moto does not keep.
            None,
        );
    }
}
