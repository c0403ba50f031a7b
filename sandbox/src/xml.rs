//! awsQuery responses (SNS, CloudWatch) for the operations the front answers itself,
//! written with the SDK's own XML writer.

use aws_smithy_xml::encode::XmlWriter;

/// `<Name>text</Name>`, escaped.
pub fn element(name: &str, text: &str) -> String {
    let mut out = String::new();
    let mut writer = XmlWriter::new(&mut out);
    let mut scope = writer.start_el(name).finish();
    scope.data(text);
    scope.finish();
    out
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
