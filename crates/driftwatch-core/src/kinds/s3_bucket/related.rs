//! The settings provider v4 split off `aws_s3_bucket` into resources of their own, each set
//! whole on the bucket its `bucket` names: it replaces the bucket's own (computed) block, and
//! speaks for a setting the bucket has no attribute for. Pure.

use serde_json::{json, Value};

use super::schema::{
    ENCRYPTION, LIFECYCLE, OBJECT_LOCK, OWNERSHIP_CONTROLS, POLICY, PUBLIC_ACCESS_BLOCK, VERSIONING,
};
use super::terraform::{encryption, lifecycle, object_lock, versioning};
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{attr, block, blocks, json_text, text};

pub(super) const RELATED: &[Related] = &[
    Related {
        r#type: VERSIONING,
        owner_field: "Name",
        claims: |a| {
            let v = block(a, "versioning_configuration").map(|c| versioning(&c));
            claim(a, "Versioning", v.unwrap_or(Value::Null))
        },
    },
    Related {
        r#type: ENCRYPTION,
        owner_field: "Name",
        claims: |a| {
            claim(
                a,
                "ServerSideEncryptionConfiguration",
                encryption(&blocks(a, "rule")),
            )
        },
    },
    Related {
        r#type: PUBLIC_ACCESS_BLOCK,
        owner_field: "Name",
        claims: |a| {
            let v = json!({
                "BlockPublicAcls": flag(a, "block_public_acls"),
                "IgnorePublicAcls": flag(a, "ignore_public_acls"),
                "BlockPublicPolicy": flag(a, "block_public_policy"),
                "RestrictPublicBuckets": flag(a, "restrict_public_buckets"),
            });
            claim(a, "PublicAccessBlockConfiguration", v)
        },
    },
    Related {
        r#type: OWNERSHIP_CONTROLS,
        owner_field: "Name",
        claims: |a| {
            let v =
                block(a, "rule").map(|r| json!({"ObjectOwnership": attr(&r, "object_ownership")}));
            claim(a, "OwnershipControls", v.unwrap_or(Value::Null))
        },
    },
    Related {
        r#type: POLICY,
        owner_field: "Name",
        claims: |a| claim(a, "Policy", json_text(attr(a, "policy"))),
    },
    Related {
        r#type: LIFECYCLE,
        owner_field: "Name",
        claims: |a| claim(a, "LifecycleConfiguration", lifecycle(a)),
    },
    Related {
        r#type: OBJECT_LOCK,
        owner_field: "Name",
        claims: |a| {
            let enabled = text(a, "object_lock_enabled")
                .unwrap_or("Enabled")
                .to_string();
            claim(a, "ObjectLockConfiguration", object_lock(Some(enabled), a))
        },
    },
];

/// The provider's booleans default to false when unset.
fn flag(a: &Value, key: &str) -> Value {
    json!(a.get(key).and_then(Value::as_bool).unwrap_or(false))
}

/// `value` as the bucket's `field`. The owner is `bucket`, else the id (`bucket` or
/// `bucket,owner-account`, the split resources' import ids).
fn claim(a: &Value, field: &'static str, value: Value) -> Vec<Claim> {
    let Some(owner) =
        text(a, "bucket").or_else(|| text(a, "id").map(|i| i.split(',').next().unwrap_or(i)))
    else {
        return Vec::new();
    };
    vec![Claim {
        owner: owner.to_string(),
        field,
        edit: Edit::Set(value),
    }]
}
