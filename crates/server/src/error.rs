//! Every failure of a request as a JSON body `{"error": "..."}` with its
//! status, saying what to do about it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

impl From<warcoder_store::StoreError> for ApiError {
    fn from(e: warcoder_store::StoreError) -> Self {
        match e {
            // Serving a read-only store is fine; storing into it is refused.
            warcoder_store::StoreError::ReadOnly(_) => {
                ApiError::new(StatusCode::FORBIDDEN, e.to_string())
            }
            e => ApiError::internal(format!("the event store failed: {e}")),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        // The rejection's status says which: 400 bad JSON, 413 too large,
        // 415 not JSON, 422 the wrong shape (reported as 400).
        let status = match r.status() {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            s => s,
        };
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => {
                "the request body is over the server's size limit".to_string()
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                "send the body as JSON with the header Content-Type: application/json".to_string()
            }
            _ => r.body_text(),
        };
        ApiError::new(status, message)
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

/// The answer to a panic in a handler (caught by the catch-panic layer):
/// a 500 in JSON; the server goes on.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("the server hit a bug on this request; please report it").into_response()
}
