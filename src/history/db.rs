//! The history database (`--history PATH`): an embedded SQLite file (bundled, no system library).
//! One transaction per run, taken before the previous run is read (`BEGIN IMMEDIATE`), so two runs
//! writing at once queue up and the second sees the first as its previous run; WAL and a busy
//! timeout let readers and a waiting writer through; a run killed mid-write leaves the database
//! as it was (SQLite's journal). I/O only; the marking is [`super::mark`].

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::fingerprint::{Finding, Key};
use super::mark::{mark, Checked, Previous};
use crate::diff::Report;
use crate::error::{Error, Result};

/// WAL, foreign keys and the tables, retried while another run holds the database. SQLite does
/// not always wait on its busy handler here: switching a new database to WAL needs it alone,
/// and a `CREATE TABLE IF NOT EXISTS` in autocommit reads the schema before it asks to write,
/// which SQLite answers with an immediate "database is locked" when another connection is
/// writing (it would otherwise deadlock). Measured with the test of four runs creating one
/// database at once: one run failed in 1 of 6 tries without this, none in 20 with it. The tables are made in a `BEGIN IMMEDIATE` transaction (the
/// write lock first, waited for) and the whole set-up retried until [`BUSY_TIMEOUT`].
fn set_up(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        let attempt = conn
            .pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|()| conn.execute_batch(&format!("BEGIN IMMEDIATE;{SCHEMA}COMMIT;")));
        match attempt {
            Err(e)
                if is_busy(&e)
                    && std::time::Instant::now() < deadline
                    && crate::interrupt::requested().is_none() =>
            {
                if !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// SQLite's busy handler: waits for another run's transaction up to [`BUSY_TIMEOUT`], and
/// stops waiting at SIGINT/SIGTERM (a signal parked in the flag must not leave the run
/// blocked for a minute). `n` is how many times it was called for this wait.
fn wait_unless_interrupted(n: i32) -> bool {
    const STEP: std::time::Duration = std::time::Duration::from_millis(20);
    if n == 0 {
        tracing::info!("the history database is busy (another run is writing it): waiting");
    }
    if crate::interrupt::requested().is_some() || STEP * n.unsigned_abs() >= BUSY_TIMEOUT {
        return false;
    }
    std::thread::sleep(STEP);
    true
}

/// How long a run waits for another run's transaction before giving up (exit 2).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    checked_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    refs TEXT NOT NULL,
    findings INTEGER NOT NULL,
    new INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    errors INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_scope ON runs(scope, id);
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    source TEXT NOT NULL, target TEXT, kind TEXT NOT NULL, id TEXT NOT NULL,
    reference TEXT NOT NULL, status TEXT NOT NULL, fingerprint TEXT NOT NULL,
    first_seen TEXT, new INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
CREATE INDEX IF NOT EXISTS findings_resource ON findings(kind, id);
CREATE TABLE IF NOT EXISTS resolved (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target TEXT, kind TEXT NOT NULL, id TEXT NOT NULL, reference TEXT NOT NULL,
    status TEXT NOT NULL, first_seen TEXT
);
CREATE INDEX IF NOT EXISTS resolved_resource ON resolved(kind, id);
CREATE TABLE IF NOT EXISTS errors (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target TEXT, kind TEXT, message TEXT NOT NULL
);
PRAGMA user_version = 1;
";

/// What a run records besides its report: when, what it covered, and how long to keep runs.
pub struct Run<'a> {
    pub now: &'a str,
    /// The targets and kinds of the run, as one string: runs with the same scope follow each
    /// other (the previous run of a nightly `--kind aws_iam_role` job is not the full one).
    pub scope: &'a str,
    pub checked: &'a Checked,
    /// Runs older than this (RFC 3339) are pruned, except the latest of each scope.
    pub prune_before: Option<&'a str>,
}

/// An open history database.
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

impl Db {
    /// Opens (creating it if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Db> {
        let fail = |e: rusqlite::Error| invalid(path, &e);
        // Like report files: the folder is created (a cron job's /var/lib/driftwatch).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mut conn = Connection::open(path).map_err(fail)?;
        conn.busy_handler(Some(wait_unless_interrupted))
            .map_err(fail)?;
        set_up(&conn).map_err(fail)?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Marks `report` against the previous run of the same scope and records it, in one
    /// transaction.
    pub fn record(&mut self, report: &mut Report, run: &Run) -> Result<()> {
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| invalid(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let previous = previous(&tx, run.scope).map_err(fail)?;
        let findings = mark(report, previous.as_ref(), run.now, run.checked);
        insert(&tx, report, &findings, run).map_err(fail)?;
        if let Some(before) = run.prune_before {
            tx.execute(
                "DELETE FROM runs WHERE checked_at < ?1 \
                 AND id NOT IN (SELECT MAX(id) FROM runs GROUP BY scope)",
                params![before],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    /// Folds the write-ahead log into the file and closes it: the file alone is then the whole
    /// database (to upload it).
    pub fn close(self) -> Result<()> {
        let path = self.path.clone();
        self.conn
            .pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .map_err(|e| invalid(&path, &e))?;
        self.conn.close().map_err(|(_, e)| invalid(&path, &e))
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The database error as our error, naming the file; a wait for another run's write that a
/// signal ended is the interruption it is.
pub fn invalid(path: &Path, e: &rusqlite::Error) -> Error {
    if let (true, Some(sig)) = (is_busy(e), crate::interrupt::requested()) {
        return Error::Interrupted(sig);
    }
    Error::Invalid {
        path: path.to_path_buf(),
        message: format!("history database: {e}"),
    }
}

/// The latest run of `scope`, with its findings; `None` before the first.
fn previous(tx: &Transaction, scope: &str) -> rusqlite::Result<Option<Previous>> {
    let run: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, checked_at FROM runs WHERE scope = ?1 ORDER BY id DESC LIMIT 1",
            params![scope],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, checked_at)) = run else {
        return Ok(None);
    };
    let mut stmt = tx.prepare(
        "SELECT source, target, kind, id, reference, status, fingerprint, first_seen \
         FROM findings WHERE run_id = ?1",
    )?;
    let findings = stmt
        .query_map(params![id], |r| {
            Ok(Finding {
                key: Key {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    kind: r.get(2)?,
                    id: r.get(3)?,
                    reference: r.get(4)?,
                },
                status: r.get(5)?,
                fingerprint: r.get(6)?,
                first_seen: r.get(7)?,
                new: false,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(Previous {
        checked_at: Some(checked_at),
        findings,
    }))
}

fn insert(
    tx: &Transaction,
    report: &Report,
    findings: &[Finding],
    run: &Run,
) -> rusqlite::Result<()> {
    let resolved = report.resolved.as_deref().unwrap_or_default();
    let refs = serde_json::to_string(&report.references).unwrap_or_default();
    tx.execute(
        "INSERT INTO runs (checked_at, scope, refs, findings, new, resolved, errors) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            run.now,
            run.scope,
            refs,
            findings.len() as i64,
            report.summary.new.unwrap_or(0) as i64,
            resolved.len() as i64,
            report.errors.len() as i64
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut stmt = tx.prepare(
        "INSERT INTO findings (run_id, source, target, kind, id, reference, status, \
         fingerprint, first_seen, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for f in findings {
        let k = &f.key;
        stmt.execute(params![
            id,
            k.source,
            k.target,
            k.kind,
            k.id,
            k.reference,
            f.status,
            f.fingerprint,
            f.first_seen,
            f.new
        ])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO resolved (run_id, target, kind, id, reference, status, first_seen) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for r in resolved {
        stmt.execute(params![
            id,
            r.target,
            r.kind,
            r.id,
            r.reference,
            r.status,
            r.first_seen
        ])?;
    }
    let mut stmt =
        tx.prepare("INSERT INTO errors (run_id, target, kind, message) VALUES (?1, ?2, ?3, ?4)")?;
    for e in &report.errors {
        stmt.execute(params![id, e.target, e.kind.map(|k| k.as_str()), e.message])?;
    }
    Ok(())
}
