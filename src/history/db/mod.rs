//! The history database (`--history PATH`): an embedded SQLite file (bundled, no system library).
//! One transaction per run, taken before the previous run is read (`BEGIN IMMEDIATE`), so two runs
//! writing at once queue up and the second sees the first as its previous run; WAL and a busy
//! timeout let readers and a waiting writer through; a run killed mid-write leaves the database
//! as it was (SQLite's journal). I/O only; the marking is [`super::mark`].

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};

mod rows;

use super::mark::{mark, Checked};
use super::owner::Target;
use crate::diff::Report;
use crate::error::{Error, Result};
use rows::{insert, previous};

/// Why the set-up stopped: SQLite's error, or a schema this driftwatch does not know.
enum SetUp {
    Sql(rusqlite::Error),
    Newer(i64),
}

impl From<rusqlite::Error> for SetUp {
    fn from(e: rusqlite::Error) -> Self {
        SetUp::Sql(e)
    }
}

/// The schema version first, before anything is written (a database of a newer driftwatch is
/// left byte for byte as it was); then WAL, foreign keys, and the tables made or migrated in one
/// transaction; retried while another run holds the database. SQLite does
/// not always wait on its busy handler here: switching a new database to WAL needs it alone,
/// and a `CREATE TABLE IF NOT EXISTS` in autocommit reads the schema before it asks to write,
/// which SQLite answers with an immediate "database is locked" when another connection is
/// writing (it would otherwise deadlock). Measured with the test of four runs creating one
/// database at once: one run failed in 1 of 6 tries without this, none in 20 with it. The tables
/// are made in a `BEGIN IMMEDIATE` transaction (the write lock first, waited for; the version
/// read again under it, as another run may have migrated meanwhile) and the whole set-up retried
/// until [`BUSY_TIMEOUT`].
fn set_up(conn: &Connection) -> std::result::Result<(), SetUp> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        let attempt = (|| -> std::result::Result<(), SetUp> {
            known_version(conn)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.execute_batch("BEGIN IMMEDIATE")?;
            match known_version(conn)? {
                0 => conn.execute_batch(SCHEMA)?,
                1 => conn.execute_batch(MIGRATE_1_TO_2)?,
                _ => {}
            }
            conn.execute_batch("COMMIT")?;
            Ok(())
        })();
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        match attempt {
            Err(SetUp::Sql(e))
                if is_busy(&e)
                    && std::time::Instant::now() < deadline
                    && crate::interrupt::requested().is_none() =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// The schema version (`user_version`: 0 for a new file), refused when newer than [`VERSION`].
fn known_version(conn: &Connection) -> std::result::Result<i64, SetUp> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > VERSION {
        return Err(SetUp::Newer(version));
    }
    Ok(version)
}

fn set_up_error(path: &Path, e: SetUp) -> Error {
    match e {
        SetUp::Sql(e) => invalid(path, &e),
        SetUp::Newer(version) => newer(path, version),
    }
}

/// A database of a newer driftwatch: its tables may mean what this one cannot know.
fn newer(path: &Path, version: i64) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        message: format!(
            "history database of schema version {version}, written by a newer driftwatch; this \
             driftwatch knows version {VERSION} and older and left the file untouched: upgrade \
             driftwatch, or use another history file"
        ),
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

/// The schema version this driftwatch writes (`PRAGMA user_version`). 1: the first schema;
/// 2: runs record their owners (`runs.owner`, [`super::owner::owner_key`]) and findings and
/// resolutions the account, partition and region of their target.
pub const VERSION: i64 = 2;

/// A new database, at [`VERSION`]. Run inside the set-up's transaction.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    checked_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    refs TEXT NOT NULL,
    findings INTEGER NOT NULL,
    new INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    owner TEXT
);
CREATE INDEX IF NOT EXISTS runs_scope ON runs(scope, id);
CREATE INDEX IF NOT EXISTS runs_owner ON runs(scope, owner, id);
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    source TEXT NOT NULL, target TEXT, kind TEXT NOT NULL, id TEXT NOT NULL,
    reference TEXT NOT NULL, status TEXT NOT NULL, fingerprint TEXT NOT NULL,
    first_seen TEXT, new INTEGER NOT NULL,
    account TEXT, partition TEXT, region TEXT
);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
CREATE INDEX IF NOT EXISTS findings_resource ON findings(kind, id);
CREATE TABLE IF NOT EXISTS resolved (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target TEXT, kind TEXT NOT NULL, id TEXT NOT NULL, reference TEXT NOT NULL,
    status TEXT NOT NULL, first_seen TEXT,
    account TEXT, partition TEXT, region TEXT
);
CREATE INDEX IF NOT EXISTS resolved_resource ON resolved(kind, id);
CREATE TABLE IF NOT EXISTS errors (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target TEXT, kind TEXT, message TEXT NOT NULL
);
PRAGMA user_version = 2;
";

