//! The class roster for `lab check --roster`: a CSV file with a header row, the
//! columns `student` and `account_id`, optionally `region` and `role_arn`, and any
//! other columns an LMS export carries (an email, a student id), which are kept and
//! passed through to the gradebook.
//!
//! ```csv
//! student,account_id,region,role_arn,email
//! "Lovelace, Ada",111122223333,eu-west-1,,ada@example.edu
//! Alan Turing,444455556666,,arn:aws:iam::444455556666:role/Grader,alan@example.edu
//! ```
//!
//! Every problem names the file and line, and says what to fix.

use std::path::Path;

use crate::error::{Error, RosterError};

/// One student to grade.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Student {
    /// The student's name, as the gradebook shows it.
    pub name: String,
    /// Their 12-digit AWS account id.
    pub account: String,
    /// The region their lab is in; the grader's region when empty.
    pub region: Option<String>,
    /// The role to assume; `arn:aws:iam::ACCOUNT:role/ROLE_NAME` when empty.
    pub role_arn: Option<String>,
    /// Every column of the student's row, lab's own included, by name, in the
    /// roster's order: what a gradebook for an LMS writes back first.
    pub columns: Vec<(String, String)>,
}

impl Student {
    /// The roster's columns beyond the ones lab reads itself (an email, an SIS id).
    pub fn extra(&self) -> impl Iterator<Item = &(String, String)> {
        self.columns
            .iter()
            .filter(|(k, _)| !KNOWN.iter().any(|known| k.eq_ignore_ascii_case(known)))
    }
}

/// A roster read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The students, in roster order.
    pub students: Vec<Student>,
    /// The names of every column, in the roster's order.
    pub columns: Vec<String>,
    /// What is odd but not wrong (two rows for one account), one line each.
    pub warnings: Vec<String>,
}

/// The largest roster `lab` reads (tens of thousands of students).
const MAX_ROSTER_BYTES: u64 = 8 * 1024 * 1024;

/// The columns lab reads itself.
const KNOWN: [&str; 4] = ["student", "account_id", "region", "role_arn"];

