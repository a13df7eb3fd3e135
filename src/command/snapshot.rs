//! `driftwatch snapshot`: the live account written as golden files, one a resource, with the
//! account they were taken from.

use super::shared::identity;
use crate::aws;
use crate::error::{Error, FetchError, Result};
use crate::exit;
use crate::model::{Identity, Kind};
use crate::out;
use crate::progress::Progress;
use crate::settings::SnapshotSettings;
use crate::source;

pub(crate) fn execute(s: &SnapshotSettings) -> Result<u8> {
    // Held from before the folder is read until the last file is in place (dropped last).
    let _lock = source::golden::lock::acquire(&s.out, "snapshot", s.lock_timeout, s.quiet)?;
    let recorded = source::golden::meta::read(&s.out)?;
    // `--id`: the resources outside the globs are neither written nor removed.
    let in_scope = |_: Kind, id: &str| s.ids.is_empty() || s.ids.iter().any(|g| g.matches(id));
    let gate = |identity: &std::result::Result<Identity, FetchError>| {
        identity::to_record(&s.out, recorded.as_ref(), identity, &s.kinds, s.any_account).is_ok()
    };
    // Files are staged while the fetch goes on, and put in place only after it.
    let writer = source::golden::Writer::start(&s.out, &s.kinds, &in_scope, &gate)?;
    let mut fetched = aws::block_on(source::live::fetch_observed(
        &s.aws,
        &s.kinds,
        s.include_aws_managed,
        &s.redaction,
        &Progress::new(s.quiet),
        &writer,
    ))?
    .map_err(Error::Fetch)?;
    for e in &fetched.errors {
        let kind = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
        out::diag(&format!(
            "driftwatch: error: could not snapshot{kind}: {}",
            e.message
        ));
    }
    fetched
        .inventory
        .resources
        .retain(|(k, id), _| in_scope(*k, id));
    let identity = identity::to_record(
        &s.out,
        recorded.as_ref(),
        &fetched.identity,
        &s.kinds,
        s.any_account,
    )?;
    // With `--id` the folder holds only some of each kind's resources: none becomes whole.
    let fetched_kinds = &fetched.inventory.kinds;
    let whole: &[Kind] = if s.ids.is_empty() { fetched_kinds } else { &[] };
    let written = writer.finish(fetched_kinds, identity, whole)?;
    if !s.quiet {
        out::line(&format!(
            "driftwatch: snapshot of {} resources in {}: {} written, {} unchanged, {} removed",
            fetched.inventory.resources.len(),
            s.out.display(),
            written.written,
            written.unchanged,
            written.removed
        ))?;
    }
    Ok(if fetched.errors.is_empty() {
        exit::IN_SYNC
    } else {
        exit::ERROR
    })
}
