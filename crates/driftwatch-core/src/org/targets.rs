//! What a report of a plan adds to the JSON report: which shard of which plan it is (`shard`),
//! which plan and how many shards a merged one is made of (`merge`), and the status of every
//! account and region (`targets`): checked, in error (named with the call that failed), or
//! excluded by the plan (with its reason).

use serde::{Deserialize, Serialize};

/// `"shard": {"index": K, "count": N, "plan_id": …}` of a shard's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRef {
    pub index: usize,
    pub count: usize,
    pub plan_id: String,
}

/// `"merge": {"plan_id": …, "shards": N}` of a merged report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeRef {
    pub plan_id: String,
    pub shards: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetState {
    Ok,
    Error,
    Excluded,
}

/// One item of `targets`: an account and region checked, or a whole account (`region` null)
/// that could not be reached or that the plan excludes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetStatus {
    pub account: String,
    /// Always written (null for a whole account).
    pub region: Option<String>,
    pub status: TargetState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl TargetStatus {
    /// An account and region reached and checked.
    pub fn ok(account: &str, region: &str) -> TargetStatus {
        TargetStatus {
            account: account.to_string(),
            region: Some(region.to_string()),
            status: TargetState::Ok,
            error: None,
            reason: None,
        }
    }

    /// A whole account in error (not reached, or not checked at all).
    pub fn account_error(account: &str, error: String) -> TargetStatus {
        TargetStatus {
            account: account.to_string(),
            region: None,
            status: TargetState::Error,
            error: Some(error),
            reason: None,
        }
    }

    /// The target name its findings carry: `{account}/{region}`, or the account alone.
    pub fn name(&self) -> String {
        match &self.region {
            Some(r) => format!("{}/{r}", self.account),
            None => self.account.clone(),
        }
    }
}
