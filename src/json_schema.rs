//! JSON Schemas generated from the types they describe (lesson files, reports), with
//! every object's keys sorted: the same bytes whichever way `serde_json` was built
//! (some dependencies turn on its insertion-ordered maps).

use schemars::JsonSchema;
use serde_json::Value;

/// The JSON Schema of `T`, pretty-printed, keys sorted, ending in a newline.
pub fn render<T: JsonSchema>() -> String {
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("a schema serializes");
    let mut text = serde_json::to_string_pretty(&sorted(schema)).expect("a schema serializes");
    text.push('\n');
    text
}

fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
