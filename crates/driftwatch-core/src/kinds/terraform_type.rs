//! What a kind's definition says about the Terraform types that describe it: each type's
//! attributes and what becomes of them (the rows `terraform::map::schema` reads to tell what a
//! provider version could not know), which flatmap leaves are numbers or booleans, and the
//! related types (rules, inline policies, attachments) that fold into an owner of the kind.
//! Every type is declared whole, with all of its tables, so a type without them does not
//! compile; the lookups below are the only way the Terraform stages find them. Pure.

use serde_json::Value;

use super::Def;
use crate::model::Kind;

/// One Terraform type: every top-level attribute of it (aws provider 2.x to 6.x, from the
/// provider's documentation) is in `mapped` or in `not_compared` (with `COMMON` of
/// `terraform::map::schema`); a test holds the fixtures and README.md to that.
pub struct TerraformType {
    pub name: &'static str,
    /// Attributes that are compared, with the canonical paths they make (none for the
    /// resource's identity and for related resources, whose claims say what they hold). A
    /// path none of whose attributes an instance has is one its provider version did not know.
    pub mapped: &'static [(&'static str, &'static [&'static str])],
    /// Attributes that are not compared, with the reason (README's "not compared" table).
    pub not_compared: &'static [(&'static str, &'static str)],
    /// Flatmap leaves (legacy states store each as a string) that are numbers, and that are
    /// booleans. Paths name nested blocks by their attribute names (`ingress.from_port`);
    /// list and set items take their list's path. Every other leaf is a string.
    pub numbers: &'static [&'static str],
    pub bools: &'static [&'static str],
}

/// A Terraform type that describes a part of a resource of the kind (a group's rule, a role's
/// inline policy or attachment, a queue's policy): folded into its owner, or into a partial
/// description of an owner managed elsewhere.
pub struct Related {
    pub r#type: TerraformType,
    /// The owner's document field that holds its id: all a partial owner holds at first.
    pub owner_field: &'static str,
    /// What one instance's attributes claim, per owner; none when they name no owner.
    pub claims: fn(&Value) -> Vec<Claim>,
}

/// What one related resource says about one owner of its kind.
pub struct Claim {
    /// The owner's id.
    pub owner: String,
    /// The API field it writes, as the normalizer reads it.
    pub field: &'static str,
    pub edit: Edit,
}

pub enum Edit {
    /// Items of a list (rules, inline policies, attached ARNs).
    Push(Vec<Value>),
    /// The whole value (a queue's policy).
    Set(Value),
}

fn defs() -> impl Iterator<Item = &'static Def> {
    Kind::ALL.iter().map(|k| k.def())
}

/// The definition of the kind a Terraform type maps to, if any.
pub fn by_terraform_type(r#type: &str) -> Option<&'static Def> {
    defs().find(|d| d.terraform_types.iter().any(|t| t.name == r#type))
}

/// The kind a related Terraform type folds into, and how.
pub fn related(r#type: &str) -> Option<(&'static Def, &'static Related)> {
    defs().find_map(|d| {
        d.related
            .iter()
            .find(|r| r.r#type.name == r#type)
            .map(|r| (d, r))
    })
}

/// Every Terraform type some kind maps or folds: the kinds' own, then their related ones.
pub fn terraform_types() -> impl Iterator<Item = &'static TerraformType> {
    defs().flat_map(|d| {
        d.terraform_types
            .iter()
            .chain(d.related.iter().map(|r| &r.r#type))
    })
}

/// Every related type's name.
pub fn related_type_names() -> impl Iterator<Item = &'static str> {
    defs().flat_map(|d| d.related.iter().map(|r| r.r#type.name))
}

/// The tables of a Terraform type a kind maps or folds; `None` for every other type, which
/// driftwatch does not compare (data sources, other services' resources).
pub fn terraform_type(name: &str) -> Option<&'static TerraformType> {
    terraform_types().find(|t| t.name == name)
}
