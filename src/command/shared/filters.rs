//! What a run keeps: the resources each kind's filter (`[filters.KIND]`, `--id`) leaves in scope,
//! and the cross-resource check findings on them that no ignore rule silences. `check` and
//! `verify` filter alike.

use std::collections::BTreeMap;

use crate::checks::Outcome;
use crate::config::Filter;
use crate::ignore::Rules;
use crate::model::{Inventory, Kind};

/// What the checks made of references held by resources the filters keep and the ignore rules
/// do not silence.
pub(crate) fn keep_findings(
    mut outcome: Outcome,
    inv: &Inventory,
    filters: &BTreeMap<Kind, Filter>,
    rules: &Rules,
) -> Outcome {
    outcome.retain(|check, kind, id| {
        let doc = inv
            .resources
            .get(&(kind, id.to_string()))
            .map(|r| &r.document);
        let kept = match (filters.get(&kind), doc) {
            (Some(filter), Some(doc)) => filter.keeps(id, doc),
            _ => true,
        };
        kept && !rules.ignores_check(check.as_str(), kind, id)
    });
    outcome
}

/// Drops resources outside each kind's include/exclude globs and tag filter.
pub(crate) fn apply_filters(inv: &mut Inventory, filters: &BTreeMap<Kind, Filter>) {
    if filters.is_empty() {
        return;
    }
    inv.resources
        .retain(|(kind, id), r| filters.get(kind).is_none_or(|f| f.keeps(id, &r.document)));
}
