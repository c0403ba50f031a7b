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

#[tokio::test]
async fn run_auto_stops_at_a_fault_and_a_rerun_finishes_the_stage() {
    for fault in FAULTS {
        let account = moto::account().await;
        let home = tempfile::tempdir().unwrap();
        let proxy = Proxy::start(&moto::endpoint(), Fault::Pass);
        let run_auto = || {
            let mut command = lab_via(&account, &proxy, home.path());
            command.args([
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
            ]);
            command
        };
        // Who am I, then the secret is looked for: the fault strikes as it is created.
        proxy.fault_after(2, fault);
        let (ran, took) = timed(&mut run_auto());
        assert_ne!(ran.code, 0, "{fault:?}: {}{}", ran.stdout, ran.stderr);
        assert!(took < Duration::from_secs(40), "{fault:?} waited: {took:?}");
        assert!(
            ran.stdout
                .to_lowercase()
                .contains(&fault.said_as().to_lowercase()),
            "{fault:?}: {}",
            ran.stdout
        );
        if fault == Fault::Unavailable {
            assert!(ran.stdout.contains("having trouble"), "{}", ran.stdout);
        }
        if matches!(fault, Fault::Hang | Fault::Drop | Fault::Garbage) {
            assert!(
                ran.stdout.contains("Stopped: the endpoint does not answer"),
                "{fault:?}: {}",
                ran.stdout
            );
        }
        proxy.set(Fault::Pass);
        let ran = run(&mut run_auto());
        assert_eq!(ran.code, 0, "{fault:?}: {}{}", ran.stdout, ran.stderr);
        let ran = run(lab_via(&account, &proxy, home.path()).args(["check", "--stage", "1"]));
        assert_eq!(ran.code, 0, "{fault:?}: {}", ran.stdout);
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
        let cleanup = || {
            let mut command = lab_via(&account, &proxy, home.path());
            command.args([
                "cleanup",
                "--yes",
                "--force-delete-secret",
                "--timeout",
                "3",
            ]);
            command
        };
        // Enough to list what is there and delete some of it.
        proxy.fault_after(20, fault);
        let (ran, took) = timed(&mut cleanup());
        assert_ne!(ran.code, 0, "{fault:?}: {}{}", ran.stdout, ran.stderr);
        assert!(took < Duration::from_secs(40), "{fault:?} took {took:?}");
        let said = format!("{}{}", ran.stdout, ran.stderr).to_lowercase();
        assert!(
            said.contains(&fault.said_as().to_lowercase()),
            "{fault:?}: {said}"
        );
        proxy.set(Fault::Pass);
        let ran = run(&mut cleanup());
        assert_eq!(ran.code, 0, "{fault:?}: {}{}", ran.stdout, ran.stderr);
        let ran = run(lab_via(&account, &proxy, home.path()).args(["check", "--stage", "cleanup"]));
        assert_eq!(ran.code, 0, "{fault:?}: {}", ran.stdout);
    }
}
