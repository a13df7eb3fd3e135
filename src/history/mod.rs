//! History: what a run found compared with the previous run of the same scope. Each finding is
//! `new` or known (with `first_seen`); findings of the previous run that are gone are
//! `resolved`. The previous run comes from yesterday's JSON report (`--since`, [`since`]) or a
//! SQLite database (`--history`, [`db`]); [`mark`] is the pure part both share, keyed by
//! [`fingerprint`]s. Only a previous run of the same accounts counts ([`owner`]).

pub(crate) mod db;
pub(crate) mod query;
pub(crate) mod remote;

pub use driftwatch_core::history::{fingerprint, mark, owner, rows, since, trend};

use std::path::PathBuf;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::diff::Report;
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::settings::HistorySettings;

/// Where the history database is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    /// A local SQLite file.
    File(PathBuf),
    /// A SQLite file kept in S3, for CI runners that keep nothing between runs: downloaded,
    /// updated and written back with a conditional put ([`remote`]).
    S3 { bucket: String, key: String },
}

impl Store {
    /// `s3://BUCKET/KEY` or a path.
    pub fn parse(spec: &str) -> std::result::Result<Store, String> {
        match spec.strip_prefix("s3://") {
            Some(rest) => match rest.split_once('/') {
                Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => Ok(Store::S3 {
                    bucket: bucket.to_string(),
                    key: key.to_string(),
                }),
                _ => Err(format!("history `{spec}`: expected s3://BUCKET/KEY")),
            },
            None => Ok(Store::File(PathBuf::from(spec))),
        }
    }
}

/// The time as history writes it: RFC 3339, UTC, whole seconds (`2026-11-29T02:00:00Z`), so
/// times compare as text.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `text` as a time, if it is RFC 3339 in UTC (`Z`, not an offset; `T` between date and time).
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    let utc = text.ends_with('Z');
    let separated = text.len() <= 10 || matches!(text.as_bytes()[10], b'T' | b't');
    (utc && separated)
        .then(|| OffsetDateTime::parse(text, &Rfc3339).ok())
        .flatten()
}

/// The time `days` days before `now` (RFC 3339): runs older are pruned.
pub fn days_before(now: &str, days: u32) -> Option<String> {
    let now = parse_time(now)?;
    Some(rfc3339(now.checked_sub(Duration::days(i64::from(days)))?))
}

/// The run's scope as one string: each target (by name) with its kinds. Only runs of the same
/// scope follow each other in the database.
pub fn scope_key(scope: &[(Option<String>, Vec<Kind>)]) -> String {
    let mut parts: Vec<String> = scope
        .iter()
        .map(|(target, kinds)| {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            format!("{}={}", target.as_deref().unwrap_or(""), kinds.join(","))
        })
        .collect();
    parts.sort();
    parts.join(" ")
}

/// Marks `report` against the previous run of the same targets and accounts (`--since` or the
/// database) and, with a database, records this run. `targets` says which account each target
/// checked, as the command found it (the identity is an input: a run that could not tell its
/// account says `None`).
pub fn apply(report: &mut Report, h: &HistorySettings, targets: &[owner::Target]) -> Result<()> {
    let scope: Vec<(Option<String>, Vec<Kind>)> = targets
        .iter()
        .map(|t| (t.name.clone(), t.kinds.clone()))
        .collect();
    let checked = mark::Checked::of(report, &scope);
    if let Some(path) = &h.since {
        let since = read_since(path, targets)?;
        mark::mark(
            report,
            since.as_ref().map(|s| &s.previous),
            &h.now,
            &checked,
        );
        report.trend = match since {
            Some(s) => {
                let this = trend::this_point(report, s.point.run + 1, &h.now);
                vec![s.point, this]
            }
            // No previous run: this one is the first.
            None => vec![trend::this_point(report, 1, &h.now)],
        };
    }
    let Some(store) = &h.store else {
        return Ok(());
    };
    let prune_before = days_before(&h.now, h.keep_days);
    let run = db::Run {
        now: &h.now,
        scope: &scope_key(&scope),
        owner: &owner::owner_key(targets),
        targets,
        checked: &checked,
        prune_before: prune_before.as_deref(),
    };
    match store {
        Store::File(path) => {
            let mut db = db::Db::open(path)?;
            db.record(report, &run)?;
            report.trend = query::trend(&db, &run)?;
            Ok(())
        }
        Store::S3 { bucket, key } => remote::record(report, &run, bucket, key, &h.aws),
    }
}

/// The previous run a `--since` report describes. A file that does not exist is a first run
/// (every finding new, with a warning): the first night of a job has no yesterday, and treating
/// it so can only report more, never less. A report of another account or region is an error
/// ([`owner::check_since`]); one that records no account is used with a warning.
fn read_since(path: &std::path::Path, targets: &[owner::Target]) -> Result<Option<since::Since>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(
                "{} does not exist: no previous run, every finding is new",
                path.display()
            );
            return Ok(None);
        }
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let invalid = |message| Error::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let since = since::parse(&text).map_err(invalid)?;
    match owner::check_since(since.accounts.as_deref(), targets).map_err(invalid)? {
        owner::Since::Same => {}
        owner::Since::Unrecorded => tracing::warn!(
            "{} records no account (written before reports recorded one): used as the previous \
             run of this account; the report this run writes records it",
            path.display()
        ),
    }
    Ok(Some(since))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_and_days_count_back() {
        let t = parse_time("2026-11-29T02:00:00Z").unwrap();
        assert_eq!(rfc3339(t), "2026-11-29T02:00:00Z");
        assert_eq!(
            days_before("2026-11-29T02:00:00Z", 90).as_deref(),
            Some("2026-08-31T02:00:00Z")
        );
        assert!(parse_time("yesterday").is_none());
        // Whole seconds, in UTC only: an offset is not taken as a time (as the SDK's parser did).
        let t = parse_time("2026-11-29T02:00:00.75Z").unwrap();
        assert_eq!(rfc3339(t), "2026-11-29T02:00:00Z");
        assert!(parse_time("2026-11-29T02:00:00+01:00").is_none());
        assert!(parse_time("2026-11-29 02:00:00Z").is_none());
        assert_eq!(
            rfc3339(std::time::UNIX_EPOCH.into()),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn a_store_is_a_path_or_an_s3_object() {
        assert_eq!(
            Store::parse("s3://ci-state/drift/history.db").unwrap(),
            Store::S3 {
                bucket: "ci-state".into(),
                key: "drift/history.db".into()
            }
        );
        assert_eq!(
            Store::parse("drift.db").unwrap(),
            Store::File("drift.db".into())
        );
        assert!(Store::parse("s3://bucket-only").is_err());
    }

    #[test]
    fn the_scope_key_does_not_depend_on_target_order() {
        let a = vec![
            (Some("eu".to_string()), vec![Kind::IamRole]),
            (Some("us".to_string()), vec![Kind::IamRole, Kind::SqsQueue]),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(scope_key(&a), scope_key(&b));
        assert_ne!(scope_key(&a), scope_key(&a[..1]));
    }
}
