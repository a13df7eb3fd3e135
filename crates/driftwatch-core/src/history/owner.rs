//! Whose memory a previous run is: the account, partition and region each target of a run
//! checked. A run is marked only against a previous run of the same owners: a `--since` report
//! of another account is an error, and in a database another owner is another scope (one
//! database may serve several accounts). Pure: the identity comes in from the command (the
//! live account through `sts:GetCallerIdentity`, or a snapshot folder's `source.json`).

use crate::diff::Account;
use crate::model::{Identity, Kind};

/// One target of this run: its name (`None` without targets), its kinds, and the account it
/// checked (`None` when that cannot be told: an offline `--actual` folder that records none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: Option<String>,
    pub kinds: Vec<Kind>,
    pub identity: Option<Identity>,
}

impl Target {
    /// What makes two runs of this target the same owner's: account and partition, and the
    /// region when a regional kind is in scope (IAM is the same in every region), as golden
    /// folders compare. `?` when the account is not known.
    fn owner(&self) -> String {
        let Some(id) = &self.identity else {
            return "?".to_string();
        };
        if self.kinds.iter().any(|k| !k.is_global()) {
            format!("{}/{}/{}", id.account, id.partition, id.region)
        } else {
            format!("{}/{}", id.account, id.partition)
        }
    }

    fn same_owner(&self, recorded: &Identity) -> bool {
        self.identity
            .as_ref()
            .is_some_and(|id| id.same_owner(recorded, &self.kinds))
    }

    fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("target {n}: "),
            None => String::new(),
        }
    }
}

/// The owners of a run as one string, the same for the same accounts whatever the order of
/// targets: `name=account/partition/region` per target (`=` without targets), `?` for an
/// account not known. Runs in a database follow each other only with the same owners.
pub fn owner_key(targets: &[Target]) -> String {
    let mut parts: Vec<String> = targets
        .iter()
        .map(|t| format!("{}={}", t.name.as_deref().unwrap_or(""), t.owner()))
        .collect();
    parts.sort();
    parts.join(" ")
}

/// What a `--since` report says about whose it is.
#[derive(Debug, PartialEq, Eq)]
pub enum Since {
    /// Every target's account is the one the report records.
    Same,
    /// The report records no account: written before reports recorded it. Used, with a warning.
    Unrecorded,
}

/// Whether a report recording `recorded` (`None`: the report has no `accounts`) may serve as
/// the previous run of `targets`. `Err` says which target checked which account against which.
/// A target the report has no account for is new to it (it holds nothing for it), unless this
/// run cannot tell its own account while the report can: then nothing says they are the same.
pub fn check_since(recorded: Option<&[Account]>, targets: &[Target]) -> Result<Since, String> {
    let Some(recorded) = recorded else {
        return Ok(Since::Unrecorded);
    };
    let mut wrong = Vec::new();
    for t in targets {
        let Some(rec) = recorded.iter().find(|a| a.target == t.name) else {
            continue;
        };
        match &t.identity {
            Some(_) if t.same_owner(&rec.identity) => {}
            Some(live) => wrong.push(format!(
                "{}the report is of {}, this run checked {live}",
                t.label(),
                rec.identity
            )),
            None => wrong.push(format!(
                "{}the report is of {}, and which account this run checked cannot be told",
                t.label(),
                rec.identity
            )),
        }
    }
    if wrong.is_empty() {
        return Ok(Since::Same);
    }
    Err(format!(
        "not a previous run of this account: {}; pass the report of the same account and region \
         (or none: every finding is then new)",
        wrong.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(account: &str, region: &str) -> Identity {
        Identity {
            account: account.into(),
            partition: "aws".into(),
            region: region.into(),
        }
    }

    fn target(name: Option<&str>, kinds: &[Kind], identity: Option<Identity>) -> Target {
        Target {
            name: name.map(str::to_string),
            kinds: kinds.to_vec(),
            identity,
        }
    }

    fn account(name: Option<&str>, identity: Identity) -> Account {
        Account {
            target: name.map(str::to_string),
            identity,
        }
    }

    #[test]
    fn another_account_or_region_is_refused_naming_both() {
        let q = &[Kind::SqsQueue];
        let this = [target(None, q, Some(id("2", "us-east-1")))];
        let same = [account(None, id("2", "us-east-1"))];
        assert_eq!(check_since(Some(&same), &this), Ok(Since::Same));
        let other = [account(None, id("1", "us-east-1"))];
        let e = check_since(Some(&other), &this).unwrap_err();
        assert!(e.contains("account 1, region us-east-1"), "{e}");
        assert!(e.contains("account 2, region us-east-1"), "{e}");
        let region = [account(None, id("2", "eu-west-1"))];
        assert!(check_since(Some(&region), &this).is_err());
        // IAM is the same in every region.
        let iam = [target(None, &[Kind::IamRole], Some(id("2", "us-east-1")))];
        assert_eq!(check_since(Some(&region), &iam), Ok(Since::Same));
    }

    #[test]
    fn unrecorded_unknown_and_other_targets() {
        let q = &[Kind::SqsQueue];
        let known = [target(Some("prod"), q, Some(id("1", "us-east-1")))];
        assert_eq!(check_since(None, &known), Ok(Since::Unrecorded));
        // The report has nothing of this target: nothing to mistake.
        let staging = [account(Some("staging"), id("2", "us-east-1"))];
        assert_eq!(check_since(Some(&staging), &known), Ok(Since::Same));
        // This run cannot tell its account, the report can: refused.
        let unknown = [target(Some("prod"), q, None)];
        let prod = [account(Some("prod"), id("1", "us-east-1"))];
        let e = check_since(Some(&prod), &unknown).unwrap_err();
        assert!(e.contains("target prod"), "{e}");
        assert!(e.contains("cannot be told"), "{e}");
    }

    #[test]
    fn the_owner_key_is_per_target_in_any_order_and_iam_has_no_region() {
        let q = &[Kind::SqsQueue];
        let a = target(Some("a"), q, Some(id("1", "us-east-1")));
        let b = target(Some("b"), &[Kind::IamRole], Some(id("2", "eu-west-1")));
        let key = owner_key(&[a.clone(), b.clone()]);
        assert_eq!(key, "a=1/aws/us-east-1 b=2/aws");
        assert_eq!(key, owner_key(&[b, a]));
        assert_eq!(owner_key(&[target(None, q, None)]), "=?");
    }
}
