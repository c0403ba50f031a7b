//! Find where a value sits in a YAML text, given its path (`steps[2].check[0]`).
//!
//! Semantic errors (an unknown check id, a duplicate step id) are found after parsing,
//! when positions are gone: serde gives no spans. Rather than carry positions through
//! every type, validation remembers the *path* of the bad value, and this module finds
//! its position when an error is reported: it walks the document again with a serde
//! seed that follows the path and raises an error at the target node. The YAML
//! deserializer stamps every error with the position of the node where it was raised,
//! and that position is the answer. Only files with errors pay for the second walk.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One step in a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key in a mapping.
    Key(String),
    /// A position in a sequence, from 0.
    Index(usize),
}

/// A path from the document root to a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YamlPath(Vec<Segment>);

impl YamlPath {
    /// The document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path, then the mapping key `key`.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_string()));
        Self(segments)
    }

    /// This path, then the sequence position `index`.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if n == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number, from 1, counted in characters.
    pub column: usize,
}

/// The error text our seed raises at the target; any other error is a real one.
const FOUND: &str = "lab: located";

/// Where the value at `path` starts in `text`, or `None` when the path does not lead
/// to a value (or the text does not parse).
pub fn locate(text: &str, path: &YamlPath) -> Option<Position> {
    let deserializer = serde_yaml_ng::Deserializer::from_str(text);
    let error = Seek(&path.0).deserialize(deserializer).err()?;
    if !error.to_string().contains(FOUND) {
        return None;
    }
    let location = error.location()?;
    Some(Position {
        line: location.line(),
        column: location.column(),
    })
}

/// Follows the remaining path; raises [`FOUND`] at the node where the path ends.
struct Seek<'p>(&'p [Segment]);

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seek<'_> {
    fn found<E: de::Error>(&self) -> Result<(), E> {
        if self.0.is_empty() {
            Err(E::custom(FOUND))
        } else {
            // A scalar where the path wants to go deeper: the path leads nowhere.
            Ok(())
        }
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let Some((first, rest)) = self.0.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        while let Some(key) = map.next_key::<KeyText>()? {
            match first {
                Segment::Key(wanted) if key.0.as_deref() == Some(wanted.as_str()) => {
                    map.next_value_seed(Seek(rest))?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let Some((first, rest)) = self.0.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        let mut index = 0;
        loop {
            let more = match first {
                Segment::Index(wanted) if *wanted == index => {
                    seq.next_element_seed(Seek(rest))?.is_some()
                }
                _ => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.found()
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.found()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.found()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.found()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.found()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.found()
    }
}

/// A mapping key as text; keys that are not strings (rare in lessons) never match.
struct KeyText(Option<String>);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml_ng::Value::deserialize(deserializer)?;
        Ok(KeyText(value.as_str().map(str::to_string)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
a: 1
steps:
  - id: x
    check: [foo, bar]
  - id: y
    check:
      - baz
      - id: qux
        with: { enabled: true }
";

    fn at(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn finds_scalars_in_flow_and_block_sequences() {
        let steps = YamlPath::root().key("steps");
        assert_eq!(
            locate(TEXT, &steps.index(0).key("check").index(1)),
            at(4, 18)
        );
        assert_eq!(
            locate(TEXT, &steps.index(1).key("check").index(0)),
            at(7, 9)
        );
        assert_eq!(
            locate(TEXT, &steps.index(1).key("check").index(1).key("id")),
            at(8, 13)
        );
    }

    #[test]
    fn finds_mappings_and_values_in_flow_mappings() {
        let check = YamlPath::root().key("steps").index(1).key("check").index(1);
        assert_eq!(locate(TEXT, &check), at(8, 9));
        assert_eq!(locate(TEXT, &check.key("with").key("enabled")), at(9, 26));
    }

    #[test]
    fn a_path_to_nowhere_is_none() {
        assert_eq!(locate(TEXT, &YamlPath::root().key("nope")), None);
        assert_eq!(locate(TEXT, &YamlPath::root().key("a").key("deeper")), None);
        assert_eq!(locate(TEXT, &YamlPath::root().key("steps").index(9)), None);
        // Past a syntax error there is nothing to find; before it, the value is found.
        assert_eq!(locate("a: [1\nb: 2\n", &YamlPath::root().key("b")), None);
        assert_eq!(
            locate("a: [1\nb: 2\n", &YamlPath::root().key("a")),
            at(1, 4)
        );
    }

    #[test]
    fn paths_display_like_serde_paths() {
        let path = YamlPath::root().key("steps").index(2).key("check").index(0);
        assert_eq!(path.to_string(), "steps[2].check[0]");
    }
}
