//! `state-backend`: is the Terraform S3 backend driftwatch reads its states from safe to keep
//! them in? The bucket holding each state keeps versions, blocks public access, lets no one
//! outside the account read the state, encrypts with a key of the account's and refuses plain
//! HTTP; the lock table named beside the states exists with the key Terraform writes.

use serde_json::{json, Value};

use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::model::{Kind, Resource};
use crate::policy_eval::{
    evaluate, is_deny, statements, strings, Decision, Policy, Principal, Role,
};
use crate::scope::Known;

/// Where the run's S3 states are, and the lock table named beside them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backend {
    /// `(bucket, key)` of each `s3://` state read.
    pub states: Vec<(String, String)>,
    /// `lock_table` / `--lock-table`: the DynamoDB table of the S3 backend's locks.
    pub lock_table: Option<String>,
}

/// The four public access block settings, in AWS's order.
const BLOCKS: [&str; 4] = [
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
];

pub fn state_backend(cx: &Cx, out: &mut Out) {
    let mut buckets: Vec<&str> = Vec::new();
    let mut elsewhere = false;
    for (bucket, key) in &cx.extras.backend.states {
        let subject = format!("s3://{bucket}/{key}");
        let kind = Kind::S3Bucket;
        let found = cx.find(&cx.at, &Ref::local(kind, bucket));
        let b = match found {
            Found::Here(b) => b,
            // Buckets are read per region: one that is not here may be another region's.
            Found::Absent => {
                let why = format!(
                    "the state {subject} is in bucket {bucket}, which is not among the buckets of {} (another region's?)",
                    cx.inv.source
                );
                out.not_judged(Reason::NotDescribed, kind, bucket, &subject, why);
                elsewhere = true;
                continue;
            }
            Found::Unknown(reason, why) => {
                let why = format!("the state {subject}: {why}");
                out.not_judged(reason, kind, bucket, &subject, why);
                continue;
            }
        };
        if !buckets.contains(&bucket.as_str()) {
            buckets.push(bucket);
            bucket_settings(cx, out, bucket, b, &subject);
        }
        outsiders(cx, out, bucket, key, b, &subject);
    }
    if let Some(table) = &cx.extras.backend.lock_table {
        // The S3 backend keeps its table in its bucket's region: with no state bucket here,
        // a table that is not here is not known to be missing.
        let away = elsewhere && buckets.is_empty();
        lock_table(cx, out, table, away);
    }
}

/// What a partial reference does not say of a setting: the setting is not judged.
fn unstated(
    cx: &Cx,
    out: &mut Out,
    b: &Resource,
    (bucket, subject): (&str, &str),
    path: &str,
) -> bool {
    if b.scope.knows(path) != Known::Nothing {
        return false;
    }
    let why = format!(
        "{} does not manage {} of bucket {bucket}",
        cx.inv.source,
        path.trim_start_matches('/')
    );
    out.not_judged(Reason::Partial, Kind::S3Bucket, bucket, subject, why);
    true
}

/// Versioning, public access block, encryption and TLS: once a bucket.
fn bucket_settings(cx: &Cx, out: &mut Out, bucket: &str, b: &Resource, subject: &str) {
    let (kind, doc) = (Kind::S3Bucket, &b.document);
    let at = (bucket, subject);
    if !unstated(cx, out, b, at, "/Versioning") {
        let status = doc.pointer("/Versioning/Status").and_then(Value::as_str);
        match status {
            Some("Enabled") => out.judged(kind, bucket),
            other => {
                let is = other.map_or("never enabled".to_string(), |s| s.to_lowercase());
                let message = format!(
                    "bucket {bucket} holds Terraform state {subject} with versioning {is}: an overwritten or corrupted state cannot be recovered (the S3 backend's documentation calls versioning highly recommended)"
                );
                out.finding(Severity::Error, kind, bucket, subject, message);
            }
        }
    }
    if !unstated(cx, out, b, at, "/PublicAccessBlockConfiguration") {
        let block = doc.get("PublicAccessBlockConfiguration");
        let off: Vec<&str> = BLOCKS
            .into_iter()
            .filter(|s| block.and_then(|c| c.get(*s)).and_then(Value::as_bool) != Some(true))
            .collect();
        if off.is_empty() {
            out.judged(kind, bucket);
        } else {
            let message = format!(
                "bucket {bucket} holds Terraform state {subject} with public access block settings off: {}",
                off.join(", ")
            );
            out.finding(Severity::Error, kind, bucket, subject, message);
        }
    }
    if !unstated(cx, out, b, at, "/ServerSideEncryptionConfiguration") {
        if customer_key(doc).is_some() {
            out.judged(kind, bucket);
        } else {
            let message = format!(
                "bucket {bucket} holds Terraform state {subject} without default encryption by a customer-managed KMS key (who may read the state is then only the bucket's policy)"
            );
            out.finding(Severity::Warning, kind, bucket, subject, message);
        }
    }
    if !unstated(cx, out, b, at, "/Policy") {
        if doc.get("Policy").is_some_and(denies_plain_http) {
            out.judged(kind, bucket);
        } else {
            let message = format!(
                "bucket {bucket} holds Terraform state {subject} and its policy does not deny requests without TLS (aws:SecureTransport = false)"
            );
            out.finding(Severity::Warning, kind, bucket, subject, message);
        }
    }
}

