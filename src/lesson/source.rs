//! Where lesson files come from: the set built into the binary, or a directory.
//!
//! The shipped lessons are embedded so that an installed `lab` works from any folder;
//! `--lessons DIR` reads another set from disk, for lesson authors.

use std::path::{Path, PathBuf};

/// The name of the lab file in every lesson set.
pub const LAB_FILE: &str = "lab.yaml";

/// A lab built into the binary: its id (its folder under `lessons/`) and files.
#[derive(Debug)]
pub struct BuiltIn {
    /// The lab's id, as `--lab` names it; its files are in `lessons/<id>/`.
    pub id: &'static str,
    /// Each file's name and contents.
    pub files: &'static [(&'static str, &'static str)],
}

/// Embeds the files of `lessons/<id>/`.
macro_rules! built_in {
    ($id:literal: $($file:literal),+ $(,)?) => {
        BuiltIn {
            id: $id,
            files: &[$(($file, include_str!(concat!("../../lessons/", $id, "/", $file)))),+],
        }
    };
}

/// The labs built into the binary, the default first. A test checks this list
/// against the folders under `lessons/` both ways, so a lab or a file cannot be
/// added without embedding it.
pub const BUILT_IN: &[BuiltIn] = &[
    built_in!("secrets-access-monitoring":
        "lab.yaml",
        "01-secret.yaml",
        "02-trail.yaml",
        "03-logs.yaml",
        "04-alarm.yaml",
        "05-test.yaml",
        "06-direct.yaml",
        "07-cleanup.yaml",
    ),
    built_in!("root-account-usage":
        "lab.yaml",
        "01-trail.yaml",
        "02-logs.yaml",
        "03-alarm.yaml",
        "04-root.yaml",
        "05-cleanup.yaml",
    ),
    built_in!("trail-configuration-changes":
        "lab.yaml",
        "01-trail.yaml",
        "02-logs.yaml",
        "03-alarm.yaml",
        "04-change.yaml",
        "05-cleanup.yaml",
    ),
];

/// A set of lesson files.
#[derive(Debug, Clone)]
pub enum LessonSource {
    /// A lab built into the binary.
    BuiltIn(&'static BuiltIn),
    /// A directory holding `lab.yaml` and the stage files.
    Dir(PathBuf),
}

impl Default for LessonSource {
    /// The lab `lab` runs when none is named: monitoring access to Secrets Manager.
    fn default() -> Self {
        LessonSource::BuiltIn(&BUILT_IN[0])
    }
}

/// One lesson file's name (as shown in messages) and contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in messages: `lessons/<id>/lab.yaml` for a built-in lab, the
    /// path on disk otherwise.
    pub display: String,
    /// The file's contents.
    pub text: String,
}

impl LessonSource {
    /// The built-in lab `id`, if there is one.
    pub fn built_in(id: &str) -> Option<LessonSource> {
        BUILT_IN
            .iter()
            .find(|lab| lab.id == id)
            .map(LessonSource::BuiltIn)
    }

    /// Whether this is the lab `lab` runs when none is named (no flag needed).
    pub fn is_default(&self) -> bool {
        matches!(self, LessonSource::BuiltIn(lab) if lab.id == BUILT_IN[0].id)
    }

    /// Reads the file `name` of this set. The error is a sentence saying what failed.
    pub fn read(&self, name: &str) -> Result<SourceFile, String> {
        match self {
            LessonSource::BuiltIn(lab) => lab
                .files
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(file, text)| SourceFile {
                    display: format!("lessons/{}/{file}", lab.id),
                    text: text.to_string(),
                })
                .ok_or_else(|| format!("the built-in lab `{}` has no file `{name}`", lab.id)),
            LessonSource::Dir(dir) => read_inside(dir, name),
        }
    }

    /// The names of every `.yaml` file in the set, sorted.
    pub fn yaml_files(&self) -> Result<Vec<String>, String> {
        let mut names: Vec<String> = match self {
            LessonSource::BuiltIn(lab) => {
                lab.files.iter().map(|(name, _)| name.to_string()).collect()
            }
            LessonSource::Dir(dir) => list_yaml(dir)?,
        };
        names.sort();
        Ok(names)
    }

    /// How to name this set in messages.
    pub fn describe(&self) -> String {
        match self {
            LessonSource::BuiltIn(lab) => format!("lessons/{}", lab.id),
            LessonSource::Dir(dir) => dir.display().to_string(),
        }
    }
}

