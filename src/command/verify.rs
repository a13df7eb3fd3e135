//! `driftwatch verify [REF]`: the cross-resource checks on a golden folder or a Terraform state,
//! offline, so a pull request can be checked before it is applied. Exit 0 nothing broken, 1 a
//! finding of error severity, 2 the reference could not be read.

use std::path::Path;

use super::output;
use super::shared::reference;
use crate::checks::{self, Extras};
use crate::diff::{ReferenceKind, Report};
use crate::error::Result;
use crate::exit;
use crate::filter::keep_findings;
use crate::model::Place;
use crate::settings::VerifySettings;
use crate::source;

pub(crate) fn execute(s: &VerifySettings) -> Result<u8> {
    let ws = s.workspace.as_deref();
    let (kind, inventory, _) = reference::read(&s.aws, &s.reference, ws, &s.kinds, &s.redaction)?;
    // A golden folder records its account and region; a state's are read from its ARNs.
    let identity = match kind {
        ReferenceKind::Golden => source::golden::meta::read(Path::new(&s.reference))?,
        ReferenceKind::Terraform => None,
    };
    // Where a state is when its resources' ARNs do not say: what the flags name.
    let assumed = Place {
        partition: None,
        account: s.account.clone(),
        region: s.aws.region.clone(),
    };
    // The file's states and the reference itself, when they are in S3: their bucket is judged
    // in the reference (a state that holds its own backend's bucket, a snapshot of it).
    let mut states = s.states.clone();
    states.push(s.reference.clone());
    let extras = Extras {
        identity,
        assumed,
        backend: super::shared::backend(&states, s.workspace.as_deref(), &s.lock_table),
        ..Extras::default()
    };
    let outcome = checks::run(&inventory, &extras, &s.checks);
    let outcome = keep_findings(outcome, &inventory, &s.filters, &s.rules);
    let mut report = Report::new(Vec::new(), Vec::new(), &s.reference);
    report.checks_only = true;
    report.set_checks(outcome);
    let code = exit::for_report(&report, None, false);
    output::emit(&s.output, &report, code)?;
    Ok(code)
}
