//! History, the pure part: what a run found compared with the previous run of the same scope.
//! Each finding is `new` or known (with `first_seen`); findings of the previous run that are
//! gone are `resolved`. [`mark`] is the part the `--since` report and the database share, keyed
//! by [`fingerprint`]s; only a previous run of the same accounts counts ([`owner`]); [`since`]
//! reads a previous JSON report's text. The database and its files are the binary's.

pub mod fingerprint;
pub mod mark;
pub mod owner;
pub mod rows;
pub mod since;
pub mod trend;
