//! What a run keeps: the resources each kind's filter (`[filters.KIND]` of `driftwatch.toml`)
//! leaves in scope, and the cross-resource check findings on them that no ignore rule silences.
//! `check` and `verify` filter alike.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::checks::Outcome;
use crate::ignore::Rules;
use crate::model::{Inventory, Kind};

/// One kind's `[filters.KIND]`: which of its resources a run looks at.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Id globs to keep (default: all).
    #[serde(default)]
    pub include: Vec<String>,
    /// Id globs to drop.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Tags a resource must carry, exactly.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl Filter {
    /// Whether the resource `id` with canonical `doc` is in scope.
    pub fn keeps(&self, id: &str, doc: &serde_json::Value) -> bool {
        let m = |g: &String| glob::Pattern::new(g).is_ok_and(|p| p.matches(id));
        if !self.include.is_empty() && !self.include.iter().any(m) {
            return false;
        }
        if self.exclude.iter().any(m) {
            return false;
        }
        let tags = doc.get("tags").or_else(|| doc.get("Tags"));
        self.tags
            .iter()
            .all(|(k, v)| tags.and_then(|t| t.get(k)).and_then(|x| x.as_str()) == Some(v))
    }
}

/// What the checks made of references held by resources the filters keep and the ignore rules
/// do not silence.
pub fn keep_findings(
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
pub fn apply_filters(inv: &mut Inventory, filters: &BTreeMap<Kind, Filter>) {
    if filters.is_empty() {
        return;
    }
    inv.resources
        .retain(|(kind, id), r| filters.get(kind).is_none_or(|f| f.keeps(id, &r.document)));
}
