//! A Gradescope autograder: the folder to zip and upload.
//!
//! Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh` once as
//! root to build the image, then `run_autograder` for each submission (in
//! `/autograder/submission`), which must write `/autograder/results/results.json`
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>).
//! `run_autograder` here reads the student's account id from `account.txt`, assumes
//! the course's role there with the credentials in `grader.env`, and has `lab check`
//! write `results.json`. A grade lab could not complete writes none: Gradescope
//! then records no score (not a number that looks like one), and the submission can
//! be graded again. Every path starts at `$AUTOGRADER_ROOT` (default `/autograder`),
//! so the same scripts run in a folder of their own to try them.

use super::{Contents, File, Grading, LabBinary, Mode, shell_quote};
use crate::report::gradescope::Visibility;

/// The files of the autograder.
pub fn files(grading: &Grading, lab: &LabBinary, visibility: Visibility) -> Vec<File> {
    let text = |path: &str, text: String, mode| File {
        path: path.into(),
        contents: Contents::Text(text),
        mode,
    };
    vec![
        text("setup.sh", setup(), Mode::Executable),
        text(
            "run_autograder",
            run_autograder(grading, visibility),
            Mode::Executable,
        ),
        text("grader.env", grader_env(grading), Mode::Private),
        text("README.md", readme(grading), Mode::Readable),
        File {
            path: "lab".into(),
            contents: Contents::Copy(lab.path.clone()),
            mode: Mode::Executable,
        },
    ]
}

fn generated_by() -> String {
    format!(
        "# Written by `lab autograder gradescope` (lab {}).",
        crate::report::LAB_VERSION
    )
}

fn setup() -> String {
    format!(
        r#"#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
{generated_by}
set -euo pipefail
source_dir="${{AUTOGRADER_ROOT:-/autograder}}/source"

# lab speaks HTTPS to AWS, so it needs the system's root certificates.
if ! dpkg-query --show --showformat='${{Status}}' ca-certificates 2>/dev/null | grep -q 'ok installed'; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends ca-certificates
fi

chmod 755 "$source_dir/lab" "$source_dir/run_autograder"
chmod 600 "$source_dir/grader.env"

# lab needs glibc 2.34 or newer: Gradescope's Ubuntu 22.04 base image, or newer.
if ! "$source_dir/lab" --version; then
  echo "lab does not run on this image: choose Ubuntu 22.04 or newer as the autograder's base image" >&2
  exit 1
fi
"#,
        generated_by = generated_by()
    )
}

fn run_autograder(grading: &Grading, visibility: Visibility) -> String {
    let mut lines = vec![
        r#""$source_dir/lab" check"#.to_string(),
        r#"--account-file "$root/submission/account.txt""#.to_string(),
        format!("--region {}", shell_quote(&grading.region)),
    ];
    lines.extend(
        grading
            .check_options()
            .into_iter()
            .map(|(flag, value)| format!("{flag} {}", shell_quote(&value))),
    );
    if grading.all {
        lines.push("--all".into());
    }
    lines.extend([
        "--format gradescope".to_string(),
        format!(
            "--gradescope-visibility {}",
            visibility.as_str().replace('_', "-")
        ),
        r#"--output "$results""#.to_string(),
    ]);
    format!(
        r#"#!/usr/bin/env bash
# Gradescope runs this for every submission.
{generated_by}
#
# It grades the AWS account whose 12-digit id the submission's account.txt holds:
# lab assumes the role {role} there with the course's grader credentials
# (grader.env) and writes results/results.json. A grade lab could not complete
# (an account it could not reach or read in full) writes no results.json: the run
# fails, Gradescope records no score, and the submission can be graded again.
set -uo pipefail
exec 2>&1
root="${{AUTOGRADER_ROOT:-/autograder}}"
source_dir="$root/source"
results="$root/results/results.json"
mkdir -p "$root/results"
rm -f "$results"

# The credentials, with any Windows line endings dropped.
credentials=$(tr -d '\r' < "$source_dir/grader.env" 2>/dev/null)
if ! grep -Eq '^AWS_ACCESS_KEY_ID=.+' <<<"$credentials" \
  || ! grep -Eq '^AWS_SECRET_ACCESS_KEY=.+' <<<"$credentials"; then
  echo "grader.env holds no grader credentials: fill it in (see README.md) and upload the autograder again."
  exit 1
fi
set -a
eval "$credentials"
set +a

{command}
status=$?
case "$status" in
  0 | 1)
    # Graded: every check passed (0), or some failed (1); results.json says which.
    exit 0
    ;;
  *)
    echo "lab could not complete this grade (exit code $status): no score is recorded."
    echo "Once the cause above is fixed, grade the submission again (Regrade)."
    if [ -f "$results" ]; then
      cat "$results"
      rm -f "$results"
    fi
    exit 1
    ;;
esac
"#,
        generated_by = generated_by(),
        role = grading.role_name,
        command = lines.join(" \\\n  "),
    )
}

fn grader_env(grading: &Grading) -> String {
    format!(
        r#"# The course's grader credentials: the access key of an IAM user whose only
# permission is to assume the role {role} in the students' accounts (README.md).
# Fill in the two keys; keep this file out of version control. (The role and the
# region are in run_autograder: writing the autograder again changes them and keeps
# this file.)
AWS_ACCESS_KEY_ID=
AWS_SECRET_ACCESS_KEY=
"#,
        role = grading.role_name,
    )
}

