//! Desk's error replies: `{"errorCode":"CODE","message":"..."}`, with
//! `"errors":[{"fieldName","errorType","errorMessage"}]` for validation.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

/// One invalid or missing field of a validation error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FieldError {
    /// A JSON pointer into the body (`/departmentId`), or a header or query name.
    pub field_name: String,
    /// `missing`, `invalid` or `duplicate`.
    pub error_type: String,
    pub error_message: String,
}

impl FieldError {
    pub(crate) fn missing(field: &str, message: impl Into<String>) -> Self {
        Self {
            field_name: field.to_owned(),
            error_type: "missing".to_owned(),
            error_message: message.into(),
        }
    }

    /// A field error of any type (a scripted fault: see [`crate::FaultKind::FieldError`]).
    pub(crate) fn of_type(field: &str, error_type: &str, message: impl Into<String>) -> Self {
        Self {
            field_name: field.to_owned(),
            error_type: error_type.to_owned(),
            error_message: message.into(),
        }
    }

    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            field_name: field.to_owned(),
            error_type: "invalid".to_owned(),
            error_message: message.into(),
        }
    }
}

/// A Desk error reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeskError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u64>,
}

impl DeskError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "You are not authenticated to perform this operation.",
        )
    }

    pub(crate) fn invalid_oauth() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_OAUTH",
            "The OAuth Token you provided is invalid.",
        )
    }

    pub(crate) fn scope_mismatch(status: u16) -> Self {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
        Self::new(
            status,
            "SCOPE_MISMATCH",
            "The OAuth scope of the token does not allow this operation.",
        )
    }

    pub(crate) fn org_mismatch() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "OAUTH_ORG_MISMATCH",
            "The OAuth Token you provided does not belong to this organization.",
        )
    }

    pub(crate) fn unprocessable(message: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "UNPROCESSABLE_ENTITY",
                message,
            )
        }
    }

    /// Validation failures of a body: 422 `UNPROCESSABLE_ENTITY` with `errors[]`.
    pub(crate) fn validation(errors: Vec<FieldError>) -> Self {
        Self::unprocessable("An invalid value is given for one or more fields.", errors)
    }

    pub(crate) fn invalid_data(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_DATA",
                "The data you provided is invalid.",
            )
        }
    }

    pub(crate) fn extra_query_parameter(name: &str) -> Self {
        Self::unprocessable(
            format!("Extra query parameter '{name}' is present in the input."),
            Vec::new(),
        )
    }

    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "URL_NOT_FOUND",
            "The URL you requested could not be found.",
        )
    }

    pub(crate) fn too_large(max: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RESOURCE_SIZE_EXCEEDED",
            format!("The size of the file exceeds the limit of {max} bytes."),
        )
    }

    pub(crate) fn unsupported_media_type(expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            format!("The Content-Type must be {expected}."),
        )
    }

    pub(crate) fn too_many_requests(retry_after: Option<u64>) -> Self {
        Self {
            retry_after,
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "You have made too many requests. Please try again after some time.",
            )
        }
    }

    pub(crate) fn threshold_exceeded() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "THRESHOLD_EXCEEDED",
            "You have used up the API credits of your organization for the day.",
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "An internal server error occurred while performing this operation.",
        )
    }
}

impl IntoResponse for DeskError {
    fn into_response(self) -> Response {
        let mut body = json!({ "errorCode": self.code, "message": self.message });
        if !self.errors.is_empty() {
            body["errors"] = json!(self.errors);
        }
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub(crate) type DeskResult<T> = Result<T, DeskError>;