/// The line of a quote that is never closed, if there is one (CSV doubles a quote
/// inside a quoted field, which counts as closed and reopened).
fn unclosed_quote(text: &str) -> Option<u64> {
    let (mut open, mut line, mut opened_at) = (false, 1u64, 0u64);
    for c in text.chars() {
        match c {
            '"' => {
                open = !open;
                if open {
                    opened_at = line;
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    open.then_some(opened_at)
}

/// Reads and checks the roster at `path`.
pub fn read(path: &Path) -> Result<Roster, Error> {
    use std::io::Read;
    let unreadable = |source| RosterError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    // A roster is a regular file of at most a few megabytes, never a pipe or a device.
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(RosterError::NotAFile {
            path: path.to_path_buf(),
        }
        .into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_ROSTER_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_ROSTER_BYTES {
        return Err(RosterError::TooLarge {
            path: path.to_path_buf(),
            most: MAX_ROSTER_BYTES,
        }
        .into());
    }
    let file = path.display().to_string();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(RosterError::Utf16 { file }.into());
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(RosterError::NotUtf8 { file }.into());
    };
    parse(&text, &file)
}

/// Parses roster text; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> Result<Roster, Error> {
    let file = file.to_string();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().find(|l| !l.trim().is_empty());
    let Some(first_line) = first_line else {
        return Err(RosterError::Empty { file }.into());
    };
    if first_line.contains(';') && !first_line.contains(',') {
        return Err(RosterError::Semicolons { file }.into());
    }
    if let Some(line) = unclosed_quote(text) {
        return Err(RosterError::UnclosedQuote { file, line }.into());
    }
    // Lines counted from the text itself (the CSV reader's own count goes wrong on
    // Windows line ends): the record numbered `n` is the `n`-th line with anything on
    // it after the header, since blank lines are no records.
    let filled: Vec<u64> = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, _)| i as u64 + 1)
        .collect();
    let line_at = |record: u64| filled.get(record as usize).copied().unwrap_or(0);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|source| RosterError::NotAHeader {
            file: file.clone(),
            source,
        })?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    // The student's name: a `student` column (lab's own, Canvas's), else first and
    // last name (Moodle's and Google Classroom's exports).
    let name_columns: Vec<usize> = match column("student") {
        Some(student) => vec![student],
        None => [column("first name"), column("last name")]
            .into_iter()
            .flatten()
            .collect(),
    };
    let (false, Some(account)) = (name_columns.is_empty(), column("account_id")) else {
        return Err(RosterError::MissingColumns {
            file,
            columns: headers.iter().map(str::to_string).collect(),
        }
        .into());
    };
    let (region, role) = (column("region"), column("role_arn"));
    let mut students: Vec<Student> = Vec::new();
    let mut warnings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|source| RosterError::BadRow {
            file: file.clone(),
            line: source.position().map_or(0, |p| line_at(p.record())),
            source,
        })?;
        let line = record.position().map_or(0, |p| line_at(p.record()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.iter().any(|f| f.contains('\n')) {
            return Err(RosterError::UnclosedQuote { file, line }.into());
        }
        if record.len() > headers.len() {
            return Err(RosterError::TooManyFields {
                file,
                line,
                fields: record.len(),
                columns: headers.len(),
            }
            .into());
        }
        let field = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let columns: Vec<(String, String)> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), field(Some(i)).unwrap_or_default()))
            .collect();
        let name = name_columns
            .iter()
            .filter_map(|i| field(Some(*i)))
            .collect::<Vec<_>>()
            .join(" ");
        // Canvas's export has a second row of each assignment's points.
        if name.eq_ignore_ascii_case("points possible") && field(Some(account)).is_none() {
            warnings.push(format!(
                "{file}:{line}: skipped the \"Points Possible\" row of Canvas's export"
            ));
            continue;
        }
        if name.is_empty() {
            return Err(RosterError::NoName { file, line }.into());
        }
        let Some(account) = field(Some(account)) else {
            return Err(RosterError::NoAccount { file, line, name }.into());
        };
        if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
            return Err(RosterError::BadAccount {
                file,
                line,
                account,
                name,
            }
            .into());
        }
        if let Some(twin) = students
            .iter()
            .find(|s| s.name == name && s.account == account)
        {
            if twin.columns == columns {
                warnings.push(format!(
                    "{file}:{line}: {name} is listed twice, row for row the same: graded once"
                ));
                continue;
            }
            return Err(RosterError::Twice { file, line, name }.into());
        }
        if let Some(other) = students.iter().find(|s| s.account == account) {
            warnings.push(format!(
                "{file}:{line}: {name} and {} share the account {account}: both get its grade",
                other.name
            ));
        }
        let region = field(region);
        if let Some(r) = &region
            && !checkers::region::is_region_name(r)
        {
            return Err(RosterError::BadRegion {
                file,
                line,
                region: r.clone(),
                name,
            }
            .into());
        }
        let role_arn = field(role);
        if let Some(arn) = &role_arn
            && !checkers::arn::Arn::parse(arn)
                .is_some_and(|a| a.service == "iam" && a.resource.starts_with("role/"))
        {
            return Err(RosterError::BadRoleArn {
                file,
                line,
                arn: arn.clone(),
                name,
            }
            .into());
        }
        students.push(Student {
            name,
            account,
            region,
            role_arn,
            columns,
        });
    }
    if students.is_empty() {
        return Err(RosterError::NoStudents { file }.into());
    }
    Ok(Roster {
        students,
        columns: headers.iter().map(str::to_string).collect(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_names_optional_and_extra_columns_and_blank_lines() {
        let text = "\u{feff}student,account_id,region,role_arn,email\n\"Lovelace, Ada\",111122223333,eu-west-1,,ada@example.edu\n\nAlan Turing , 444455556666 ,,arn:aws:iam::444455556666:role/Grader,\n";
        let roster = parse(text, "class.csv").unwrap();
        assert_eq!(roster.students.len(), 2);
        assert_eq!(
            roster.students[0],
            Student {
                name: "Lovelace, Ada".into(),
                account: "111122223333".into(),
                region: Some("eu-west-1".into()),
                role_arn: None,
                columns: vec![
                    ("student".into(), "Lovelace, Ada".into()),
                    ("account_id".into(), "111122223333".into()),
                    ("region".into(), "eu-west-1".into()),
                    ("role_arn".into(), String::new()),
                    ("email".into(), "ada@example.edu".into()),
                ],
            }
        );
        assert_eq!(
            roster.students[0].extra().collect::<Vec<_>>(),
            [&("email".to_string(), "ada@example.edu".to_string())]
        );
        assert_eq!(roster.students[1].region, None);
        assert_eq!(
            roster.students[1].role_arn.as_deref(),
            Some("arn:aws:iam::444455556666:role/Grader")
        );
        assert_eq!(
            roster.columns,
            ["student", "account_id", "region", "role_arn", "email"]
        );
        assert!(roster.warnings.is_empty());
        let minimal = parse("student,account_id\nA,000011112222\n", "c.csv").unwrap();
        assert_eq!(minimal.students[0].account, "000011112222");
    }

    #[test]
    fn two_rows_for_one_account_are_a_warning() {
        let roster = parse(
            "student,account_id\nA,111122223333\nB,111122223333\n",
            "c.csv",
        )
        .unwrap();
        assert_eq!(
            roster.warnings,
            ["c.csv:3: B and A share the account 111122223333: both get its grade"]
        );
    }

    #[test]
    fn every_problem_names_the_line_and_what_to_do() {
        let cases = [
            ("", "c.csv:1: the roster is empty", "header row"),
            (
                "name,account\nA,111122223333\n",
                "c.csv:1: the header row `name,account` lacks the column student (or first name and last name) or account_id",
                "student,account_id",
            ),
            (
                "student;account_id\nA;111122223333\n",
                "c.csv:1: the columns are separated by `;`, not `,`",
                "commas",
            ),
            (
                "student,account_id\nA,111122223333\nB,12345\n",
                "c.csv:3: `12345` is not a 12-digit account id (B)",
                "leading zeros",
            ),
            (
                "student,account_id,email\nA,111122223333,a@x\nA,111122223333,b@x\n",
                "c.csv:3: A is listed twice, with the same account",
                "one row",
            ),
            (
                "student,account_id\r\nA,111122223333\r\n\r\nB,22\r\n",
                "c.csv:4: `22` is not a 12-digit account id (B)",
                "leading zeros",
            ),
            (
                "student,account_id\nAlan,444455556666\n\"Lovelace, Ada,111122223333\n",
                "c.csv:3: a quote opened on this line is never closed",
                "close the quoted field",
            ),
            (
                "student,account_id\n,111122223333\n",
                "c.csv:2: no student name",
                "fill in",
            ),
            (
                "student,account_id,role_arn\nA,111122223333,Grader\n",
                "c.csv:2: `Grader` is not a role ARN (A)",
                "arn:aws:iam::",
            ),
            (
                "student,account_id,region\nA,111122223333,us-east-l\n",
                "c.csv:2: `us-east-l` is not an AWS region name (A)",
                "us-east-1",
            ),
            (
                "student,account_id\nLovelace, Ada,111122223333\n",
                "c.csv:2: this row has 3 fields, the header 2",
                "\"Lovelace, Ada\"",
            ),
            (
                "student,account_id\n\"Ada,111122223333\nAlan,444455556666\n",
                "c.csv:2: a quote opened on this line is never closed",
                "close the quoted field",
            ),
            (
                "student,account_id\n",
                "c.csv:1: the roster lists no students",
                "one row",
            ),
        ];
        for (text, message, help) in cases {
            let error = parse(text, "c.csv").unwrap_err();
            assert!(matches!(error, Error::Roster(_)), "{error:?}");
            assert_eq!(error.to_string(), message, "{text:?}");
            assert!(
                error.help().is_some_and(|h| h.contains(help)),
                "{:?}",
                error.help()
            );
        }
    }

    #[test]
    fn lms_exports_are_read_as_they_come() {
        // Canvas: its Student column, its "Points Possible" row, and an account_id
        // column the instructor added.
        let canvas = "Student,ID,SIS User ID,SIS Login ID,Section,Lab 3 (4242),account_id\n    Points Possible,,,,,10,\n\"Lovelace, Ada\",101,ada,ada@uni,S1,,111122223333\n";
        let roster = parse(canvas, "canvas.csv").unwrap();
        assert_eq!(roster.students.len(), 1);
        assert_eq!(roster.students[0].name, "Lovelace, Ada");
        assert_eq!(
            roster.warnings,
            ["canvas.csv:2: skipped the \"Points Possible\" row of Canvas's export"]
        );
        // Moodle and Google Classroom: first and last name.
        let moodle = "First name,Last name,ID number,Email address,account_id\nAda,Lovelace,7,ada@uni,111122223333\n";
        let roster = parse(moodle, "moodle.csv").unwrap();
        assert_eq!(roster.students[0].name, "Ada Lovelace");
        assert_eq!(roster.columns[3], "Email address");
    }

    #[test]
    fn an_exact_duplicate_row_is_graded_once() {
        let roster = parse(
            "student,account_id\nA,111122223333\nA,111122223333\n",
            "c.csv",
        )
        .unwrap();
        assert_eq!(roster.students.len(), 1);
        assert_eq!(
            roster.warnings,
            ["c.csv:3: A is listed twice, row for row the same: graded once"]
        );
    }

    #[test]
    fn a_utf16_file_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("class.csv");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "student,account_id\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        std::fs::write(&path, utf16).unwrap();
        let error = read(&path).unwrap_err();
        assert!(
            matches!(error, Error::Roster(RosterError::Utf16 { .. })),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .ends_with(":1: the roster is saved as UTF-16"),
            "{error}"
        );
        assert!(error.help().unwrap().contains("UTF-8"));
        // A folder, a pipe or a device is refused without reading it.
        let error = read(dir.path()).unwrap_err();
        assert!(
            matches!(error, Error::Roster(RosterError::NotAFile { .. })),
            "{error:?}"
        );
    }
}
