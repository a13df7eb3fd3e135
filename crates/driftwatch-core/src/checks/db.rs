//! `db-reference`: a task definition that names a database (an RDS endpoint in an environment
//! value, alone or in a URL; or the secret RDS manages for a database's master user) names one
//! that exists, and a service running it can reach it: one of the database's security groups
//! admits the service's security groups (or its subnets' addresses) on the database port.
//! Warnings: a database publicly accessible, unencrypted, or without deletion protection.
//!
//! driftwatch never reads a secret's value, so a URL kept in a secret of one's own is not seen:
//! the link is what the task definition states in the open.

use serde_json::Value;

use super::addresses::{rds_hosts, Endpoint, Ipv4Range};
use super::grants::{tasks, unread_revisions};
use super::names::{secret_ref, SecretRef};
use super::service_task::{groups, subnets, task_of};
use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::kinds::security_group::rule_name;
use crate::model::{Kind, Place, Resource};
use crate::scope::Known;

pub fn db_reference(cx: &Cx, out: &mut Out) {
    unread_revisions(cx, out);
    for (task, from) in tasks(cx) {
        for link in links(task.doc) {
            let _ = database(cx, out, (task.kind, task.id), &from, &link);
        }
    }
    services(cx, out);
    warnings(cx, out);
}

/// A database a task definition names, and how.
struct Link {
    /// "DATABASE_URL of container backend", for messages.
    uses: String,
    /// What is named: the host, or the secret's ARN.
    subject: String,
    names: Names,
}

enum Names {
    /// An endpoint, and the region its host names.
    Host(Endpoint, String),
    /// An RDS-managed master user secret, by the names its ARN may stand for.
    ManagedSecret(Vec<String>),
}

/// Every database reference of a task definition's containers, in name order.
fn links(task: &Value) -> Vec<Link> {
    let mut out = Vec::new();
    let Some(Value::Object(containers)) = task.get("containerDefinitions") else {
        return out;
    };
    for (container, c) in containers {
        if let Some(Value::Object(env)) = c.get("environment") {
            for (name, value) in env {
                for host in rds_hosts(value.as_str().unwrap_or_default()) {
                    out.push(Link {
                        uses: format!("{name} of container {container}"),
                        subject: host.host,
                        names: Names::Host(host.names, host.region),
                    });
                }
            }
        }
        if let Some(Value::Object(secrets)) = c.get("secrets") {
            for (name, value) in secrets {
                let value = value.as_str().unwrap_or_default();
                let Some(SecretRef::Secret(s)) = secret_ref(value) else {
                    continue;
                };
                // RDS names the secrets it manages `rds!db-…` and `rds!cluster-…`.
                if s.name.starts_with("rds!") {
                    out.push(Link {
                        uses: format!("secret {name} of container {container}"),
                        subject: s.arn.clone(),
                        names: Names::ManagedSecret(
                            s.names().into_iter().map(str::to_string).collect(),
                        ),
                    });
                }
            }
        }
    }
    out
}

/// The database a link names: judged to exist (`Some`) or reported.
fn database<'a>(
    cx: &'a Cx,
    out: &mut Out,
    (kind, id): (Kind, &str),
    from: &Place,
    link: &Link,
) -> Option<(Kind, &'a str, &'a Resource)> {
    let subject = link.subject.as_str();
    let uses = &link.uses;
    match &link.names {
        Names::Host(Endpoint::Other(what), _) => {
            let why = format!("{uses} names {subject}, {what}, which is not read");
            out.not_judged(Reason::NotRead, kind, id, subject, why);
            None
        }
        Names::Host(Endpoint::Cluster(db_id), region) => endpoint(
            cx,
            out,
            (kind, id),
            from,
            link,
            (Kind::RdsCluster, db_id, region),
        ),
        Names::Host(Endpoint::Instance(db_id), region) => endpoint(
            cx,
            out,
            (kind, id),
            from,
            link,
            (Kind::DbInstance, db_id, region),
        ),
        Names::ManagedSecret(names) => managed_secret(cx, out, (kind, id), names),
    }
}

/// The database an endpoint host names, in the region the host names.
fn endpoint<'a>(
    cx: &'a Cx,
    out: &mut Out,
    (kind, id): (Kind, &str),
    from: &Place,
    link: &Link,
    (db_kind, db_id, region): (Kind, &str, &str),
) -> Option<(Kind, &'a str, &'a Resource)> {
    let subject = link.subject.as_str();
    let uses = &link.uses;
    let target = Ref {
        region: Some(region),
        ..Ref::local(db_kind, db_id)
    };
    match cx.find(from, &target) {
        Found::Here(r) => {
            out.judged(kind, id);
            let (key, _) = cx
                .inv
                .resources
                .get_key_value(&(db_kind, db_id.to_string()))?;
            Some((db_kind, key.1.as_str(), r))
        }
        Found::Absent => {
            let noun = db_kind.def().noun;
            let why = format!(
                "{uses} names database endpoint {subject}, whose {noun} {db_id} does not exist"
            );
            out.finding(Severity::Error, kind, id, subject, why);
            None
        }
        Found::Unknown(reason, why) => {
            let why = format!("{uses} names database endpoint {subject}: {why}");
            out.not_judged(reason, kind, id, subject, why);
            None
        }
    }
}

