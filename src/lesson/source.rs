//! Where lesson files come from: the set built into the binary, or a directory.
//!
//! The shipped lessons are embedded so that an installed `lab` works from any folder;
//! `--lessons DIR` reads another set from disk, for lesson authors.

use std::path::{Path, PathBuf};

/// The name of the lab file in every lesson set.
pub const LAB_FILE: &str = "lab.yaml";

/// The shipped lesson set, built into the binary. A test checks this list against
/// the `lessons/` directory both ways, so a file cannot be added without embedding it.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("lab.yaml", include_str!("../../lessons/lab.yaml")),
    (
        "01-secret.yaml",
        include_str!("../../lessons/01-secret.yaml"),
    ),
    ("02-trail.yaml", include_str!("../../lessons/02-trail.yaml")),
    ("03-logs.yaml", include_str!("../../lessons/03-logs.yaml")),
    ("04-alarm.yaml", include_str!("../../lessons/04-alarm.yaml")),
    ("05-test.yaml", include_str!("../../lessons/05-test.yaml")),
    (
        "06-direct.yaml",
        include_str!("../../lessons/06-direct.yaml"),
    ),
    (
        "07-cleanup.yaml",
        include_str!("../../lessons/07-cleanup.yaml"),
    ),
];

/// A set of lesson files.
#[derive(Debug, Clone)]
pub enum LessonSource {
    /// The set built into the binary.
    Embedded,
    /// A directory holding `lab.yaml` and the stage files.
    Dir(PathBuf),
}

/// One lesson file's name (as shown in messages) and contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in messages: `lessons/lab.yaml` for the embedded set, the path
    /// on disk otherwise.
    pub display: String,
    /// The file's contents.
    pub text: String,
}

impl LessonSource {
    /// Reads the file `name` of this set. The error is a sentence saying what failed.
    pub fn read(&self, name: &str) -> Result<SourceFile, String> {
        match self {
            LessonSource::Embedded => EMBEDDED
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(file, text)| SourceFile {
                    display: format!("lessons/{file}"),
                    text: text.to_string(),
                })
                .ok_or_else(|| format!("the built-in lessons have no file `{name}`")),
            LessonSource::Dir(dir) => {
                let path = dir.join(name);
                std::fs::read_to_string(&path)
                    .map(|text| SourceFile {
                        display: path.display().to_string(),
                        text,
                    })
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))
            }
        }
    }

    /// The names of every `.yaml` file in the set, sorted.
    pub fn yaml_files(&self) -> Result<Vec<String>, String> {
        let mut names: Vec<String> = match self {
            LessonSource::Embedded => EMBEDDED.iter().map(|(name, _)| name.to_string()).collect(),
            LessonSource::Dir(dir) => list_yaml(dir)?,
        };
        names.sort();
        Ok(names)
    }

    /// How to name this set in messages.
    pub fn describe(&self) -> String {
        match self {
            LessonSource::Embedded => "the built-in lessons".to_string(),
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
