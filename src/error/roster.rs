//! Why a roster cannot be read, or cannot make the gradebook asked for.

use std::path::PathBuf;

/// What makes a roster unusable (see [`crate::roster`]). `file` names it as given,
/// and each problem in a line says which, as `file:line:`.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The file cannot be opened or read.
    #[error("cannot read the roster {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A folder, a pipe or a device: refused unread.
    #[error("cannot read the roster {}: it is not a regular file", path.display())]
    NotAFile {
        /// The path given.
        path: PathBuf,
    },
    /// Far larger than a class's roster.
    #[error("cannot read the roster {}: it is larger than {most} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The most read.
        most: u64,
    },
    /// Saved as UTF-16 (as Excel's "Unicode Text").
    #[error("{file}:1: the roster is saved as UTF-16")]
    Utf16 {
        /// The file.
        file: String,
    },
    /// Not text in UTF-8.
    #[error("{file}:1: the roster is not UTF-8 text")]
    NotUtf8 {
        /// The file.
        file: String,
    },
    /// Nothing but blank lines.
    #[error("{file}:1: the roster is empty")]
    Empty {
        /// The file.
        file: String,
    },
    /// Saved with semicolons, as spreadsheets do in some locales.
    #[error("{file}:1: the columns are separated by `;`, not `,`")]
    Semicolons {
        /// The file.
        file: String,
    },
    /// The first line is not CSV.
    #[error("{file}:1: not a CSV header row: {source}")]
    NotAHeader {
        /// The file.
        file: String,
        /// The CSV reader's account.
        source: csv::Error,
    },
    /// The header names no student or no account column.
    #[error("{file}:1: the header row `{}` lacks the column student (or first name and last name) or account_id", columns.join(","))]
    MissingColumns {
        /// The file.
        file: String,
        /// The header's columns.
        columns: Vec<String>,
    },
    /// A header and no student.
    #[error("{file}:1: the roster lists no students")]
    NoStudents {
        /// The file.
        file: String,
    },
    /// A quoted field runs to the end of the file.
    #[error("{file}:{line}: a quote opened on this line is never closed")]
    UnclosedQuote {
        /// The file.
        file: String,
        /// Where the quote opens.
        line: u64,
    },
    /// A row the CSV reader refuses.
    #[error("{file}:{line}: {source}")]
    BadRow {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The CSV reader's account.
        source: csv::Error,
    },
    /// More fields than the header has columns: usually a comma in a name.
    #[error("{file}:{line}: this row has {fields} fields, the header {columns}")]
    TooManyFields {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The row's fields.
        fields: usize,
        /// The header's columns.
        columns: usize,
    },
    /// A row without a name.
    #[error("{file}:{line}: no student name")]
    NoName {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
    },
    /// A row without an account id.
    #[error("{file}:{line}: no account id for {name}")]
    NoAccount {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The student.
        name: String,
    },
    /// An account id that is not 12 digits (a spreadsheet drops leading zeros).
    #[error("{file}:{line}: `{account}` is not a 12-digit account id ({name})")]
    BadAccount {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The value.
        account: String,
        /// The student.
        name: String,
    },
    /// The same student and account in two rows that differ otherwise.
    #[error("{file}:{line}: {name} is listed twice, with the same account")]
    Twice {
        /// The file.
        file: String,
        /// The second row's line.
        line: u64,
        /// The student.
        name: String,
    },
    /// A region column's value that is not a region's name.
    #[error("{file}:{line}: `{region}` is not an AWS region name ({name})")]
    BadRegion {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The value.
        region: String,
        /// The student.
        name: String,
    },
    /// A role_arn column's value that is not an IAM role's ARN.
    #[error("{file}:{line}: `{arn}` is not a role ARN ({name})")]
    BadRoleArn {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The value.
        arn: String,
        /// The student.
        name: String,
    },
    /// `--format canvas` with a roster that has none of the columns Canvas imports by.
    #[error(
        "--format canvas needs the columns Canvas matches students by (ID, SIS User ID or SIS Login ID)"
    )]
    NoCanvasColumns,
    /// `--format moodle` with a roster that has none of the columns Moodle imports by.
    #[error(
        "--format moodle needs a column Moodle matches users by (Email address, ID number or Username)"
    )]
    NoMoodleColumns,
}

impl RosterError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        const HEADER: &str = "start with the header row: student,account_id (and optionally \
             region, role_arn, and any columns of your own); an LMS export will do with an \
             account_id column added (its student column, or its first name and last name \
             columns, name the student)";
        const UTF8: &str = "save it as UTF-8 (in Excel: Save As, CSV UTF-8)";
        match self {
            RosterError::Unreadable { .. }
            | RosterError::NotAFile { .. }
            | RosterError::TooLarge { .. } => "give the path of a CSV file",
            RosterError::Utf16 { .. } | RosterError::NotUtf8 { .. } => UTF8,
            RosterError::Empty { .. }
            | RosterError::NotAHeader { .. }
            | RosterError::MissingColumns { .. } => HEADER,
            RosterError::Semicolons { .. } => {
                "save the file as CSV with commas (in Excel: Save As, CSV UTF-8), or replace the semicolons"
            }
            RosterError::NoStudents { .. } => "add one row per student under the header",
            RosterError::UnclosedQuote { .. } => {
                "close the quoted field with `\"` (a name with a comma is written \"Lovelace, Ada\")"
            }
            RosterError::BadRow { .. } => "fix the CSV at this line",
            RosterError::TooManyFields { .. } => {
                "quote a field that holds a comma (\"Lovelace, Ada\"), or add a column to the header"
            }
            RosterError::NoName { .. } => "fill in the student column",
            RosterError::NoAccount { .. } => "fill in the 12-digit account_id",
            RosterError::BadAccount { .. } => {
                "write the account id as 12 digits, with its leading zeros (format the column as text in a spreadsheet)"
            }
            RosterError::Twice { .. } => "give each student one row",
            RosterError::BadRegion { .. } => {
                "write it like us-east-1 or eu-west-2, or leave it empty for the grader's region"
            }
            RosterError::BadRoleArn { .. } => {
                "write it like arn:aws:iam::111122223333:role/RoleName, or leave it empty"
            }
            RosterError::NoCanvasColumns => {
                "export the gradebook from Canvas, add an account_id column, and give that file as the roster"
            }
            RosterError::NoMoodleColumns => {
                "export the grades or the participants from Moodle, add an account_id column, and give that file as the roster"
            }
        }
    }
}