fn readme(grading: &Grading) -> String {
    let role = &grading.role_name;
    let external = grading
        .external_id
        .as_ref()
        .map(|id| {
            format!(",\n    \"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"{id}\"}}}}")
        })
        .unwrap_or_default();
    let scope = if grading.all {
        "every stage, cleanup included"
    } else {
        "stages 1 to 5, the lab as built"
    };
    // Inside a list item, a code block's lines are indented with the item's text.
    let permissions: String = crate::permissions::policy(crate::permissions::CHECK)
        .lines()
        .map(|line| format!("   {line}\n"))
        .collect();
    format!(
        r#"# The lab's Gradescope autograder

Each submission is one file, `account.txt`, holding the student's 12-digit AWS
account id (`1234-5678-9012`, as the console shows it, is fine). The autograder
assumes the role `{role}` in that account with the course's grader credentials,
runs `lab check` on {scope}, and reports each check as a test, with its points,
what was found and the fix. A submission without an account id scores 0, with a
test that says what to submit.

A grade that could not be completed (the role could not be assumed, AWS throttled
the reads, a check could not be judged) is never a number: the run fails and
Gradescope records no score. Its output, which you see, says why; fix that and
use **Regrade** (one submission, or all of them).

## Set up once

1. **The role in each student's account**, named `{role}`, which the grader may
   assume. Its trust policy (put your course account's id and the grader user's
   name in place of `COURSE_ACCOUNT_ID` and `lab-grader`):

   ```json
   {{"Version": "2012-10-17", "Statement": [{{
     "Effect": "Allow",
     "Principal": {{"AWS": "arn:aws:iam::COURSE_ACCOUNT_ID:user/lab-grader"}},
     "Action": "sts:AssumeRole"{external}
   }}]}}
   ```

   Its permissions: only the reads `lab check` makes (the AWS managed policy
   `ReadOnlyAccess` covers them too). It never reads a secret's value.

   ```json
{permissions}   ```

   Give it a name of its own, and not `OrganizationAccountAccessRole`: AWS
   Organizations creates that role in every account it creates, able to do
   anything, so a grader allowed to assume it could change every student's account.

2. **The grader user** in your course's account, allowed nothing but that:

   ```json
   {{"Version": "2012-10-17", "Statement": [{{
     "Effect": "Allow",
     "Action": "sts:AssumeRole",
     "Resource": "arn:aws:iam::*:role/{role}"
   }}]}}
   ```

   Create an access key for it and put it in `grader.env` (this folder).

3. **Upload.** Zip the contents of this folder, not the folder itself:

   ```sh
   cd this-folder && zip -r ../lab-autograder.zip .
   ```

   In Gradescope: a Programming Assignment, *Configure Autograder*, base image
   **Ubuntu 22.04 or newer** (lab needs glibc 2.34), upload the zip.

## Who submitted which account

Nothing ties an account id to a student: two submissions naming the same account
get the same grade. Each `results.json` names the account it graded
(`extra_data.account`); look for an account graded for two students.

## Where the credentials live, and how they are protected

Only in `grader.env`, inside the zip and the image Gradescope builds from it
(mode 600). Students never see the autograder's files, and nothing they submit is
run: lab reads the first 12-digit number of `account.txt` (at most 64 KiB) and
nothing else. The key can do one thing, assume `{role}`, and the role can only
read. Keep the zip and `grader.env` out of version control, and deactivate the key
when the course ends.

## Try it before students do

```sh
mkdir -p /tmp/try/source /tmp/try/submission
cp -a . /tmp/try/source/
echo 123456789012 > /tmp/try/submission/account.txt   # an account you may grade
AUTOGRADER_ROOT=/tmp/try /tmp/try/source/run_autograder
cat /tmp/try/results/results.json
```
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grading() -> Grading {
        Grading::new("LabGrader", Some("class-42"), "eu-west-1", false).unwrap()
    }

    #[test]
    fn the_command_grades_the_submitted_account_through_the_role() {
        let script = run_autograder(&grading(), Visibility::AfterPublished);
        for expected in [
            r#""$source_dir/lab" check \"#,
            r#"  --account-file "$root/submission/account.txt" \"#,
            "  --role-name LabGrader \\",
            "  --external-id class-42 \\",
            "  --gradescope-visibility after-published \\",
            r#"  --output "$results""#,
            "AUTOGRADER_ROOT:-/autograder",
        ] {
            assert!(script.contains(expected), "{expected:?} in\n{script}");
        }
    }

    #[test]
    fn another_built_in_lab_is_graded_by_its_id() {
        let default = run_autograder(&grading(), Visibility::AfterPublished);
        assert!(!default.contains("--lab"), "{default}");
        let other = Grading {
            lab: Some("another-lab".into()),
            ..grading()
        };
        let script = run_autograder(&other, Visibility::AfterPublished);
        assert!(script.contains("  --lab another-lab \\"), "{script}");
    }

    #[test]
    fn the_credentials_file_holds_only_the_keys_to_fill_in() {
        let env = grader_env(&grading());
        assert!(env.contains("AWS_ACCESS_KEY_ID=\n"), "{env}");
        assert!(
            !env.contains("AWS_REGION"),
            "the region is the script's: {env}"
        );
        let script = run_autograder(&grading(), Visibility::Visible);
        assert!(script.contains("  --region eu-west-1 \\"), "{script}");
    }
}
