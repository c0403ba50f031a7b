//! `lab book`: the handbook, rendered from the lessons.

use std::path::PathBuf;

use super::{lesson_source, load_lab};
use crate::Outcome;
use crate::book;
use crate::cli::{BookArgs, GlobalOptions};
use crate::error::Error;

pub(super) fn execute(args: &BookArgs, global: &GlobalOptions) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("book"));
    // A reader of another lab's handbook pastes commands that must work on that lab.
    let flag = crate::lab_commands::lab_flag(&lesson_source(global)?);
    let mut files = book::generate(&lab);
    for file in files
        .iter_mut()
        .filter(|f| f.path.extension().is_some_and(|e| e == "md"))
    {
        file.text = crate::lab_commands::in_markdown(&file.text, &flag);
    }
    book::write(&out, &files)?;
    match book::build_html(&out)? {
        book::Html::Built(html) => println!(
            "Wrote {} files to {}; the HTML book is in {}",
            files.len(),
            out.display(),
            html.join("index.html").display()
        ),
        book::Html::NotBuiltIn => println!(
            "Wrote {} files to {}. This lab was built without the HTML renderer: read it with \
             `mdbook build {}` (cargo install mdbook), or install lab with it: \
             `cargo install --path . --locked --features handbook`",
            files.len(),
            out.display(),
            out.display()
        ),
    }
    Ok(Outcome::Success)
}
