//! How a check looks up what a reference names: where the holder is, whether the inventory can
//! tell (a whole kind, this account and region), and where each verdict goes ([`Out`]).

use serde_json::Value;

use super::{CheckId, Extras, Finding, NotJudged, Options, Outcome, Reason, Severity};
use crate::arn;
use crate::model::{Inventory, Kind, Place, Resource};

/// Where the inventory is: its identity when known, else what the places of its resources
/// agree on (a state's ARNs), else what the caller assumed. Parts still unknown match anything.
pub(super) fn place_of_inventory(inv: &Inventory, extras: &Extras) -> Place {
    if let Some(i) = &extras.identity {
        return Place::from(i);
    }
    let only = |part: fn(&Place) -> Option<&String>| {
        let mut seen = inv.places.values().filter_map(|p| part(p));
        let first = seen.next()?;
        seen.all(|x| x == first).then(|| first.clone())
    };
    let agreed = Place {
        partition: only(|p| p.partition.as_ref()),
        account: only(|p| p.account.as_ref()),
        region: only(|p| p.region.as_ref()),
    };
    agreed.or(&extras.assumed)
}

/// What every check reads.
pub(super) struct Cx<'a> {
    pub(super) inv: &'a Inventory,
    pub(super) extras: &'a Extras,
    /// Where the inventory is (see [`place_of_inventory`]).
    pub(super) at: Place,
    pub(super) options: &'a Options,
}

/// A reference to a resource: its kind and id, and the account and region it names, if any
/// (a queue URL names both, a role ARN its account, a security group id neither).
pub(super) struct Ref<'a> {
    pub(super) kind: Kind,
    pub(super) id: &'a str,
    pub(super) account: Option<&'a str>,
    pub(super) region: Option<&'a str>,
}

impl<'a> Ref<'a> {
    pub(super) fn role(account: &'a str, name: &'a str) -> Self {
        Ref {
            kind: Kind::IamRole,
            id: name,
            account: Some(account),
            region: None,
        }
    }

    pub(super) fn queue(q: &'a arn::QueueRef) -> Self {
        Ref {
            kind: Kind::SqsQueue,
            id: &q.name,
            account: Some(&q.account),
            region: q.region.as_deref(),
        }
    }

    pub(super) fn local(kind: Kind, id: &'a str) -> Self {
        Ref {
            kind,
            id,
            account: None,
            region: None,
        }
    }

    /// "role app-task", "queue jobs", for messages.
    pub(super) fn what(&self) -> String {
        format!("{} {}", self.kind.def().noun, self.id)
    }
}

/// What the inventory says of a reference.
pub(super) enum Found<'a> {
    Here(&'a Resource),
    /// It does not exist: the inventory holds every resource of its kind.
    Absent,
    /// The inventory cannot tell; the words say why.
    Unknown(Reason, String),
}

impl Cx<'_> {
    /// Where a resource is: its own place if the source says it, else the inventory's.
    pub(super) fn place_of(&self, kind: Kind, id: &str) -> Place {
        match self.inv.places.get(&(kind, id.to_string())) {
            Some(p) => p.or(&self.at),
            None => self.at.clone(),
        }
    }

    /// Looks up what a resource at `from` refers to. Another account or region than `from`'s
    /// is not judged; so is a resource of an open kind (a state's) that is not here, and one
    /// here whose own place is not the one referred to (a namesake in another account).
    pub(super) fn find(&self, from: &Place, r: &Ref) -> Found<'_> {
        let differs = |mine: &Option<String>, theirs: Option<&str>| matches!((mine, theirs), (Some(m), Some(t)) if m != t);
        if differs(&from.account, r.account) {
            let mine = from.account.as_deref().unwrap_or_default();
            let theirs = r.account.unwrap_or_default();
            return Found::Unknown(
                Reason::OtherAccount,
                format!("{} is in account {theirs}, not this one ({mine})", r.what()),
            );
        }
        if !r.kind.is_global() && differs(&from.region, r.region) {
            let mine = from.region.as_deref().unwrap_or_default();
            let theirs = r.region.unwrap_or_default();
            return Found::Unknown(
                Reason::OtherRegion,
                format!("{} is in region {theirs}, not this one ({mine})", r.what()),
            );
        }
        if !self.inv.kinds.contains(&r.kind) {
            return Found::Unknown(
                Reason::NotRead,
                format!("no {} was read from {}", r.kind, self.inv.source),
            );
        }
        let key = (r.kind, r.id.to_string());
        // A namesake elsewhere (a state of two accounts) is not the resource referred to.
        let elsewhere = self.inv.places.get(&key).filter(|place| {
            let account = r.account.or(from.account.as_deref());
            let region = r.region.or(from.region.as_deref());
            differs(&place.account, account)
                || (!r.kind.is_global() && differs(&place.region, region))
        });
        if let Some(place) = elsewhere {
            let mut at = String::new();
            if let Some(a) = &place.account {
                at.push_str(&format!(" of account {a}"));
            }
            if let (Some(region), false) = (&place.region, r.kind.is_global()) {
                at.push_str(&format!(" in {region}"));
            }
            return Found::Unknown(
                Reason::NotDescribed,
                format!("{} describes only the {}{at}", self.inv.source, r.what()),
            );
        }
        let owned = || self.inv.aws_owned.get(&key);
        match self.inv.resources.get(&key).or_else(owned) {
            Some(resource) => Found::Here(resource),
            None if self.inv.is_whole(r.kind) => Found::Absent,
            None => Found::Unknown(
                Reason::NotDescribed,
                format!("{} does not describe {}", self.inv.source, r.what()),
            ),
        }
    }

    pub(super) fn doc(&self, kind: Kind, id: &str) -> Option<&Value> {
        self.inv
            .resources
            .get(&(kind, id.to_string()))
            .map(|r| &r.document)
    }
}

/// Where the checks put what they make of each reference, for the check running.
pub(super) struct Out<'a> {
    pub(super) check: CheckId,
    pub(super) options: &'a Options,
    pub(super) outcome: Outcome,
}

impl Out<'_> {
    /// A reference of the resource `kind` `id` judged, and sound.
    pub(super) fn judged(&mut self, kind: Kind, id: &str) {
        self.outcome.judged.push((self.check, kind, id.to_string()));
    }

    /// A reference judged broken (the severity `driftwatch.toml` sets for the check wins).
    pub(super) fn finding(
        &mut self,
        severity: Severity,
        kind: Kind,
        id: &str,
        subject: &str,
        message: String,
    ) {
        self.judged(kind, id);
        let severity = self
            .options
            .severity
            .get(&self.check)
            .copied()
            .unwrap_or(severity);
        self.outcome.findings.push(Finding {
            check: self.check,
            severity,
            kind,
            id: id.to_string(),
            subject: subject.to_string(),
            message,
            target: None,
        });
    }

    pub(super) fn not_judged(
        &mut self,
        reason: Reason,
        kind: Kind,
        id: &str,
        subject: &str,
        message: String,
    ) {
        self.outcome.not_judged.push(NotJudged {
            check: self.check,
            kind,
            id: id.to_string(),
            subject: subject.to_string(),
            reason,
            message,
            target: None,
        });
    }
}