/// The database whose master user secret RDS manages as `names`. Whether the secret exists is
/// `secret-reference`'s to say; a secret no database here claims links to nothing.
fn managed_secret<'a>(
    cx: &'a Cx,
    out: &mut Out,
    (kind, id): (Kind, &str),
    names: &[String],
) -> Option<(Kind, &'a str, &'a Resource)> {
    for db_kind in [Kind::DbInstance, Kind::RdsCluster] {
        for (db_id, r) in cx.inv.of_kind(db_kind) {
            let arn = r.document.pointer("/MasterUserSecret/SecretArn");
            let name = arn
                .and_then(Value::as_str)
                .and_then(|a| match secret_ref(a) {
                    Some(SecretRef::Secret(s)) => Some(s.name),
                    _ => None,
                });
            if name.is_some_and(|n| names.contains(&n)) {
                out.judged(kind, id);
                return Some((db_kind, db_id, r));
            }
        }
    }
    None
}

/// Each service's path to the databases its task definition names.
fn services(cx: &Cx, out: &mut Out) {
    let kind = Kind::EcsService;
    for (id, r) in cx.inv.of_kind(kind) {
        let from = cx.place_of(kind, id);
        let mine = groups(&r.document);
        if mine.is_empty() {
            // Bridge or host mode: the container instances' groups, which are not read.
            continue;
        }
        let task = match task_of(cx, &from, id, &r.document) {
            Ok(Some(task)) => task,
            // No task definition is `service-reference`'s finding; an unread one is said by
            // `unread_revisions`.
            _ => continue,
        };
        for link in links(task) {
            // Existence is judged (and said) on the task definition: quietly here.
            let mut quiet = Out {
                check: out.check,
                options: out.options,
                outcome: Default::default(),
            };
            let Some(db) = database(cx, &mut quiet, (kind, id), &from, &link) else {
                continue;
            };
            reach(cx, out, (id, &r.document, &from), &mine, &link, db);
        }
    }
}

/// Whether one of the database's security groups admits the service on the database's port.
fn reach(
    cx: &Cx,
    out: &mut Out,
    (id, service, from): (&str, &Value, &Place),
    mine: &[&str],
    link: &Link,
    (db_kind, db_id, db): (Kind, &str, &Resource),
) {
    let kind = Kind::EcsService;
    let noun = db_kind.def().noun;
    let uses = format!("reaches {noun} {db_id} ({})", link.uses);
    // An Aurora member's port and groups are its cluster's.
    let member_of = db
        .document
        .get("DBClusterIdentifier")
        .and_then(Value::as_str);
    let network = match member_of {
        Some(cluster) => cx.doc(Kind::RdsCluster, cluster),
        None => Some(&db.document),
    };
    let port = network.and_then(|n| n.get("Port")).and_then(Value::as_i64);
    let ids = network
        .and_then(|n| n.get("VpcSecurityGroupIds"))
        .and_then(Value::as_array);
    let (Some(port), Some(ids)) = (port, ids) else {
        let why = format!("{uses}: the source does not state its port and security groups");
        out.not_judged(Reason::Partial, kind, id, db_id, why);
        return;
    };
    let cidrs = service_ranges(cx, service);
    let mut unknown: Option<(Reason, String)> = None;
    for g in ids.iter().filter_map(Value::as_str) {
        let group = match cx.find(from, &Ref::local(Kind::SecurityGroup, g)) {
            Found::Here(group) => group,
            Found::Absent => continue,
            Found::Unknown(reason, why) => {
                unknown.get_or_insert((reason, format!("security group {g}: {why}")));
                continue;
            }
        };
        if group.scope.knows("/IpPermissions") != Known::All {
            let why = format!("the source does not state every inbound rule of {g}");
            unknown.get_or_insert((Reason::Partial, why));
        }
        match admits(group, port, mine, &cidrs) {
            Admits::Yes => {
                out.judged(kind, id);
                return;
            }
            Admits::Maybe(why) => {
                unknown.get_or_insert((Reason::NotDescribed, format!("{g}: {why}")));
            }
            Admits::No => {}
        }
    }
    if let Some((reason, why)) = unknown {
        out.not_judged(reason, kind, id, db_id, format!("{uses}: {why}"));
        return;
    }
    let groups: Vec<&str> = ids.iter().filter_map(Value::as_str).collect();
    let why = format!(
        "{uses}, but none of its security groups ({}) admits the service's ({}) on port {port}",
        groups.join(", "),
        mine.join(", ")
    );
    out.finding(Severity::Error, kind, id, db_id, why);
}

