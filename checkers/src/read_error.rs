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
        (None, _, None) => aws_smithy_types::error::display::DisplayErrorContext(error).to_string(),
    };
    ReadError {
        action: action.to_string(),
        kind,
        detail,
    }
}
