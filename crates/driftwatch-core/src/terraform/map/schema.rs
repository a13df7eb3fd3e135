//! What becomes of Terraform attributes, read from the kinds' tables (`kinds::TerraformType`,
//! in each kind's `schema.rs`): why an attribute is knowingly not compared (README.md's
//! "Terraform attributes not compared" table mirrors them; a test keeps fixtures, the tables and
//! the README in step), and which canonical paths a state could not know (an attribute absent
//! from the instance: a provider schema from before the attribute existed). The reasons the
//! kinds' tables share are here. Pure.

use serde_json::Value;

use crate::kinds::{self, TerraformType};

pub(crate) const AWS_ASSIGNED: &str = "assigned by AWS (identity, not a setting)";
pub(crate) const TERRAFORM_ONLY: &str =
    "how Terraform creates, updates or deletes it; AWS does not store it";
pub(crate) const NAME_PREFIX: &str = "only how Terraform chose the name; `name` holds the result";
/// An attribute that holds a secret's value in clear (a secret version's `secret_string`, a
/// parameter's `value`): the state reader drops it (`terraform::secret_values`), so no
/// document, report, log line or history row can hold it.
pub(crate) const SECRET_VALUE: &str =
    "a secret value: dropped when the state is read, never compared, stored or shown";
const REGION: &str = "provider 6.x: the region of the resource, which is the target's region";

/// Attributes of every mapped type that are not compared.
pub const COMMON: &[(&str, &str)] = &[
    ("id", AWS_ASSIGNED),
    ("arn", AWS_ASSIGNED),
    ("region", REGION),
    ("timeouts", TERRAFORM_ONLY),
];

/// Why an attribute of `type` is not compared, if it is not (common attributes included).
pub fn not_compared(r#type: &str, attribute: &str) -> Option<&'static str> {
    kinds::terraform_type(r#type)
        .into_iter()
        .flat_map(|t| t.not_compared)
        .chain(COMMON)
        .find(|(name, _)| *name == attribute)
        .map(|(_, why)| *why)
}

/// The canonical paths an instance of `type` cannot speak for: those whose every attribute is
/// absent from it. A provider schema from before an attribute existed (provider 3.x has no
/// `sqs_managed_sse_enabled`) says nothing about it, which is not "the AWS default".
pub fn unknown_paths(r#type: &str, attributes: &Value) -> Vec<String> {
    let Some(sources) = sources(r#type) else {
        return Vec::new();
    };
    // Which of the type's attributes the instance has: one walk along its sorted keys.
    let mut present = vec![false; sources.names.len()];
    if let Value::Object(m) = attributes {
        let mut keys = m.keys().peekable();
        for (name, present) in sources.names.iter().zip(present.iter_mut()) {
            while keys.next_if(|k| k.as_str() < *name).is_some() {}
            *present = keys.peek().is_some_and(|k| k.as_str() == *name);
        }
    }
    sources
        .paths
        .iter()
        .filter(|(_, names)| names.iter().all(|&i| !present[i]))
        .map(|(path, _)| path.to_string())
        .collect()
}

/// A type's canonical paths and the attributes each is mapped from.
struct Sources {
    /// The attributes that make some path, sorted, each once.
    names: Vec<&'static str>,
    /// Each path (sorted, each once) with its attributes, as indexes into `names`.
    paths: Vec<(&'static str, Vec<usize>)>,
}

/// The [`Sources`] of `type`: worked out once per type, not once per instance (a state can
/// hold 50,000 of one type).
fn sources(r#type: &str) -> Option<&'static Sources> {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, Sources)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        kinds::terraform_types()
            .map(|t| (t.name, sources_of(t)))
            .collect()
    });
    // `kinds::terraform_type` finds the first table of a type; so does this.
    table.iter().find(|(t, _)| *t == r#type).map(|(_, s)| s)
}

fn sources_of(t: &TerraformType) -> Sources {
    let mapped = t.mapped.iter().filter(|(_, paths)| !paths.is_empty());
    let mut names: Vec<&str> = mapped.clone().map(|(name, _)| *name).collect();
    names.sort_unstable();
    names.dedup();
    let mut paths: Vec<&str> = mapped
        .clone()
        .flat_map(|(_, p)| p.iter().copied())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let paths = paths
        .into_iter()
        .map(|path| {
            let of_path = mapped
                .clone()
                .filter(|(_, p)| p.contains(&path))
                .filter_map(|(name, _)| names.iter().position(|n| n == name))
                .collect();
            (path, of_path)
        })
        .collect();
    Sources { names, paths }
}
