//! Text inside XML: the JUnit report and the handbook's SVG picture.

/// Escapes `text` for an XML element or attribute value: markup characters become
/// entities, a line break `&#10;` (so attributes keep it), and the control
/// characters XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a <b> & \"c\" 'd'\u{1}\n"),
            "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#10;"
        );
    }
}
