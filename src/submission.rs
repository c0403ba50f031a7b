//! What a student hands an autograder: a small file naming their AWS account
//! (`lab check --account-file`). Students paste the id as the console shows it
//! (`1234-5678-9012`), in a sentence, or with a trailing newline; the first 12-digit
//! number is theirs. A file without one is their mistake to fix, said in words they
//! can act on, never a grader's error.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, SubmissionError};

/// The most of the file read: an account id needs a line, not a megabyte.
const MOST: u64 = 64 * 1024;

/// The account id in the file at `path`.
pub fn account_in(path: &Path) -> Result<String, Error> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let found = siblings(path);
            return Err(SubmissionError::Missing { name, found }.into());
        }
        Err(source) => {
            let found = siblings(path);
            return Err(SubmissionError::Unopenable {
                name,
                source,
                found,
            }
            .into());
        }
    };
    let mut bytes = Vec::new();
    if let Err(source) = file.take(MOST + 1).read_to_end(&mut bytes) {
        return Err(SubmissionError::Unreadable { name, source }.into());
    }
    if bytes.len() as u64 > MOST {
        return Err(SubmissionError::TooLarge {
            name,
            kib: MOST / 1024,
        }
        .into());
    }
    // Windows' PowerShell 5 writes `echo ... > account.txt` as UTF-16: its ASCII
    // digits are the same bytes with a NUL beside each.
    bytes.retain(|b| *b != 0);
    first_account_id(&String::from_utf8_lossy(&bytes))
        .ok_or_else(|| SubmissionError::NoAccountId { name }.into())
}

/// The first AWS account id in `text`: twelve digits, written together or in
/// groups of four split by `-` or a space, and not part of a longer number.
pub fn first_account_id(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let digit = |at: usize| chars.get(at).is_some_and(char::is_ascii_digit);
    let separator = |at: usize| matches!(chars.get(at), Some('-' | ' '));
    (0..chars.len()).find_map(|start| {
        // A number starts here: not inside one, nor after a separator within one.
        let inside = start > 0
            && (digit(start - 1) || (separator(start - 1) && start > 1 && digit(start - 2)));
        if !digit(start) || inside {
            return None;
        }
        let (mut digits, mut at, mut grouped) = (String::new(), start, false);
        while digits.len() < 12 {
            if digit(at) {
                digits.push(chars[at]);
            } else if separator(at) && digits.len() % 4 == 0 && digit(at + 1) {
                grouped = true;
            } else {
                return None;
            }
            at += 1;
        }
        let longer = digit(at) || (grouped && separator(at) && digit(at + 1));
        (!longer).then_some(digits)
    })
}

/// The names in the folder of `path`, for a student who named the file otherwise:
/// at most ten, sorted.
fn siblings(path: &Path) -> Vec<String> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .take(100)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.truncate(10);
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_twelve_digits_written_as_students_write_them() {
        for (text, id) in [
            ("123456789012", Some("123456789012")),
            ("123456789012\n", Some("123456789012")),
            ("My account: 1234-5678-9012.", Some("123456789012")),
            ("1234 5678 9012", Some("123456789012")),
            (
                "account 111122223333 (not 444455556666)",
                Some("111122223333"),
            ),
            ("arn:aws:iam::210987654321:root", Some("210987654321")),
            ("\u{feff}123456789012\r\n", Some("123456789012")),
            // Too short, too long, or grouped wrongly: not an account id.
            ("12345678901", None),
            ("1234567890123", None),
            ("1234-5678-9012-3456", None),
            ("12-3456789012", None),
            ("123456-789012", None),
            ("", None),
            ("my account id", None),
            // The longer number is skipped, the next one found.
            (
                "ticket 12345678901234, account 123456789012",
                Some("123456789012"),
            ),
        ] {
            assert_eq!(first_account_id(text).as_deref(), id, "{text:?}");
        }
    }

    #[test]
    fn a_missing_or_empty_file_says_what_to_submit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("acount.txt"), "123456789012").unwrap();
        let missing = account_in(&dir.path().join("account.txt")).unwrap_err();
        assert!(
            matches!(missing, Error::Submission(SubmissionError::Missing { .. })),
            "{missing:?}"
        );
        assert_eq!(missing.to_string(), "your submission has no account.txt");
        assert!(
            missing.help().unwrap().contains("acount.txt"),
            "names what was submitted: {:?}",
            missing.help()
        );
        std::fs::write(dir.path().join("account.txt"), "TODO\n").unwrap();
        let empty = account_in(&dir.path().join("account.txt")).unwrap_err();
        assert!(
            matches!(
                empty,
                Error::Submission(SubmissionError::NoAccountId { .. })
            ),
            "{empty:?}"
        );
        assert!(empty.to_string().contains("no 12-digit"), "{empty}");
        std::fs::write(dir.path().join("account.txt"), "1234-5678-9012\n").unwrap();
        assert_eq!(
            account_in(&dir.path().join("account.txt")).unwrap(),
            "123456789012"
        );
    }

    #[test]
    fn utf16_as_windows_writes_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.txt");
        let mut bytes = vec![0xff, 0xfe];
        for c in "123456789012\r\n".encode_utf16() {
            bytes.extend(c.to_le_bytes());
        }
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(account_in(&path).unwrap(), "123456789012");
    }

    #[test]
    fn a_huge_file_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.txt");
        std::fs::write(&path, "1".repeat(100_000)).unwrap();
        let error = account_in(&path).unwrap_err();
        assert!(
            matches!(error, Error::Submission(SubmissionError::TooLarge { .. })),
            "{error:?}"
        );
        assert!(error.to_string().contains("larger than"), "{error}");
    }
}
