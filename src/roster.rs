//! The class roster for `lab check --roster`: a CSV file with a header row and the
//! columns `student`, `account_id`, and optionally `region` and `role_arn`.
//!
//! ```csv
//! student,account_id,region,role_arn
//! "Lovelace, Ada",111122223333,eu-west-1,
//! Alan Turing,444455556666,,arn:aws:iam::444455556666:role/Grader
//! ```
//!
//! Every problem names the file and line, and says what to fix.

use std::path::Path;

use crate::error::Error;

/// One student to grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    /// The student's name, as the gradebook shows it.
    pub name: String,
    /// Their 12-digit AWS account id.
    pub account: String,
    /// The region their lab is in; the grader's region when empty.
    pub region: Option<String>,
    /// The role to assume; `arn:aws:iam::ACCOUNT:role/ROLE_NAME` when empty.
    pub role_arn: Option<String>,
}

/// Reads and checks the roster at `path`.
pub fn read(path: &Path) -> Result<Vec<Student>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::usage(
            format!("cannot read the roster {}: {e}", path.display()),
            "give the path of a CSV file",
        )
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses roster text; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> Result<Vec<Student>, Error> {
    let problem = |line: u64, message: String, help: &str| {
        Error::usage(format!("{file}:{line}: {message}"), help)
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            problem(
                1,
                format!("not a CSV header row: {e}"),
                "start with: student,account_id,region,role_arn",
            )
        })?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(student), Some(account)) = (column("student"), column("account_id")) else {
        return Err(problem(
            1,
            format!(
                "the header row is `{}`",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
            "it needs the columns student and account_id (and optionally region, role_arn)",
        ));
    };
    let (region, role) = (column("region"), column("role_arn"));
    let known = ["student", "account_id", "region", "role_arn"];
    if let Some(unknown) = headers
        .iter()
        .find(|h| !known.iter().any(|k| h.eq_ignore_ascii_case(k)))
    {
        return Err(problem(
            1,
            format!("unknown column `{unknown}`"),
            "the columns are student, account_id, region and role_arn",
        ));
    }
    let mut students: Vec<Student> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            problem(
                e.position().map_or(0, |p| p.line()),
                format!("{e}"),
                "fix the CSV at this line",
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let name = field(Some(student))
            .ok_or_else(|| problem(line, "no student name".into(), "fill in the student column"))?;
        let account = field(Some(account)).ok_or_else(|| {
            problem(
                line,
                format!("no account id for {name}"),
                "fill in the 12-digit account_id",
            )
        })?;
        if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
            return Err(problem(
                line,
                format!("`{account}` is not a 12-digit account id ({name})"),
                "write the account id as 12 digits, with its leading zeros",
            ));
        }
        if students.iter().any(|s| s.name == name) {
            return Err(problem(
                line,
                format!("{name} is listed twice"),
                "give each student one row",
            ));
        }
        let role_arn = field(role);
        if let Some(arn) = &role_arn
            && !arn.starts_with("arn:aws")
        {
            return Err(problem(
                line,
                format!("`{arn}` is not a role ARN ({name})"),
                "write it like arn:aws:iam::111122223333:role/RoleName, or leave it empty",
            ));
        }
        students.push(Student {
            name,
            account,
            region: field(region),
            role_arn,
        });
    }
    if students.is_empty() {
        return Err(problem(
            1,
            "the roster lists no students".into(),
            "add one row per student under the header",
        ));
    }
    Ok(students)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_names_optional_columns_and_blank_lines() {
        let text = "student,account_id,region,role_arn\n\"Lovelace, Ada\",111122223333,eu-west-1,\n\nAlan Turing , 444455556666 ,,arn:aws:iam::444455556666:role/Grader\n";
        let students = parse(text, "class.csv").unwrap();
        assert_eq!(students.len(), 2);
        assert_eq!(
            students[0],
            Student {
                name: "Lovelace, Ada".into(),
                account: "111122223333".into(),
                region: Some("eu-west-1".into()),
                role_arn: None
            }
        );
        assert_eq!(students[1].region, None);
        assert_eq!(
            students[1].role_arn.as_deref(),
            Some("arn:aws:iam::444455556666:role/Grader")
        );
        let minimal = parse("student,account_id\nA,000011112222\n", "c.csv").unwrap();
        assert_eq!(minimal[0].account, "000011112222");
    }

    #[test]
    fn every_problem_names_the_line() {
        let cases = [
            (
                "name,account\nA,111122223333\n",
                "c.csv:1: the header row is `name,account`",
            ),
            (
                "student,account_id,team\nA,111122223333,x\n",
                "c.csv:1: unknown column `team`",
            ),
            (
                "student,account_id\nA,111122223333\nB,12345\n",
                "c.csv:3: `12345` is not a 12-digit account id (B)",
            ),
            (
                "student,account_id\nA,111122223333\nA,444455556666\n",
                "c.csv:3: A is listed twice",
            ),
            (
                "student,account_id\n,111122223333\n",
                "c.csv:2: no student name",
            ),
            (
                "student,account_id,role_arn\nA,111122223333,Grader\n",
                "c.csv:2: `Grader` is not a role ARN (A)",
            ),
            (
                "student,account_id\n",
                "c.csv:1: the roster lists no students",
            ),
        ];
        for (text, message) in cases {
            let error = parse(text, "c.csv").unwrap_err();
            assert_eq!(error.to_string(), message);
            assert!(error.help().is_some());
        }
    }
}
