//! Related resources: rules of a security group, inline policies and attachments of a role, the
//! policies of a queue. Each folds into its owner, as its kind's definition says
//! (`kinds::Related`: what an instance claims, in the kind's `related.rs`). When the owner is not in the state (managed
//! elsewhere), the state still claims these parts of it: the owner is described partially, and
//! only the claimed parts are compared (see `crate::scope`). Pure.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Described;
use crate::kinds::{self, Edit};
use crate::model::Kind;
use crate::scope::{Part, Scope};
use crate::terraform::state::Instance;

/// True for the Terraform types that fold into an owner of another type.
pub(super) fn is_related(r#type: &str) -> bool {
    kinds::related(r#type).is_some()
}

/// Folds a related resource into its owner, or into a partial description of an owner managed
/// elsewhere; false when it names no owner (or its type is not a related one).
pub(super) fn fold(
    owners: &mut BTreeMap<(Kind, String), Described>,
    i: &Instance,
    arns: &std::collections::HashMap<String, String>,
) -> bool {
    let Some((def, related)) = kinds::related(&i.r#type) else {
        return false;
    };
    // An owner named through its ARN is the state's instance of that ARN, or none.
    let claims: Vec<_> = (related.claims)(&i.attributes)
        .into_iter()
        .filter_map(|mut c| {
            c.owner = super::resolve_id(&c.owner, arns)?;
            Some(c)
        })
        .collect();
    if claims.is_empty() {
        return false;
    }
    for c in claims {
        let owner = owners
            .entry((def.kind, c.owner.clone()))
            .or_insert_with(|| partial_owner(def.kind, related.owner_field, &c.owner, &i.address));
        if owner.scope.partial && !owner.address.split(", ").any(|a| a == i.address) {
            owner.address = format!("{}, {}", owner.address, i.address);
        }
        let part = match c.edit {
            Edit::Push(_) => Part::Members(format!("/{}", c.field)),
            Edit::Set(_) => Part::Whole(format!("/{}", c.field)),
        };
        match c.edit {
            Edit::Push(items) => {
                for item in items {
                    push_item(&mut owner.document, c.field, item);
                }
            }
            Edit::Set(v) => owner.document[c.field] = v,
        }
        owner.scope.claim(part);
        // A sensitive value of a related resource: the whole field it writes is hidden.
        let field = format!("/{}", c.field);
        if i.sensitive.is_some() && !owner.scope.sensitive.contains(&field) {
            owner.scope.sensitive.push(field);
        }
    }
    true
}

/// An owner the state does not hold: only its identity (`field`), until claims fold in.
fn partial_owner(kind: Kind, field: &str, id: &str, address: &str) -> Described {
    Described {
        kind,
        id: id.to_string(),
        document: json!({ field: id }),
        address: address.to_string(),
        scope: Scope::partial(Vec::new()),
        place: None,
    }
}

pub(super) fn push_item(doc: &mut Value, field: &str, item: Value) {
    let Value::Object(m) = doc else { return };
    match m.entry(field).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(items) => items.push(item),
        other => *other = Value::Array(vec![item]),
    }
}

/// Another state's (pre-normalization) document of the same resource folded into `doc`: list
/// fields gain its items, other fields take its value.
pub(super) fn merge_document(doc: &mut Value, other: Value) {
    let Value::Object(other) = other else { return };
    for (field, v) in other {
        match v {
            Value::Array(items) => {
                for item in items {
                    push_item(doc, &field, item);
                }
            }
            v => doc[field.as_str()] = v,
        }
    }
}
