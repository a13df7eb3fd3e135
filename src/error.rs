//! The one error type. Each variant carries what a user needs to find the problem: the file and
//! position, the resource, or the AWS service and operation.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
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
    /// The account could not be reached at all (no credentials, no region): nothing fetched.
    #[error("{0}")]
    Fetch(#[from] FetchError),
    /// What was asked cannot be done as asked: a flag, a value in `driftwatch.toml` or the
    /// environment, a selector. Said with the flag or key it is about.
    #[error("{0}")]
    Usage(String),
    /// Targets that could not even start (no credentials, no region), one line per cause,
    /// naming the targets it stopped.
    #[error("{0}")]
    Setup(String),
    /// An AWS call outside the fetch of kinds failed (a state or the history in S3), or the AWS
    /// configuration it needed could not be loaded; the text names the call and the object.
    #[error("{0}")]
    Aws(String),
    /// Whose account the credentials reach could not be told, so a golden folder that records
    /// it is not written.
    #[error(
        "cannot tell which account the credentials belong to, so {} is not written: {source}",
        folder.display()
    )]
    UnknownAccount { folder: PathBuf, source: FetchError },
    /// Kinds that could not be read from the account, `kind: cause` a line; nothing was written.
    #[error("could not read the account, so nothing was written:\n{}", .lines.join("\n"))]
    NotRead { lines: Vec<String> },
    /// A `--state` (or `states`) value that names no state driftwatch can read.
    #[error("`{spec}`: {problem}")]
    StateLocation { spec: String, problem: String },
    /// Two states describe the same resource (`merge` says which addresses).
    #[error("{0}: a resource must be in one state only")]
    InTwoStates(String),
    /// The history in S3 holds no database yet, or other runs kept winning the race to write it.
    #[error("{0}")]
    History(String),
    /// Another process holds the golden folder's lock: the message names it, the wait and the
    /// lock file.
    #[error("{0}")]
    Locked(String),
    /// A resource whose id is empty, which has no file name in `dir`.
    #[error("a resource with an empty id cannot be written to {}", dir.display())]
    EmptyId { dir: PathBuf },
    /// This process could not do its own part: start the async runtime or a thread, or a
    /// thread of it panicked. Not the user's doing.
    #[error("{0}")]
    Internal(String),
    /// SIGINT or SIGTERM: stopped at a safe point, temp files removed.
    #[error("interrupted by {}: stopped with every file old or new", crate::interrupt::name(*.0))]
    Interrupted(i32),
}

impl Error {
    /// A JSON parse failure in `path`, with serde_json's line and column.
    pub(crate) fn json(path: impl Into<PathBuf>, err: &serde_json::Error) -> Self {
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

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// Seconds as people write them: `2 s`, `1.5 s`. Here, not in `aws::limits`, because errors
/// say them (a run's deadline) and the AWS layer uses the error type, not the other way round.
pub(crate) fn seconds(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// A fetch that failed, as data: which call, what happened, what to do about it. Rendered as
/// one line, `<operation> failed: <cause> (<hint>)` and the like (see [`Cause`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FetchError {
    /// `service:Operation` (with what it was called on, e.g. an S3 object) when one call
    /// failed; `None` for what precedes every call (credentials, region) or spans several.
    pub operation: Option<String>,
    pub cause: Cause,
    /// What the user can do about it, said in parentheses after the cause.
    pub hint: Option<String>,
}

/// What went wrong with a fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cause {
    /// An error answer, or none at all: `<operation> failed: <detail>`.
    Failed(String),
    /// No answer in time: `<operation> timed out<after>` (`after` as " after 2 s", or empty).
    TimedOut(String),
    /// Anything else said about the operation (or alone): `<operation>: <text>`.
    Said(String),
    /// The run's deadline passed before the kind was fetched, with the calls still waiting
    /// (`sqs:ListQueues (1)`).
    Deadline {
        length: std::time::Duration,
        waiting: Vec<String>,
    },
}

impl FetchError {
    /// A failure described by text alone (credentials, region, a malformed answer).
    pub(crate) fn said(text: impl Into<String>) -> Self {
        FetchError {
            operation: None,
            cause: Cause::Said(text.into()),
            hint: None,
        }
    }

    /// `operation` answered, but not with what we can use: `<operation>: <text>`.
    pub(crate) fn of(operation: &str, text: impl Into<String>) -> Self {
        FetchError {
            operation: Some(operation.to_string()),
            cause: Cause::Said(text.into()),
            hint: None,
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = self.operation.as_deref();
        match (&self.cause, op) {
            (Cause::Failed(detail), Some(op)) => write!(f, "{op} failed: {detail}")?,
            (Cause::TimedOut(after), Some(op)) => write!(f, "{op} timed out{after}")?,
            (Cause::Failed(text) | Cause::TimedOut(text) | Cause::Said(text), None) => {
                f.write_str(text)?
            }
            (Cause::Said(text), Some(op)) => write!(f, "{op}: {text}")?,
            (Cause::Deadline { length, .. }, _) => write!(
                f,
                "timed out: not fetched within the run's deadline of {}",
                seconds(*length)
            )?,
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        if let Cause::Deadline { waiting, .. } = &self.cause {
            if !waiting.is_empty() {
                write!(f, "; still waiting for {}", waiting.join(", "))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

impl From<String> for FetchError {
    fn from(text: String) -> Self {
        FetchError::said(text)
    }
}

#[cfg(test)]
mod tests;
