//! `driftwatch history`: the runs a history database holds, or one resource's timeline, in
//! console, JSON or Markdown. Reads the database only: nothing is
//! created, migrated or written, and a newer driftwatch's database is refused.

use crate::error::{Error, Result};
use crate::exit;
use crate::history::{db::Db, query, remote, Store};
use crate::out;
use crate::report;
use crate::report::Format;
use crate::settings::HistoryCommandSettings;

pub(crate) fn execute(s: &HistoryCommandSettings) -> Result<u8> {
    let (_copy, db) = match &s.store {
        Store::File(path) => {
            // Opening creates a database; a mistyped path must not pass for an empty history.
            if !path.is_file() {
                return Err(Error::Read {
                    path: path.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no history database here",
                    ),
                });
            }
            (None, Db::open_read(path)?)
        }
        Store::S3 { bucket, key } => {
            let (dir, db) = remote::open_copy(bucket, key, &s.aws)?;
            (Some(dir), db)
        }
    };
    let text = match &s.resource {
        Some((kind, id)) => {
            let rows = query::timeline(&db, kind.as_str(), id, s.limit)?;
            let what = format!("{kind}:{id}");
            match s.format {
                Format::Json => report::history::json(&rows),
                Format::Markdown => report::history::timeline_markdown(&what, &rows),
                _ => report::history::timeline_console(&what, &rows),
            }
        }
        None => {
            let rows = query::runs(&db, s.limit)?;
            match s.format {
                Format::Json => report::history::json(&rows),
                Format::Markdown => report::history::runs_markdown(&rows),
                _ => report::history::runs_console(&rows),
            }
        }
    };
    out::print(&text)?;
    Ok(exit::IN_SYNC)
}
