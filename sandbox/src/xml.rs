//! awsQuery responses (SNS, CloudWatch) for the operations the front answers itself.

/// Escapes text for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `<Name>text</Name>`, escaped.
pub fn element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// A whole response: `<{op}Response xmlns=..><{op}Result>{result}</{op}Result>...`.
pub fn response(operation: &str, namespace: &str, result: &str, request_id: &str) -> String {
    format!(
        "<{operation}Response xmlns=\"{namespace}\"><{operation}Result>{result}</{operation}Result>\
         <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{operation}Response>"
    )
}

/// An error response, as awsQuery services send them.
pub fn error(code: &str, message: &str, request_id: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type>{}{}</Error>{}</ErrorResponse>",
        element("Code", code),
        element("Message", message),
        element("RequestId", request_id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            element("A", "<b> & \"c\""),
            "<A>&lt;b&gt; &amp; &quot;c&quot;</A>"
        );
    }
}
