//! Reading the history database for `driftwatch history`: the runs, and one resource's
//! timeline. I/O; the renderers are in `report/history.rs`.

use rusqlite::params;

use super::db::{invalid, Db, Run};
use crate::error::Result;
pub use crate::history::rows::{RunRow, TimelineRow};

/// How many runs the HTML report's chart shows.
pub const TREND_RUNS: u32 = 30;

/// The latest `limit` runs, the latest first.
pub fn runs(db: &Db, limit: u32) -> Result<Vec<RunRow>> {
    let fail = |e: rusqlite::Error| invalid(db.path(), &e);
    let mut stmt = db
        .connection()
        .prepare(
            "SELECT id, checked_at, scope, findings, new, resolved, errors FROM runs \
             ORDER BY id DESC LIMIT ?1",
        )
        .map_err(fail)?;
    let rows = stmt
        .query_map(params![limit], run_row)
        .map_err(fail)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(fail)?;
    Ok(rows)
}

/// The runs the previous-run rule would have followed up to `run` (its scope, its accounts or
/// none recorded), the last [`TREND_RUNS`] of them, oldest first: the HTML report's chart.
/// Counted by resource (target, kind, id), as the summary line counts, where the database
/// holds a row per resource and reference: new when any of its rows is.
pub fn trend(db: &Db, run: &Run) -> Result<Vec<RunRow>> {
    let fail = |e: rusqlite::Error| invalid(db.path(), &e);
    let mut stmt = db
        .connection()
        .prepare(
            "SELECT r.id, r.checked_at, r.scope,
               (SELECT COUNT(*) FROM (SELECT 1 FROM findings f WHERE f.run_id = r.id
                  GROUP BY f.target, f.kind, f.id)),
               (SELECT COUNT(*) FROM (SELECT 1 FROM findings f WHERE f.run_id = r.id
                  GROUP BY f.target, f.kind, f.id HAVING MAX(f.new) = 1)),
               (SELECT COUNT(*) FROM (SELECT 1 FROM resolved x WHERE x.run_id = r.id
                  GROUP BY x.target, x.kind, x.id)),
               r.errors
             FROM runs r WHERE r.scope = ?1 AND (r.owner = ?2 OR r.owner IS NULL)
             ORDER BY r.id DESC LIMIT ?3",
        )
        .map_err(fail)?;
    let mut rows = stmt
        .query_map(params![run.scope, run.owner, TREND_RUNS], run_row)
        .map_err(fail)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(fail)?;
    rows.reverse();
    Ok(rows)
}

fn run_row(r: &rusqlite::Row) -> rusqlite::Result<RunRow> {
    let findings: i64 = r.get(3)?;
    let new: i64 = r.get(4)?;
    Ok(RunRow {
        run: r.get(0)?,
        checked_at: r.get(1)?,
        scope: r.get(2)?,
        findings,
        new,
        known: findings - new,
        resolved: r.get(5)?,
        errors: r.get(6)?,
    })
}

/// The runs of the last `limit` in which `kind:id` was a finding or was resolved, oldest first.
pub fn timeline(db: &Db, kind: &str, id: &str, limit: u32) -> Result<Vec<TimelineRow>> {
    let fail = |e: rusqlite::Error| invalid(db.path(), &e);
    let mut stmt = db
        .connection()
        .prepare(
            "SELECT * FROM (
               SELECT r.id, r.checked_at, f.target, f.reference, f.status, f.new, f.first_seen,
                      f.fingerprint
                 FROM findings f JOIN runs r ON r.id = f.run_id WHERE f.kind = ?1 AND f.id = ?2
               UNION ALL
               SELECT r.id, r.checked_at, x.target, x.reference, 'resolved', 0, x.first_seen, NULL
                 FROM resolved x JOIN runs r ON r.id = x.run_id WHERE x.kind = ?1 AND x.id = ?2
             ) WHERE id IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?3)
             ORDER BY 1, 3, 4",
        )
        .map_err(fail)?;
    let rows = stmt
        .query_map(params![kind, id, limit], |r| {
            Ok(TimelineRow {
                run: r.get(0)?,
                checked_at: r.get(1)?,
                target: r.get(2)?,
                reference: r.get(3)?,
                status: r.get(4)?,
                new: r.get(5)?,
                first_seen: r.get(6)?,
                fingerprint: r.get(7)?,
            })
        })
        .map_err(fail)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(fail)?;
    Ok(rows)
}