/// The KMS key of the bucket's default encryption, when it is one of the account's (not the
/// AWS-managed `aws/s3`).
fn customer_key(doc: &Value) -> Option<&str> {
    let rules = doc
        .pointer("/ServerSideEncryptionConfiguration/Rules")?
        .as_array()?;
    rules.iter().find_map(|r| {
        let by_default = r.get("ApplyServerSideEncryptionByDefault")?;
        let algorithm = by_default.get("SSEAlgorithm")?.as_str()?;
        let key = by_default.get("KMSMasterKeyID")?.as_str()?;
        (algorithm.starts_with("aws:kms") && !key.contains("alias/aws/s3")).then_some(key)
    })
}

/// Whether a Deny statement refuses requests made without TLS (`aws:SecureTransport` false).
fn denies_plain_http(policy: &Value) -> bool {
    statements(policy).any(|st| {
        is_deny(st)
            && st
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|c| {
                    c.iter()
                        .filter(|(op, _)| op.eq_ignore_ascii_case("Bool"))
                        .filter_map(|(_, kv)| kv.as_object())
                        .flat_map(|kv| kv.iter())
                        .any(|(k, v)| {
                            k.eq_ignore_ascii_case("aws:SecureTransport")
                                && strings(Some(v))
                                    .iter()
                                    .any(|s| s.eq_ignore_ascii_case("false"))
                                || (k.eq_ignore_ascii_case("aws:SecureTransport")
                                    && v == &Value::Bool(false))
                        })
                })
    })
}

/// Whether the bucket's policy lets anyone outside the account read the state: every principal
/// it names that is not of the account (and `*`) is asked `s3:GetObject` on the state's key.
fn outsiders(cx: &Cx, out: &mut Out, bucket: &str, key: &str, b: &Resource, subject: &str) {
    let kind = Kind::S3Bucket;
    let Some(policy) = b.document.get("Policy") else {
        if b.scope.knows("/Policy") != Known::Nothing {
            out.judged(kind, bucket);
        }
        return;
    };
    let own = cx.at.account.as_deref();
    let object = format!("arn:aws:s3:::{bucket}/{key}");
    let over_tls = over_tls(policy);
    let doc = [Policy {
        name: &format!("the policy of bucket {bucket}"),
        role: Role::Resource,
        document: &over_tls,
    }];
    let mut worst: Option<(String, Decision)> = None;
    for principal in named_principals(policy) {
        let account = principal_account(&principal);
        if account.is_some() && account == own {
            continue;
        }
        let asked = if principal == "*" {
            "arn:aws:iam::000000000000:root".to_string()
        } else if principal.bytes().all(|b| b.is_ascii_digit()) {
            format!("arn:aws:iam::{principal}:root")
        } else {
            principal.clone()
        };
        let d = evaluate(&doc, Principal { arn: &asked }, "s3:GetObject", &object);
        let rank = |d: &Decision| match d {
            Decision::Allowed(_) => 2,
            Decision::Conditional(_) => 1,
            _ => 0,
        };
        if rank(&d) > worst.as_ref().map_or(0, |(_, w)| rank(w)) {
            let who = if principal == "*" {
                "anyone".to_string()
            } else {
                principal
            };
            worst = Some((who, d));
        }
    }
    match worst {
        None => out.judged(kind, bucket),
        Some((who, d)) => {
            let severity = match d {
                Decision::Allowed(_) => Severity::Error,
                _ => Severity::Warning,
            };
            let message = format!(
                "the policy of bucket {bucket} lets {who}, outside the account, read Terraform state {subject}: s3:GetObject {d}"
            );
            out.finding(severity, kind, bucket, subject, message);
        }
    }
}

