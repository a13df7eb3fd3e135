//! The revision cache: DescribeTaskDefinition documents kept on disk between runs, keyed by
//! revision ARN. A revision never changes once registered (only its tags and its status can),
//! so a run that finds the latest revision of a family in the cache need not describe it again:
//! one `ListTaskDefinitions` page of 100 ARNs replaces up to 100 `DescribeTaskDefinition` calls.
//!
//! Part of `aws/` rather than `source/`: it only saves calls, it is never a reference. What it
//! holds is never trusted blindly: an entry is used only for the ARN the account just listed as
//! ACTIVE, and only if its own ARN is that one, it parses, and its ARN belongs to the account and
//! region checked; anything else is ignored and replaced. Tags are never stored (they can change
//! on a revision): a run takes them from the API. Nor is any secret: a revision in which the
//! run's redaction finds one is not cached (see `Context::task_definitions`), since the cache
//! holds documents as AWS returns them, before redaction.
//!
//! Layout: `<cache>/task-definitions/<partition>-<account>-<region>[-<endpoint digest>]/<sha256
//! of the ARN>.json`, one folder per account and region (and per endpoint other than AWS's:
//! two local servers reuse the same ARNs for different documents), written atomically.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::model::Identity;

pub struct RevisionCache {
    dir: PathBuf,
    identity: Identity,
}

impl RevisionCache {
    /// The cache of `identity`'s account and region under `root`; `endpoint` is the custom
    /// endpoint the run talks to, if any.
    pub fn open(root: &Path, identity: &Identity, endpoint: Option<&str>) -> RevisionCache {
        let mut scope = format!(
            "{}-{}-{}",
            identity.partition, identity.account, identity.region
        );
        if let Some(e) = endpoint {
            scope.push_str("-endpoint-");
            scope.push_str(&digest(e)[..16]);
        }
        RevisionCache {
            dir: root.join("task-definitions").join(scope),
            identity: identity.clone(),
        }
    }

    /// Whether any revision of this account and region was cached: only then is the cached
    /// path worth its `ListTaskDefinitions` pages.
    pub fn has_entries(&self) -> bool {
        std::fs::read_dir(&self.dir).is_ok_and(|mut d| {
            d.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".json")))
        })
    }

    /// The cached DescribeTaskDefinition document (without tags) of `arn`, if a valid one is
    /// cached.
    pub fn get(&self, arn: &str) -> Option<Value> {
        let bytes = std::fs::read(self.path(arn)).ok()?;
        let doc: Value = serde_json::from_slice(&bytes).ok()?;
        valid(&doc, arn, &self.identity).then_some(doc)
    }

    /// Stores the ACTIVE revisions among raw DescribeTaskDefinition `docs`, without their tags,
    /// those that `storable` accepts (given what would be stored). A cache that cannot be
    /// written costs calls next time, nothing else: a warning, not an error.
    pub fn put_all<'a>(
        &self,
        docs: impl IntoIterator<Item = &'a Value>,
        storable: impl Fn(&Value) -> bool,
    ) {
        let files: Vec<(PathBuf, Vec<u8>)> = docs
            .into_iter()
            .filter_map(|doc| {
                let entry = entry_of(doc)?;
                let arn = arn_of(&entry)?;
                (valid(&entry, arn, &self.identity) && storable(&entry))
                    .then(|| (self.path(arn), entry.to_string().into_bytes()))
            })
            .collect();
        if files.is_empty() {
            return;
        }
        let written = std::fs::create_dir_all(&self.dir)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                crate::atomic::write_many_with(&files, crate::atomic::Durability::Unsynced)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            tracing::warn!(
                "could not write the revision cache in {}: {e} (the next run describes these \
                 revisions again; --no-cache turns the cache off)",
                self.dir.display()
            );
        }
    }

    fn path(&self, arn: &str) -> PathBuf {
        self.dir.join(format!("{}.json", digest(arn)))
    }
}

fn digest(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What is stored of a DescribeTaskDefinition response: the definition alone, not its tags.
fn entry_of(doc: &Value) -> Option<Value> {
    Some(serde_json::json!({ "taskDefinition": doc.get("taskDefinition")? }))
}

fn arn_of(entry: &Value) -> Option<&str> {
    entry
        .pointer("/taskDefinition/taskDefinitionArn")
        .and_then(Value::as_str)
}

/// Whether `entry` may stand for the revision `arn` of `identity`'s account and region: it is
/// that revision's definition (an entry copied under another key, or a digest collision, is
/// not), it was ACTIVE, and the ARN is of this partition, region and account.
fn valid(entry: &Value, arn: &str, identity: &Identity) -> bool {
    let status = entry
        .pointer("/taskDefinition/status")
        .and_then(Value::as_str);
    arn_of(entry) == Some(arn) && status == Some("ACTIVE") && belongs(arn, identity)
}

/// `arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION` of this identity.
fn belongs(arn: &str, identity: &Identity) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(
        parts[..],
        ["arn", partition, "ecs", region, account, rest]
            if partition == identity.partition
                && region == identity.region
                && account == identity.account
                && rest.starts_with("task-definition/")
    )
}

#[cfg(test)]
mod tests;
