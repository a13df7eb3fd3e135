//! Reading a reference named on the command line (`diff`, `verify`): a golden folder or a
//! Terraform state.

use std::collections::BTreeMap;
use std::path::Path;

use crate::aws::AwsOptions;
use crate::diff::ReferenceKind;
use crate::error::Result;
use crate::model::{Inventory, Kind};
use crate::normalize::Redaction;
use crate::source;

/// The Terraform types a state holds that no kind maps, with their instance counts.
pub(crate) type NotChecked = BTreeMap<String, usize>;

/// A golden folder or a Terraform state, told apart by what `spec` names; a state's types not
/// checked beside it.
pub(crate) fn read(
    aws: &AwsOptions,
    spec: &str,
    workspace: Option<&str>,
    kinds: &[Kind],
    redaction: &Redaction,
) -> Result<(ReferenceKind, Inventory, Option<NotChecked>)> {
    if source::terraform::is_state_spec(spec) {
        let s = source::terraform::read(&[spec.to_string()], workspace, kinds, aws, redaction)?;
        Ok((ReferenceKind::Terraform, s.inventory, Some(s.not_checked)))
    } else {
        Ok((
            ReferenceKind::Golden,
            source::golden::read(Path::new(spec), kinds, redaction)?,
            None,
        ))
    }
}
