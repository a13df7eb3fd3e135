//! The one error type. Each variant carries what a user needs to find the problem: the file and
//! position, the resource, or the AWS service and operation.

use std::path::PathBuf;

use crate::model::Kind;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: not valid JSON: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("could not fetch {kind}: {message}")]
    Fetch { kind: Kind, message: String },
    #[error("{0}")]
    Usage(String),
    /// SIGINT or SIGTERM: stopped at a safe point, temp files removed.
    #[error("interrupted by {}: stopped with every file old or new", crate::interrupt::name(*.0))]
    Interrupted(i32),
}

impl Error {
    /// A JSON parse failure in `path`, with serde_json's line and column.
    pub fn json(path: impl Into<PathBuf>, err: &serde_json::Error) -> Self {
        let message = err.to_string();
        // serde_json appends " at line L column C"; we print the position in front instead.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        Error::Json {
            path: path.into(),
            line: err.line(),
            column: err.column(),
            message,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
