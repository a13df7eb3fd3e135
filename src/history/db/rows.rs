//! The history database's rows: the previous run read, this run written. SQL only; the
//! schema and the transaction are `db`'s.

use rusqlite::{params, OptionalExtension, Transaction};

use super::Run;
use crate::diff::{Report, Resolved};
use crate::history::fingerprint::{Finding, Key};
use crate::history::mark::Previous;

/// The latest run of `scope` and `owner`, with its findings; `None` before the first. A run
/// recorded before runs had owners (schema version 1) stands for any owner, with a warning: it
/// is the memory every database has on the night of the upgrade, and the run recorded now
/// has its owner, so the next run of this scope finds that one.
pub(super) fn previous(
    tx: &Transaction,
    scope: &str,
    owner: &str,
) -> rusqlite::Result<Option<Previous>> {
    let run: Option<(i64, String, Option<String>)> = tx
        .query_row(
            "SELECT id, checked_at, owner FROM runs WHERE scope = ?1 \
             AND (owner = ?2 OR owner IS NULL) ORDER BY id DESC LIMIT 1",
            params![scope, owner],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, checked_at, recorded)) = run else {
        return Ok(None);
    };
    if recorded.is_none() {
        tracing::warn!(
            "the previous run in the history database records no account (recorded before \
             runs recorded one): used as the previous run of this account; this run records it"
        );
    }
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

/// Records one run: its row, then its findings, resolutions and errors, each with the
/// account, partition and region of its target.
pub(super) fn insert(
    tx: &Transaction,
    report: &Report,
    findings: &[Finding],
    run: &Run,
) -> rusqlite::Result<()> {
    let resolved = report.resolved.as_deref().unwrap_or_default();
    let refs = serde_json::to_string(&report.references).unwrap_or_default();
    tx.execute(
        "INSERT INTO runs (checked_at, scope, refs, findings, new, resolved, errors, owner) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            run.now,
            run.scope,
            refs,
            findings.len() as i64,
            report.summary.new.unwrap_or(0) as i64,
            resolved.len() as i64,
            report.errors.len() as i64,
            run.owner
        ],
    )?;
    let id = tx.last_insert_rowid();
    insert_findings(tx, id, findings, run)?;
    insert_resolved(tx, id, resolved, run)?;
    let mut stmt =
        tx.prepare("INSERT INTO errors (run_id, target, kind, message) VALUES (?1, ?2, ?3, ?4)")?;
    for e in &report.errors {
        stmt.execute(params![id, e.target, e.kind.map(|k| k.as_str()), e.message])?;
    }
    Ok(())
}

/// Account, partition and region of the target named `target` in this run, when known.
type Owner = (Option<String>, Option<String>, Option<String>);

fn owner_of(run: &Run, target: &Option<String>) -> Owner {
    let id = run
        .targets
        .iter()
        .find(|t| t.name == *target)
        .and_then(|t| t.identity.as_ref());
    (
        id.map(|i| i.account.clone()),
        id.map(|i| i.partition.clone()),
        id.map(|i| i.region.clone()),
    )
}

fn insert_findings(
    tx: &Transaction,
    id: i64,
    findings: &[Finding],
    run: &Run,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO findings (run_id, source, target, kind, id, reference, status, \
         fingerprint, first_seen, new, account, partition, region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for f in findings {
        let k = &f.key;
        let (account, partition, region) = owner_of(run, &k.target);
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
            f.new,
            account,
            partition,
            region
        ])?;
    }
    Ok(())
}

fn insert_resolved(
    tx: &Transaction,
    id: i64,
    resolved: &[Resolved],
    run: &Run,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO resolved (run_id, target, kind, id, reference, status, first_seen, \
         account, partition, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for r in resolved {
        let (account, partition, region) = owner_of(run, &r.target);
        stmt.execute(params![
            id,
            r.target,
            r.kind,
            r.id,
            r.reference,
            r.status,
            r.first_seen,
            account,
            partition,
            region
        ])?;
    }
    Ok(())
}
