//! `plan.json`: the units of an organization's check (one an account: IAM is global, and the
//! cross-resource checks need an account's IAM beside its regional resources), sorted by
//! account id, the accounts left out with their reasons, and `plan_id`, the SHA-256 of the
//! plan's canonical form without it. Shards and `merge` refuse a report of another plan.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format of `plan.json`; a plan of another version is refused.
pub const PLAN_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgPlan {
    pub version: u32,
    /// Digest of the plan without this field (see [`OrgPlan::digest`]).
    pub plan_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`: part of each unit's shard key and role ARN.
    pub partition: String,
    /// The accounts to check, sorted by account id.
    pub units: Vec<Unit>,
    /// The accounts of the organization not checked, sorted by account id, each with why.
    pub excluded: Vec<Excluded>,
}

/// One account to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub account_id: String,
    pub name: String,
    /// The OUs from the root down (`["r-ab12", "ou-ab12-prod", "ou-ab12-prod-eu"]`).
    pub ou_path: Vec<String>,
    /// The role a shard assumes in the account.
    pub role_arn: String,
    /// The regions asked for: `["*"]` (those enabled in the account, read there) or names.
    pub regions: Vec<String>,
    /// Regions never checked, even when `*` finds them enabled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_regions: Vec<String>,
}

/// An account of the organization that the plan leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excluded {
    pub account_id: String,
    pub name: String,
    /// Why, for people: "state SUSPENDED", "in exclude_accounts", "the management account".
    pub reason: String,
}

impl OrgPlan {
    /// A plan of `units` and `excluded` (sorted here), with its digest.
    pub fn new(partition: &str, mut units: Vec<Unit>, mut excluded: Vec<Excluded>) -> OrgPlan {
        units.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        excluded.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        let mut plan = OrgPlan {
            version: PLAN_VERSION,
            plan_id: String::new(),
            partition: partition.to_string(),
            units,
            excluded,
        };
        plan.plan_id = plan.digest();
        plan
    }

    /// SHA-256 (hex) of the plan's canonical JSON (sorted keys, no whitespace) without
    /// `plan_id`: two plans of the same accounts, roles and regions have the same id.
    pub fn digest(&self) -> String {
        let mut value = serde_json::to_value(self).expect("a plan always serializes");
        if let Some(m) = value.as_object_mut() {
            m.remove("plan_id");
        }
        // `serde_json` maps are sorted by key: the text is canonical.
        let text = serde_json::to_string(&value).expect("a JSON value always serializes");
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Reads a `plan.json`: refuses another version and a plan whose id is not its digest (an
    /// edited plan would deal units differently from the one the other shards read).
    pub fn parse(text: &str) -> Result<OrgPlan, String> {
        let plan: OrgPlan = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if plan.version != PLAN_VERSION {
            return Err(format!(
                "plan version {} is not {PLAN_VERSION}, the one this driftwatch reads",
                plan.version
            ));
        }
        let digest = plan.digest();
        if plan.plan_id != digest {
            return Err(format!(
                "plan_id {} is not the digest of the plan ({digest}): it was edited after \
                 `driftwatch plan` wrote it",
                plan.plan_id
            ));
        }
        let mut ids: Vec<&str> = plan.units.iter().map(|u| u.account_id.as_str()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("account {} is in the plan twice", w[0]));
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str) -> Unit {
        Unit {
            account_id: id.into(),
            name: format!("acct-{id}"),
            ou_path: vec!["r-ab12".into()],
            role_arn: format!("arn:aws:iam::{id}:role/DriftwatchReadOnly"),
            regions: vec!["*".into()],
            exclude_regions: vec![],
        }
    }

    #[test]
    fn the_id_names_the_content_whatever_the_order_given() {
        let a = OrgPlan::new(
            "aws",
            vec![unit("222222222222"), unit("111111111111")],
            vec![],
        );
        let b = OrgPlan::new(
            "aws",
            vec![unit("111111111111"), unit("222222222222")],
            vec![],
        );
        assert_eq!(a, b);
        assert_eq!(a.plan_id.len(), 64);
        let c = OrgPlan::new("aws", vec![unit("111111111111")], vec![]);
        assert_ne!(a.plan_id, c.plan_id);
    }

    #[test]
    fn an_edited_plan_or_another_version_is_refused() {
        let plan = OrgPlan::new("aws", vec![unit("111111111111")], vec![]);
        let text = serde_json::to_string_pretty(&plan).unwrap();
        assert_eq!(OrgPlan::parse(&text).unwrap(), plan);
        let edited = text.replace("DriftwatchReadOnly", "Admin");
        assert!(OrgPlan::parse(&edited).unwrap_err().contains("was edited"));
        let mut v2 = plan.clone();
        v2.version = 2;
        let err = OrgPlan::parse(&serde_json::to_string(&v2).unwrap()).unwrap_err();
        assert!(err.contains("version 2"), "{err}");
        assert!(OrgPlan::parse("{\"version\": 1").is_err());
    }
}
