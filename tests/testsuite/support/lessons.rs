//! Lesson sets for tests: a copy of the shipped lessons in a temporary folder, with
//! one change applied, so each test shows exactly one way a lesson can be wrong.

use std::path::{Path, PathBuf};

/// A temporary copy of the default lab's folder, `lessons/secrets-access-monitoring/`.
pub(crate) struct LessonDir {
    dir: tempfile::TempDir,
}

impl LessonDir {
    /// Copies the shipped lessons.
    pub(crate) fn shipped() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("lessons")
            .join(lab::lesson::source::BUILT_IN[0].id);
        for entry in std::fs::read_dir(&shipped).expect("the lab's folder exists") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).expect("copy");
        }
        LessonDir { dir }
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The path of `file` in the folder.
    pub(crate) fn file(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// Replaces the first `from` in `file` with `to`; panics when `from` is absent, so
    /// a test can never silently stop testing what it says.
    pub(crate) fn replace(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.file(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        self
    }

    /// Writes `file` with `text`.
    pub(crate) fn write(&self, file: &str, text: &str) -> &Self {
        std::fs::write(self.file(file), text).expect("write");
        self
    }

    /// `file:line:column` of the first occurrence of `needle` in `file` (1-based),
    /// computed from the text itself, for asserting where an error points.
    pub(crate) fn position_of(&self, file: &str, needle: &str) -> String {
        let text = std::fs::read_to_string(self.file(file)).expect("read");
        let offset = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {file}"));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        format!("{}:{line}:{column}", self.file(file).display())
    }
}