/// Version 1 to 2, inside the set-up's transaction (all or nothing). Runs recorded before have
/// no owner (`NULL`): the next run of their scope takes the latest of them as its previous run,
/// with a warning, as a `--since` report that records no account.
const MIGRATE_1_TO_2: &str = "
ALTER TABLE runs ADD COLUMN owner TEXT;
CREATE INDEX runs_owner ON runs(scope, owner, id);
ALTER TABLE findings ADD COLUMN account TEXT;
ALTER TABLE findings ADD COLUMN partition TEXT;
ALTER TABLE findings ADD COLUMN region TEXT;
ALTER TABLE resolved ADD COLUMN account TEXT;
ALTER TABLE resolved ADD COLUMN partition TEXT;
ALTER TABLE resolved ADD COLUMN region TEXT;
PRAGMA user_version = 2;
";

/// What a run records besides its report: when, what it covered, and how long to keep runs.
pub struct Run<'a> {
    pub now: &'a str,
    /// The targets and kinds of the run, as one string: runs with the same scope follow each
    /// other (the previous run of a nightly `--kind aws_iam_role` job is not the full one).
    pub scope: &'a str,
    /// The accounts of its targets ([`super::owner::owner_key`]): another account's runs in
    /// the same database are another scope.
    pub owner: &'a str,
    /// Each target's account, recorded with its findings.
    pub targets: &'a [Target],
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
        set_up(&conn).map_err(|e| set_up_error(path, e))?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens the database at `path` to read it only (`driftwatch history`): nothing is created,
    /// migrated or written; a schema newer than this driftwatch's is refused. The queries read
    /// only what every version has.
    pub fn open_read(path: &Path) -> Result<Db> {
        let fail = |e: rusqlite::Error| invalid(path, &e);
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(fail)?;
        conn.busy_handler(Some(wait_unless_interrupted))
            .map_err(fail)?;
        known_version(&conn).map_err(|e| set_up_error(path, e))?;
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
        let previous = previous(&tx, run.scope, run.owner).map_err(fail)?;
        let findings = mark(report, previous.as_ref(), run.now, run.checked);
        insert(&tx, report, &findings, run).map_err(fail)?;
        if let Some(before) = run.prune_before {
            tx.execute(
                "DELETE FROM runs WHERE checked_at < ?1 \
                 AND id NOT IN (SELECT MAX(id) FROM runs GROUP BY scope, owner)",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn version(path: &Path) -> i64 {
        let conn = Connection::open(path).unwrap();
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_new_database_is_at_the_current_version_and_a_newer_one_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        Db::open(&path).unwrap().close().unwrap();
        assert_eq!(version(&path), VERSION);
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        for e in [
            Db::open(&path).err().unwrap(),
            Db::open_read(&path).err().unwrap(),
        ] {
            let text = e.to_string();
            assert!(text.contains(&format!("version {}", VERSION + 1)), "{text}");
            assert!(text.contains(&format!("version {VERSION}")), "{text}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_failed_migration_leaves_version_1_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        {
            let conn = Connection::open(&path).unwrap();
            // Version 1 with a table in the way of the migration's index.
            conn.execute_batch(
                "CREATE TABLE runs (id INTEGER PRIMARY KEY, checked_at TEXT, scope TEXT);
                 CREATE TABLE findings (run_id INTEGER);
                 CREATE TABLE resolved (run_id INTEGER);
                 CREATE TABLE runs_owner (x INTEGER);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        assert!(Db::open(&path).is_err());
        assert_eq!(version(&path), 1);
        let conn = Connection::open(&path).unwrap();
        let columns: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'owner'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(columns, 0, "half a migration was kept");
    }
}
