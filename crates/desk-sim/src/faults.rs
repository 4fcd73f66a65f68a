//! Scripted faults: "the next N requests matching METHOD and a path prefix get ...".

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One scripted fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// HTTP method, case-insensitive; `*` matches any.
    pub method: String,
    /// Path prefix (an exact path is a prefix of itself), e.g. `/api/v1/tickets`.
    pub path: String,
    /// How many matching requests get the fault.
    pub times: u32,
    pub kind: FaultKind,
}

impl Fault {
    /// The next request matching `method` and `path` gets `kind`.
    pub fn new(method: &str, path: &str, kind: FaultKind) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            times: 1,
            kind,
        }
    }

    /// The next `n` matching requests get the fault.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method))
            && path.starts_with(&self.path)
    }
}

/// What a faulted request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// 500 `INTERNAL_SERVER_ERROR`; nothing is applied.
    ServerError,
    /// 429 `TOO_MANY_REQUESTS`, with `Retry-After` when given; nothing is applied.
    TooManyRequests { retry_after: Option<u64> },
    /// Served normally after this delay (the delay holds a concurrency slot).
    Delay(Duration),
    /// The connection is closed without a reply; nothing is applied.
    DropBeforeApply,
    /// The request is applied, then the connection is closed without a reply.
    DropAfterApply,
    /// 422 `UNPROCESSABLE_ENTITY` with `errors:[{fieldName, errorType,
    /// errorMessage}]` naming one field (a JSON pointer such as
    /// `/contact/email`); nothing is applied. Lets a test make Desk refuse
    /// a value the app's own validation accepted.
    FieldError {
        field: String,
        error_type: String,
        message: String,
    },
}

/// The admin endpoint's JSON for a fault, flat so that it is easy to write with curl:
/// `{"method":"POST","path":"/api/v1/tickets","times":1,"kind":"drop_after_apply"}`;
/// `kind` is one of `server_error`, `too_many_requests` (with optional `retry_after`),
/// `delay` (with `delay_ms`), `drop_before_apply`, `drop_after_apply`,
/// `field_error` (with `field`, optional `error_type` (default `invalid`) and `message`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FaultSpec {
    pub method: String,
    pub path: String,
    #[serde(default = "one")]
    pub times: u32,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn one() -> u32 {
    1
}

impl FaultSpec {
    pub(crate) fn into_fault(self) -> Result<Fault, String> {
        let kind = match self.kind.as_str() {
            "server_error" => FaultKind::ServerError,
            "too_many_requests" => FaultKind::TooManyRequests {
                retry_after: self.retry_after,
            },
            "delay" => FaultKind::Delay(Duration::from_millis(
                self.delay_ms.ok_or("kind \"delay\" needs delay_ms")?,
            )),
            "drop_before_apply" => FaultKind::DropBeforeApply,
            "drop_after_apply" => FaultKind::DropAfterApply,
            "field_error" => {
                let field = self.field.ok_or("kind \"field_error\" needs field")?;
                FaultKind::FieldError {
                    message: self
                        .message
                        .unwrap_or_else(|| format!("The value of {field} is invalid.")),
                    error_type: self.error_type.unwrap_or_else(|| "invalid".to_owned()),
                    field,
                }
            }
            other => return Err(format!("unknown fault kind {other:?}")),
        };
        Ok(Fault {
            method: self.method,
            path: self.path,
            times: self.times,
            kind,
        })
    }

    pub(crate) fn from_fault(f: &Fault) -> Self {
        let mut spec = Self {
            method: f.method.clone(),
            path: f.path.clone(),
            times: f.times,
            kind: String::new(),
            retry_after: None,
            delay_ms: None,
            field: None,
            error_type: None,
            message: None,
        };
        spec.kind = match &f.kind {
            FaultKind::ServerError => "server_error",
            FaultKind::TooManyRequests { retry_after } => {
                spec.retry_after = *retry_after;
                "too_many_requests"
            }
            FaultKind::Delay(d) => {
                spec.delay_ms = Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
                "delay"
            }
            FaultKind::DropBeforeApply => "drop_before_apply",
            FaultKind::DropAfterApply => "drop_after_apply",
            FaultKind::FieldError {
                field,
                error_type,
                message,
            } => {
                spec.field = Some(field.clone());
                spec.error_type = Some(error_type.clone());
                spec.message = Some(message.clone());
                "field_error"
            }
        }
        .to_owned();
        spec
    }
}

/// The queue of pending faults, consumed in the order they were injected.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queue: Mutex<Vec<Fault>>,
}

impl Faults {
    pub(crate) fn inject(&self, fault: Fault) {
        if fault.times > 0 {
            lock(&self.queue).push(fault);
        }
    }

    /// Takes one use of the first fault matching this request, if any.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<FaultKind> {
        let mut queue = lock(&self.queue);
        let i = queue.iter().position(|f| f.matches(method, path))?;
        let kind = queue[i].kind.clone();
        queue[i].times -= 1;
        if queue[i].times == 0 {
            queue.remove(i);
        }
        Some(kind)
    }

    pub(crate) fn pending(&self) -> Vec<Fault> {
        lock(&self.queue).clone()
    }

    pub(crate) fn clear(&self) {
        lock(&self.queue).clear();
    }
}

/// Locks a mutex, recovering from poisoning: a panicked handler must not take
/// the whole simulator down with it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_used_up_after_its_times() {
        let faults = Faults::default();
        faults.inject(Fault::new("post", "/api/v1/tickets", FaultKind::ServerError).times(2));
        assert_eq!(faults.take("GET", "/api/v1/tickets"), None);
        assert_eq!(
            faults.take("POST", "/api/v1/tickets/1/comments"),
            Some(FaultKind::ServerError)
        );
        assert_eq!(
            faults.take("POST", "/api/v1/tickets"),
            Some(FaultKind::ServerError)
        );
        assert_eq!(faults.take("POST", "/api/v1/tickets"), None);
    }

    #[test]
    fn a_field_error_fault_reads_from_and_writes_to_the_admin_json() {
        let spec: FaultSpec = serde_json::from_value(serde_json::json!({
            "method": "POST", "path": "/api/v1/tickets", "kind": "field_error",
            "field": "/contact/email", "message": "Email is not valid."
        }))
        .unwrap();
        let fault = spec.into_fault().unwrap();
        assert_eq!(
            fault.kind,
            FaultKind::FieldError {
                field: "/contact/email".into(),
                error_type: "invalid".into(),
                message: "Email is not valid.".into()
            }
        );
        let back = serde_json::to_value(FaultSpec::from_fault(&fault)).unwrap();
        assert_eq!(back["kind"], "field_error");
        assert_eq!(back["field"], "/contact/email");
    }

    #[test]
    fn faults_apply_in_injection_order() {
        let faults = Faults::default();
        faults.inject(Fault::new("*", "/api", FaultKind::DropBeforeApply));
        faults.inject(Fault::new("*", "/api", FaultKind::DropAfterApply));
        assert_eq!(
            faults.take("GET", "/api/v1/x"),
            Some(FaultKind::DropBeforeApply)
        );
        assert_eq!(
            faults.take("GET", "/api/v1/x"),
            Some(FaultKind::DropAfterApply)
        );
    }
}
