//! SDK errors into typed [`ReadError`]s: access denied, throttled, not implemented
//! by the endpoint, or unavailable. The fetch decides "not found" per operation
//! before it gets here, since a missing resource is a fact, not an error.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::snapshot::{ReadError, ReadErrorKind};

const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "UnauthorizedException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "ExpiredToken",
    "ExpiredTokenException",
];

const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
];

/// The AWS error code of an SDK error, if the service sent one.
pub fn code<E: ProvideErrorMetadata>(error: &SdkError<E, HttpResponse>) -> Option<&str> {
    match error {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    }
}

/// The HTTP status of the response behind an SDK error, if there was one.
pub fn status<E>(error: &SdkError<E, HttpResponse>) -> Option<u16> {
    error.raw_response().map(|r| r.status().as_u16())
}

/// Whether an SDK error means the endpoint could not be reached or did not answer
/// (refused or dropped connection, time-out): nothing AWS said, so retrying the same
/// thing elsewhere is pointless until it answers.
pub fn unreachable<E, R>(error: &SdkError<E, R>) -> bool {
    matches!(
        error,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_)
    )
}

/// An SDK error in one line for a person: the service's code and message, or what
/// went wrong on the way (no connection, a time-out), never the SDK's debug dump.
pub fn one_line<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let cause = || {
        let mut last: &dyn std::error::Error = error;
        while let Some(next) = last.source() {
            last = next;
        }
        let text = last.to_string();
        match text.char_indices().nth(160) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text,
        }
    };
    match error {
        SdkError::ServiceError(e) => match (e.err().code(), e.err().message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.to_string(),
            _ => format!(
                "HTTP {} without an AWS error code",
                e.raw().status().as_u16()
            ),
        },
        SdkError::TimeoutError(_) => "no answer in time (the request timed out)".to_string(),
        SdkError::DispatchFailure(e) if e.is_timeout() => {
            "no answer in time (the connection timed out)".to_string()
        }
        SdkError::DispatchFailure(e) if e.is_io() => {
            format!("cannot connect to the endpoint ({})", cause())
        }
        // Sent, or partly sent, and what came back was no HTTP answer: the connection
        // closed, or the bytes were not HTTP.
        SdkError::DispatchFailure(_) => format!("no usable answer from the endpoint ({})", cause()),
        SdkError::ResponseError(e) => format!(
            "the answer could not be read (HTTP {})",
            e.raw().status().as_u16()
        ),
        _ => format!("the request could not be made ({})", cause()),
    }
}

/// Classifies an SDK error from the call whose IAM action is `action`.
pub fn classify<E>(action: &str, error: &SdkError<E, HttpResponse>) -> ReadError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let code = code(error);
    let status = status(error);
    let message = match error {
        SdkError::ServiceError(e) => e.err().message().map(str::to_string),
        _ => None,
    };
    let kind = match (code, status) {
        (Some(c), _) if DENIED.contains(&c) => ReadErrorKind::AccessDenied,
        (Some(c), _) if THROTTLED.contains(&c) => ReadErrorKind::Throttled,
        (None, Some(403)) => ReadErrorKind::AccessDenied,
        (None, Some(429)) => ReadErrorKind::Throttled,
        // An emulator answers operations it lacks with an HTML page, no AWS error code.
        (None, Some(404 | 500 | 501)) => ReadErrorKind::NotImplemented,
        _ => ReadErrorKind::Unavailable,
    };
    let detail = match (code, message, status) {
        (Some(code), Some(message), _) => format!("{code}: {message}"),
        (Some(code), None, _) => code.to_string(),
        (None, _, Some(status)) => format!("HTTP {status} without an AWS error code"),
        (None, _, None) => one_line(error),
    };
    ReadError {
        action: action.to_string(),
        kind,
        detail,
    }
}