enum Admits {
    Yes,
    No,
    /// A rule that may admit it, by what is not known here (the service's subnets' ranges
    /// offline, a prefix list).
    Maybe(String),
}

/// The IPv4 ranges of a service's subnets (live only), or why they are not known.
fn service_ranges(cx: &Cx, service: &Value) -> Result<Vec<Ipv4Range>, String> {
    let mut out = Vec::new();
    let Some(known) = &cx.extras.subnets else {
        return Err("subnets are read from the account only".into());
    };
    for s in subnets(service) {
        let range = match (known.read.get(s), &known.unread) {
            (Some(subnet), _) => subnet.cidr.as_deref().and_then(Ipv4Range::parse),
            (None, Some(why)) => return Err(format!("subnets could not be read: {why}")),
            (None, None) => return Err(format!("subnet {s} does not exist")),
        };
        match range {
            Some(r) => out.push(r),
            None => return Err(format!("subnet {s} has no IPv4 range")),
        }
    }
    Ok(out)
}

/// Whether `group` has an inbound rule for TCP `port` from one of `mine` or from addresses
/// covering every subnet of the service.
fn admits(
    group: &Resource,
    port: i64,
    mine: &[&str],
    cidrs: &Result<Vec<Ipv4Range>, String>,
) -> Admits {
    let mut maybe = None;
    for rule in rule_name::rules(group.document.get("IpPermissions")) {
        let text = |k: &str| rule.get(k).and_then(Value::as_str);
        let protocol = text("IpProtocol").unwrap_or_default();
        let on_port = match protocol {
            "-1" | "all" => true,
            "tcp" | "6" => {
                let from = rule.get("FromPort").and_then(Value::as_i64);
                let to = rule.get("ToPort").and_then(Value::as_i64);
                matches!((from, to), (Some(f), Some(t)) if f <= port && port <= t)
            }
            _ => false,
        };
        if !on_port {
            continue;
        }
        if text("ReferencedGroupId").is_some_and(|g| mine.contains(&g)) {
            return Admits::Yes;
        }
        if let Some(range) = text("CidrIpv4").and_then(Ipv4Range::parse) {
            match cidrs {
                Ok(subnets) if !subnets.is_empty() => {
                    if subnets.iter().all(|s| range.covers(s)) {
                        return Admits::Yes;
                    }
                }
                _ if range.covers(&Ipv4Range::parse("0.0.0.0/0").expect("a range")) => {
                    return Admits::Yes;
                }
                Err(why) => {
                    maybe.get_or_insert(format!(
                        "a rule admits {}, and {why}",
                        text("CidrIpv4").unwrap_or_default()
                    ));
                }
                Ok(_) => {}
            }
        }
        if let Some(list) = text("PrefixListId") {
            maybe.get_or_insert(format!(
                "a rule admits prefix list {list}, which is not read"
            ));
        }
    }
    maybe.map_or(Admits::No, Admits::Maybe)
}

/// Warnings on every database: reachable from the internet, unencrypted, deletable.
fn warnings(cx: &Cx, out: &mut Out) {
    for kind in [Kind::DbInstance, Kind::RdsCluster] {
        for (id, r) in cx.inv.of_kind(kind) {
            let member = r.document.get("DBClusterIdentifier").is_some();
            let mut said = |field: &str, bad: bool, message: &str| {
                if r.scope.knows(&format!("/{field}")) == Known::Nothing {
                    let why = format!("the source does not state {field}");
                    out.not_judged(Reason::Partial, kind, id, field, why);
                    return;
                }
                // Absent is AWS's default, false, for all three.
                let value = r.document.get(field).and_then(Value::as_bool);
                match value.unwrap_or(false) {
                    v if v == bad => {
                        let why = format!("{} {id} {message}", kind.def().noun);
                        out.finding(Severity::Warning, kind, id, field, why);
                    }
                    _ => out.judged(kind, id),
                }
            };
            if kind == Kind::DbInstance {
                said("PubliclyAccessible", true, "is publicly accessible");
            }
            // A cluster member's storage and deletion protection are its cluster's.
            if !member {
                said("StorageEncrypted", false, "is not encrypted at rest");
                said("DeletionProtection", false, "has no deletion protection");
            }
        }
    }
}