fn list_yaml(dir: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the lesson folder {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            names.push(name);
        }
    }
    Ok(names)
}

/// The largest lesson file `lab` reads.
pub const MAX_LESSON_BYTES: u64 = 1024 * 1024;

/// Reads the lesson file `name` of the folder `dir`, as untrusted input: it must stay
/// inside the folder, be a regular file (not a pipe or a device), fit in
/// [`MAX_LESSON_BYTES`], and be UTF-8 (a bad byte is reported by line and column).
fn read_inside(dir: &Path, name: &str) -> Result<SourceFile, String> {
    use std::io::Read;
    let relative = Path::new(name);
    let leaves = relative.is_absolute()
        || relative
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
    if leaves || name.is_empty() {
        return Err(format!(
            "`{name}` is not a file in the lesson folder: stage files are named relative to lab.yaml, without `..` or a leading `/`"
        ));
    }
    let path = dir.join(relative);
    let display = path.display().to_string();
    let metadata = std::fs::metadata(&path).map_err(|e| format!("cannot read {display}: {e}"))?;
    if !metadata.is_file() {
        return Err(format!("{display} is not a regular file"));
    }
    if metadata.len() > MAX_LESSON_BYTES {
        return Err(format!(
            "{display} is {} bytes; a lesson file may have at most {MAX_LESSON_BYTES}",
            metadata.len()
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_LESSON_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {display}: {e}"))?;
    if bytes.len() as u64 > MAX_LESSON_BYTES {
        return Err(format!(
            "{display} is larger than {MAX_LESSON_BYTES} bytes, the most a lesson file may have"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let column = good
            .rsplit(|b| *b == b'\n')
            .next()
            .map_or(0, |l| String::from_utf8_lossy(l).chars().count())
            + 1;
        format!("{display}:{line}:{column}: this byte is not UTF-8; save the file as UTF-8")
    })?;
    Ok(SourceFile { display, text })
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn lesson_files_stay_inside_the_folder_and_are_plain_utf8_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.yaml"), "title: x\n").unwrap();
        assert_eq!(
            read_inside(dir.path(), "ok.yaml").unwrap().text,
            "title: x\n"
        );
        for name in ["../etc/passwd", "/etc/hostname", "a/../../b.yaml", ""] {
            let error = read_inside(dir.path(), name).unwrap_err();
            assert!(
                error.contains("is not a file in the lesson folder"),
                "{name}: {error}"
            );
        }
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        assert!(
            read_inside(dir.path(), "folder")
                .unwrap_err()
                .contains("not a regular file")
        );
        std::fs::write(
            dir.path().join("big.yaml"),
            vec![b'a'; MAX_LESSON_BYTES as usize + 1],
        )
        .unwrap();
        assert!(
            read_inside(dir.path(), "big.yaml")
                .unwrap_err()
                .contains("at most")
        );
        std::fs::write(
            dir.path().join("latin1.yaml"),
            b"title: ok\nname: caf\xe9\n",
        )
        .unwrap();
        let error = read_inside(dir.path(), "latin1.yaml").unwrap_err();
        assert!(
            error.ends_with("latin1.yaml:2:10: this byte is not UTF-8; save the file as UTF-8"),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_a_pipe_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).unwrap();
        assert!(
            read_inside(dir.path(), "zero.yaml")
                .unwrap_err()
                .contains("not a regular file")
        );
    }
}
