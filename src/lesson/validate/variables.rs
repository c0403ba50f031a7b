//! The lab's variables: well-named, defined once, each with a default or a question,
//! and their defaults and examples of their kind.

use std::collections::HashSet;

use super::checker::Checker;
use crate::lesson::locate::YamlPath;
use crate::lesson::model::Variable;
use crate::lesson::schema::VariableDef;
use crate::lesson::template::BUILT_INS;

impl Checker<'_> {
    /// The variables, in order: each is checked against the built-ins and those
    /// defined before it.
    pub(super) fn variables(&mut self, defs: &[VariableDef]) -> Vec<Variable> {
        let mut known: HashSet<String> = BUILT_INS.iter().map(|b| b.to_string()).collect();
        let mut variables = Vec::new();
        for (index, def) in defs.iter().enumerate() {
            let path = YamlPath::root().key("variables").index(index);
            let name = &def.name;
            let snake = !name.is_empty()
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !snake {
                self.error(
                    &path.key("name"),
                    &format!("variable name `{name}` is not snake_case"),
                    None,
                );
            } else if BUILT_INS.contains(&name.as_str()) {
                self.error(
                    &path.key("name"),
                    &format!("`{name}` is a built-in variable and cannot be redefined"),
                    Some("pick another name".into()),
                );
            } else if known.contains(name) {
                self.error(
                    &path.key("name"),
                    &format!("variable `{name}` is defined twice"),
                    None,
                );
            }
            self.non_empty(&path.key("description"), &def.description, "description");
            if def.default.is_none() && def.ask.is_none() {
                self.error(
                    &path,
                    &format!("variable `{name}` has neither a `default` nor an `ask`"),
                    Some("give it a default value, or a question to ask the learner".into()),
                );
            }
            let default = def.default.as_ref().map(|text| {
                let template = self.template(&path.key("default"), text, &known);
                if template.names().is_empty()
                    && let Err(why) = def.kind.check(text)
                {
                    self.error(
                        &path.key("default"),
                        &format!("default of `{name}` {why}"),
                        None,
                    );
                }
                template
            });
            if let Some(example) = &def.example
                && let Err(why) = def.kind.check(example)
            {
                self.error(
                    &path.key("example"),
                    &format!("example of `{name}` {why}"),
                    None,
                );
            }
            known.insert(name.clone());
            variables.push(Variable {
                name: name.clone(),
                description: def.description.clone(),
                default,
                ask: def.ask.clone(),
                example: def.example.clone(),
                kind: def.kind,
            });
        }
        variables
    }
}