/// The policy as it answers a request made over TLS: without the statements that deny plain
/// HTTP. Those are conditions of every request, so the evaluator would call any read "only
/// under conditions" (a warning), while the question is whether an outsider may read the
/// state the way any client does, over TLS.
fn over_tls(policy: &Value) -> Value {
    let mut p = policy.clone();
    let tls_only = |st: &Value| {
        let single = json!({"Statement": [st.clone()]});
        denies_plain_http(&single)
            && st
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|c| {
                    c.values()
                        .all(|kv| kv.as_object().is_some_and(|m| m.len() == 1))
                        && c.len() == 1
                })
    };
    if let Some(Value::Array(statements)) = p.get_mut("Statement") {
        statements.retain(|st| !tls_only(st));
    }
    p
}

/// Every AWS principal an Allow statement of `policy` names (`*` included), each once.
fn named_principals(policy: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for st in statements(policy).filter(|st| !is_deny(st)) {
        let named = match st.get("Principal") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Object(p)) => strings(p.get("AWS")),
            _ => Vec::new(),
        };
        for p in named {
            if !out.iter().any(|o| o == p) {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// The account of a principal: a bare account id, or the account field of an ARN.
fn principal_account(principal: &str) -> Option<&str> {
    if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        return Some(principal);
    }
    crate::arn::Arn::parse(principal).map(|a| a.account)
}

/// The lock table: exists, keyed by `LockID` (a string HASH key, what Terraform writes), and
/// (warnings) recoverable and protected from deletion.
fn lock_table(cx: &Cx, out: &mut Out, table: &str, away: bool) {
    let kind = Kind::DynamodbTable;
    let subject = format!("lock table {table}");
    let t = match cx.find(&cx.at, &Ref::local(kind, table)) {
        Found::Here(t) => t,
        Found::Absent if away => {
            let why = format!(
                "the lock table {table} is not among the tables of {}, and neither is the state's bucket (another region's?)",
                cx.inv.source
            );
            out.not_judged(Reason::NotDescribed, kind, table, &subject, why);
            return;
        }
        Found::Absent => {
            let message = format!(
                "the Terraform lock table {table} (lock_table) does not exist: `terraform` runs that lock fail"
            );
            out.finding(Severity::Error, kind, table, &subject, message);
            return;
        }
        Found::Unknown(reason, why) => {
            out.not_judged(
                reason,
                kind,
                table,
                &subject,
                format!("lock table {table}: {why}"),
            );
            return;
        }
    };
    let doc = &t.document;
    let keys = doc.get("KeySchema").and_then(Value::as_object);
    let is_lock_id = keys
        .is_some_and(|k| k.len() == 1 && k.get("LockID").and_then(Value::as_str) == Some("HASH"));
    let string = doc
        .pointer("/AttributeDefinitions/LockID")
        .and_then(Value::as_str)
        == Some("S");
    if t.scope.knows("/KeySchema") == Known::Nothing {
        let why = format!(
            "{} does not state the key of lock table {table}",
            cx.inv.source
        );
        out.not_judged(Reason::Partial, kind, table, &subject, why);
    } else if is_lock_id && string {
        out.judged(kind, table);
    } else {
        let key: Vec<String> = keys
            .into_iter()
            .flatten()
            .map(|(name, ty)| format!("{name} ({})", ty.as_str().unwrap_or("?")))
            .collect();
        let message = format!(
            "the Terraform lock table {table} is keyed by {}, not by the string HASH key LockID Terraform writes",
            if key.is_empty() { "nothing".to_string() } else { key.join(", ") }
        );
        out.finding(Severity::Error, kind, table, &subject, message);
    }
    for (field, what) in [
        ("PointInTimeRecoveryEnabled", "point-in-time recovery"),
        ("DeletionProtectionEnabled", "deletion protection"),
    ] {
        if t.scope.knows(&format!("/{field}")) == Known::Nothing {
            continue;
        }
        if doc.get(field).and_then(Value::as_bool) == Some(true) {
            out.judged(kind, table);
        } else {
            let message = format!("the Terraform lock table {table} has no {what}");
            out.finding(Severity::Warning, kind, table, &subject, message);
        }
    }
}
