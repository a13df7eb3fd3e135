//! Normalizer for `aws_ecr_repository`. Input: a `DescribeRepositories` item with
//! `lifecyclePolicy` (the text of `GetLifecyclePolicy`), `repositoryPolicy` (the text of
//! `GetRepositoryPolicy`) and `tags` (`ListTagsForResource`, as an object or ECR's
//! `[{"Key", "Value"}]`); or our own output. Pure.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, drop_default, map_fields, pairs_to_map, policy_document, sort_set};

/// Assigned by ECR, never set.
const READ_ONLY: &[&str] = &["repositoryArn", "registryId", "repositoryUri", "createdAt"];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for field in READ_ONLY {
        m.remove(*field);
    }
    // ECR's default when a repository is created without it.
    drop_default(&mut m, "imageTagMutability", json!("MUTABLE"));
    Value::Object(map_fields(m, |field, v| match field {
        "imageTagMutabilityExclusionFilters" => sort_set(clean(v)),
        "imageScanningConfiguration" => scanning(v),
        "encryptionConfiguration" => encryption(v),
        "lifecyclePolicy" => lifecycle_policy(v),
        "repositoryPolicy" => policy_document::normalize(embedded_json(v)),
        "tags" => pairs_to_map(v, "Key", "Value"),
        _ => clean(v),
    }))
}

/// `scanOnPush: false` is ECR's default (and what it reports however registry scanning is
/// set): nothing.
fn scanning(v: Value) -> Value {
    let Value::Object(mut m) = clean(v) else {
        return Value::Null;
    };
    if let Some(b) = m.remove("scanOnPush") {
        let on = b == json!(true) || b == json!("true");
        if on {
            m.insert("scanOnPush".into(), json!(true));
        }
    }
    Value::Object(m)
}

/// AES256 is ECR's default encryption (no key): nothing. A KMS type keeps its key.
fn encryption(v: Value) -> Value {
    let Value::Object(m) = clean(v) else {
        return Value::Null;
    };
    if m.get("encryptionType").is_none_or(|t| t == "AES256") {
        return Value::Null;
    }
    Value::Object(
        m.into_iter()
            .filter(|(_, v)| v.as_str() != Some(""))
            .collect::<Map<_, _>>(),
    )
}

/// The lifecycle policy as a document: its rules in priority order (the order ECR applies
/// them, whatever order they were written in), each rule's tag lists as sets.
fn lifecycle_policy(v: Value) -> Value {
    let Value::Object(mut m) = clean(embedded_json(v)) else {
        return Value::Null;
    };
    if let Some(Value::Array(mut rules)) = m.remove("rules") {
        rules.sort_by_key(|r| priority(r.get("rulePriority")));
        let rules = rules.into_iter().map(rule).collect();
        m.insert("rules".into(), Value::Array(rules));
    }
    Value::Object(m)
}

/// `rulePriority` as a number (a hand-written golden file may quote it); none sorts last.
fn priority(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(i64::MAX),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(i64::MAX),
        _ => i64::MAX,
    }
}

/// One rule: `rulePriority` a number, the selection's tag prefixes and patterns sets.
fn rule(r: Value) -> Value {
    let Value::Object(mut r) = r else { return r };
    if let Some(p) = r.remove("rulePriority") {
        let n = priority(Some(&p));
        r.insert(
            "rulePriority".into(),
            if n == i64::MAX { p } else { json!(n) },
        );
    }
    if let Some(Value::Object(sel)) = r.get_mut("selection") {
        for list in ["tagPrefixList", "tagPatternList"] {
            if let Some(l) = sel.remove(list) {
                sel.insert(list.into(), sort_set(l));
            }
        }
    }
    Value::Object(r)
}

/// A policy held as JSON text; already-parsed documents pass through, and "" is none.
fn embedded_json(v: Value) -> Value {
    match v {
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    const LIFECYCLE: &str = r#"{"rules":[{"rulePriority":2,"description":"old untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}},{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v","release"],"countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}}]}"#;
    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":["ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"]}}"#;

    /// A `DescribeRepositories` item as AWS returns it, with its policies' texts and ECR's tag
    /// pairs.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/team/backend",
            "registryId": "123456789012", "repositoryName": "team/backend",
            "repositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/backend",
            "createdAt": "2024-01-01T00:00:00Z",
            "imageTagMutability": "IMMUTABLE",
            "imageScanningConfiguration": {"scanOnPush": true},
            "encryptionConfiguration": {"encryptionType": "KMS",
                "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/1234"},
            "lifecyclePolicy": LIFECYCLE,
            "repositoryPolicy": POLICY,
            "tags": [{"Key": "team", "Value": "core"}]
        })
    }

    #[test]
    fn canonical_repository() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({
                "repositoryName": "team/backend",
                "imageTagMutability": "IMMUTABLE",
                "imageScanningConfiguration": {"scanOnPush": true},
                "encryptionConfiguration": {"encryptionType": "KMS",
                    "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/1234"},
                "lifecyclePolicy": {"rules": [
                    {"rulePriority": 1, "selection": {"tagStatus": "tagged",
                        "tagPrefixList": ["release", "v"], "countType": "imageCountMoreThan",
                        "countNumber": 30}, "action": {"type": "expire"}},
                    {"rulePriority": 2, "description": "old untagged", "selection": {
                        "tagStatus": "untagged", "countType": "sinceImagePushed",
                        "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]},
                "repositoryPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "Pull",
                    "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::210987654321:root"]},
                    "Action": ["ecr:batchgetimage", "ecr:getdownloadurlforlayer"]}]},
                "tags": {"team": "core"}
            })
        );
    }

    #[test]
    fn idempotent() {
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
    }

    /// What AWS (and moto) report for a repository created with no settings equals the
    /// minimal document a user writes: MUTABLE, AES256, scan on push off, no policies, no tags.
    #[test]
    fn aws_defaults_are_not_drift() {
        let defaults = normalize(json!({
            "repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/backend",
            "registryId": "123456789012", "repositoryName": "backend",
            "repositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend",
            "imageTagMutability": "MUTABLE",
            "imageScanningConfiguration": {"scanOnPush": false},
            "encryptionConfiguration": {"encryptionType": "AES256"},
            "lifecyclePolicy": null, "repositoryPolicy": null, "tags": {}
        }));
        assert_eq!(defaults, json!({"repositoryName": "backend"}));
    }

    #[test]
    fn exclusion_filters_are_a_set_kept_with_their_mutability() {
        let n = normalize(json!({"repositoryName": "r",
            "imageTagMutability": "MUTABLE_WITH_EXCLUSION",
            "imageTagMutabilityExclusionFilters": [
                {"filterType": "WILDCARD", "filter": "latest"},
                {"filterType": "WILDCARD", "filter": "dev-*"}]}));
        assert_eq!(n["imageTagMutability"], "MUTABLE_WITH_EXCLUSION");
        assert_eq!(
            n["imageTagMutabilityExclusionFilters"],
            json!([{"filter": "dev-*", "filterType": "WILDCARD"},
                   {"filter": "latest", "filterType": "WILDCARD"}])
        );
    }

    /// Rules written in another order, or with a quoted priority, are the same policy.
    #[test]
    fn rule_order_does_not_matter() {
        let mut other = aws_shaped();
        let mut doc: serde_json::Value = serde_json::from_str(LIFECYCLE).unwrap();
        doc["rules"].as_array_mut().unwrap().reverse();
        doc["rules"][0]["rulePriority"] = json!("1");
        other["lifecyclePolicy"] = doc;
        assert_eq!(normalize(other), normalize(aws_shaped()));
    }
}
