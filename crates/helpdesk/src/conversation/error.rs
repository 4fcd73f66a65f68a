//! What can go wrong with the conversation itself. Desk's troubles are not
//! errors here: they become engine events ("queued", "couldn't reach").

/// `Result` with the conversation [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database the conversation and the outbox share.
    #[error(transparent)]
    Outbox(#[from] crate::outbox::Error),
    #[error("the saved conversation could not be read or written: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the conversation worker stopped unexpectedly: {0}")]
    Worker(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Self::Outbox(e.into())
    }
}
