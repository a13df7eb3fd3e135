//! Fingerprints: what makes two findings of two runs "the same". Pure.
//!
//! A finding is identified by its [`Key`] (where: target, kind, id, reference) and fingerprinted
//! by what was found there (status and changes). Both are computed from the finding's JSON form
//! (`driftwatch.report/v1`), so a finding read back from yesterday's report (`--since`) and one
//! of this run give the same fingerprint, and a database and a report file agree.
//!
//! Cross-resource check findings (the report's `checks`) can be added as one more source: a
//! [`Key`] with `source = "check"` (kind, id, and the check id as `reference`) and a
//! fingerprint of the check's severity and message, built by another `*_finding` function; the
//! marking and the database do not look inside a key.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Where a finding is: two findings with the same key are about the same thing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// What produced the finding: `resource` (drift) today, `check` later.
    pub source: String,
    pub target: Option<String>,
    pub kind: String,
    pub id: String,
    /// The references compared with, sorted and joined by commas (`golden`, `golden,terraform`).
    pub reference: String,
}

/// A finding of one run: where, what (its fingerprint), its status and since when it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub key: Key,
    /// Hex SHA-256 of the key and what was found; differs when the changes differ.
    pub fingerprint: String,
    pub status: String,
    pub first_seen: Option<String>,
    /// Not in the previous run (set by the marking; false as read back from a run).
    pub new: bool,
}

/// The finding a report entry (`resources[]`, as JSON) stands for; `None` for an `in_sync`
/// entry, which is not a finding, or an entry that lacks the fields of schema v1.
pub fn resource_finding(entry: &Value) -> Option<Finding> {
    let status = entry.get("status")?.as_str()?;
    if status == "in_sync" {
        return None;
    }
    let key = Key {
        source: "resource".to_string(),
        target: entry
            .get("target")
            .and_then(Value::as_str)
            .map(str::to_string),
        kind: entry.get("kind")?.as_str()?.to_string(),
        id: entry.get("id")?.as_str()?.to_string(),
        reference: sorted_references(entry.get("reference")?.as_str()?),
    };
    let changes = sorted_changes(entry.get("changes"));
    let what = serde_json::json!({ "status": status, "changes": changes });
    Some(Finding {
        fingerprint: fingerprint(&key, &what),
        status: status.to_string(),
        first_seen: entry
            .get("first_seen")
            .and_then(Value::as_str)
            .map(str::to_string),
        new: false,
        key,
    })
}

/// The fingerprint of what was found at `key`: the same key and the same content give the same
/// fingerprint in every run, on every machine.
pub fn fingerprint(key: &Key, what: &Value) -> String {
    let whole = serde_json::json!({
        "source": key.source,
        "target": key.target,
        "kind": key.kind,
        "id": key.id,
        "reference": key.reference,
        "what": what,
    });
    // `serde_json` maps are sorted by key: the text is canonical.
    let text = serde_json::to_string(&whole).expect("a JSON value always serializes");
    hex(&Sha256::digest(text.as_bytes()))
}

/// `terraform,golden` and `golden,terraform` name the same references: the order is the run's
/// order of references, not part of the finding.
fn sorted_references(reference: &str) -> String {
    let mut parts: Vec<&str> = reference.split(',').collect();
    parts.sort_unstable();
    parts.join(",")
}

/// The changes by path and op: the engine lists them in document order, which a reordered but
/// equal document would change; the set of changes is what matters.
fn sorted_changes(changes: Option<&Value>) -> Vec<Value> {
    let mut list: Vec<Value> = changes
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.sort_by_cached_key(|c| serde_json::to_string(c).unwrap_or_default());
    list
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::resource_finding;
    use serde_json::json;

    fn modified(actual: &str) -> serde_json::Value {
        json!({"kind": "aws_sqs_queue", "id": "jobs", "status": "modified", "reference": "golden",
               "changes": [{"path": "/VisibilityTimeout", "op": "changed", "expected": 30, "actual": actual}]})
    }

    #[test]
    fn the_same_finding_has_the_same_fingerprint_in_every_run() {
        let a = resource_finding(&modified("60")).unwrap();
        let mut later = modified("60");
        later["first_seen"] = json!("2026-11-01T00:00:00Z");
        later["new"] = json!(false);
        let b = resource_finding(&later).unwrap();
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_eq!(a.fingerprint.len(), 64);
        assert_eq!(b.first_seen.as_deref(), Some("2026-11-01T00:00:00Z"));
    }

    #[test]
    fn a_different_change_or_place_is_a_different_fingerprint() {
        let a = resource_finding(&modified("60")).unwrap().fingerprint;
        assert_ne!(a, resource_finding(&modified("90")).unwrap().fingerprint);
        let mut other_target = modified("60");
        other_target["target"] = json!("prod-eu");
        assert_ne!(a, resource_finding(&other_target).unwrap().fingerprint);
        let mut missing = modified("60");
        missing["status"] = json!("missing");
        missing.as_object_mut().unwrap().remove("changes");
        assert_ne!(a, resource_finding(&missing).unwrap().fingerprint);
    }

    #[test]
    fn change_order_and_reference_order_do_not_matter() {
        let c1 = json!({"path": "/a", "op": "added", "actual": 1});
        let c2 = json!({"path": "/b", "op": "removed", "expected": 2});
        let entry = |changes, reference| {
            json!({"kind": "aws_iam_role", "id": "app", "status": "modified",
                   "reference": reference, "changes": changes})
        };
        let a = resource_finding(&entry(json!([c1, c2]), "golden,terraform")).unwrap();
        let b = resource_finding(&entry(json!([c2, c1]), "terraform,golden")).unwrap();
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_eq!(a.key, b.key);
    }

    #[test]
    fn in_sync_is_no_finding() {
        let e = json!({"kind": "aws_iam_role", "id": "app", "status": "in_sync", "reference": "golden"});
        assert!(resource_finding(&e).is_none());
    }
}
