//! `lab labs`: the labs built into `lab`, to choose one with `--lab ID`.

use crate::error::Error;
use crate::lesson::{self, LessonSource, source::BUILT_IN};

/// One built-in lab, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its id, as `--lab` takes it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// How many stages it has.
    pub stages: usize,
    /// About how many minutes it takes on AWS.
    pub minutes: u16,
}

/// Every built-in lab, the default first.
pub fn labs() -> Result<Vec<Listed>, Error> {
    BUILT_IN
        .iter()
        .map(|built_in| {
            let lab = lesson::load(&LessonSource::BuiltIn(built_in))?;
            Ok(Listed {
                id: lab.id,
                title: lab.title,
                stages: lab.stages.len(),
                minutes: lab.minutes,
            })
        })
        .collect()
}

/// The list as printed: a line per lab, then how to choose one.
pub fn render(labs: &[Listed]) -> String {
    let width = labs.iter().map(|l| l.id.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (at, lab) in labs.iter().enumerate() {
        let default = if at == 0 { " (default)" } else { "" };
        out.push_str(&format!(
            "  {:width$}  {}{default}\n  {:width$}  {} stages, about {} minutes\n",
            lab.id, lab.title, "", lab.stages, lab.minutes
        ));
    }
    out.push_str("\nChoose one with --lab ID (or LAB_ID=ID), e.g. `lab run --lab ID --sandbox`.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_lab_loads_and_is_listed_by_its_id() {
        let labs = labs().unwrap();
        assert_eq!(labs.len(), BUILT_IN.len());
        for (listed, built_in) in labs.iter().zip(BUILT_IN) {
            assert_eq!(listed.id, built_in.id, "a lab's folder is named by its id");
            assert!(listed.stages > 0 && listed.minutes > 0);
        }
        let text = render(&labs);
        assert!(
            text.lines()
                .any(|line| line.contains("secrets-access-monitoring")
                    && line.ends_with("Monitoring access to AWS Secrets Manager (default)")),
            "{text}"
        );
        assert!(text.contains("7 stages, about 60 minutes"), "{text}");
    }
}
