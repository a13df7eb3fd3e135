//! Maps Terraform resource instances to our kinds, as documents in the shape our normalizers
//! read (the AWS API's field names), folding related resources into their owner so drift is found
//! whether Terraform wrote a rule, policy or attachment inline or as a separate resource.
//! Related resources whose owner is managed elsewhere become partial claims on it (see
//! `related`). Attribute names follow the aws provider 3.x to 6.x schemas (see `schema`). Pure.
//! Each kind's own mapping is its definition's `from_terraform` (`kinds/<kind>/terraform.rs`);
//! the loop and the helpers those share are here.

mod related;
pub mod schema;

use std::collections::BTreeMap;

use serde_json::Value;

use super::sensitive;
use super::state::Instance;
use crate::kinds::Def;
use crate::model::{Kind, Place};
use crate::scope::Scope;

/// One resource a state describes, before normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub kind: Kind,
    pub id: String,
    pub document: Value,
    /// The Terraform address of the owning resource (of the claims, for a partial one).
    pub address: String,
    /// What the state speaks for: partial claims, paths it cannot know.
    pub scope: Scope,
    /// Where the resource is, from its own ARN (none for a partial owner).
    pub place: Option<std::sync::Arc<Place>>,
}

impl Described {
    /// Takes in what another state says about the same resource: a partial claim folds into
    /// the owner's document as it would have in one state. `Err` when both describe it whole.
    pub fn merge(&mut self, other: Described) -> Result<(), String> {
        if !self.scope.partial && !other.scope.partial {
            return Err(format!(
                "{} and {} both describe {} `{}`",
                self.address, other.address, self.kind, self.id
            ));
        }
        if self.scope.partial && !other.scope.partial {
            let claims = std::mem::replace(self, other);
            return self.merge(claims);
        }
        related::merge_document(&mut self.document, other.document);
        self.scope.merge(other.scope);
        self.place = self.place.take().or(other.place);
        self.address = format!("{}, {}", self.address, other.address);
        Ok(())
    }
}

#[derive(Debug, Default)]
pub struct Mapped {
    pub resources: Vec<Described>,
    /// Terraform types we do not map, with how many instances of each: listed as not checked.
    pub not_checked: BTreeMap<String, usize>,
    /// The documents went through the [`Normalizer`] as they were mapped.
    pub normalized: bool,
}

/// Brings a mapped document of a kind into its canonical form (`normalize::normalize_raw`).
pub type Normalizer<'a> = &'a (dyn Fn(Kind, Value) -> Value + Sync);

/// Maps every instance; `Err` names two addresses that describe the same resource.
/// Each instance is dropped once mapped, so the state is not held twice.
pub fn map(instances: Vec<Instance>) -> Result<Mapped, String> {
    map_with(instances, None)
}

/// [`map`], finding where values Terraform marks sensitive land in the canonical documents
/// with `canon` (see `terraform::sensitive`); without it, a resource with any sensitive value
/// is sensitive whole.
pub fn map_with(instances: Vec<Instance>, canon: Option<Normalizer>) -> Result<Mapped, String> {
    let mut mapper = Mapper::default().with_canon(canon);
    for i in instances {
        mapper.add(i)?;
    }
    Ok(mapper.finish())
}

/// [`map`] one instance at a time, for a state read as a stream (`terraform::stream`): each
/// instance is mapped as it is read and dropped, the related ones kept until [`Mapper::finish`]
/// folds them into their owners.
#[derive(Default)]
pub struct Mapper<'a> {
    owners: BTreeMap<(Kind, String), Described>,
    related: Vec<Instance>,
    not_checked: BTreeMap<String, usize>,
    normalize: Option<Normalizer<'a>>,
    /// Normalizes the documents compared to find the canonical paths of sensitive values.
    canon: Option<Normalizer<'a>>,
    /// The places met so far, each once.
    places: std::collections::BTreeSet<std::sync::Arc<Place>>,
    /// The id of each mapped instance with an `arn`, by that ARN: what ids written through an
    /// ARN ([`id_via_arn`]) are resolved with.
    arns: std::collections::HashMap<String, String>,
    /// Instances whose id is written through another instance's ARN, with their Terraform
    /// type: given their ids once every instance is mapped.
    waiting: Vec<(String, Described)>,
}

impl<'a> Mapper<'a> {
    /// A mapper that also normalizes each document as soon as it is mapped, so the mapped
    /// form (every attribute, most of them defaults) is dropped at once instead of held for
    /// every resource of a large state. Only for a state that is all a reference holds and
    /// that has no related resources, since those change their owner's document before it
    /// is normalized: [`Mapper::add`] refuses a related resource then.
    pub fn normalizing(normalize: Normalizer<'a>) -> Self {
        Mapper {
            normalize: Some(normalize),
            ..Mapper::default()
        }
    }

    /// Finds the canonical paths of sensitive values with `canon` (see [`map_with`]).
    pub fn with_canon(self, canon: Option<Normalizer<'a>>) -> Self {
        Mapper { canon, ..self }
    }

    /// Maps one instance; `Err` names two addresses that describe the same resource, or
    /// says that a normalizing mapper met a related resource.
    pub fn add(&mut self, i: Instance) -> Result<(), String> {
        if related::is_related(&i.r#type) {
            if self.normalize.is_some() {
                return Err(format!(
                    "{}: a related resource in a state normalized as it is mapped",
                    i.address
                ));
            }
            self.related.push(i);
            return Ok(());
        }
        let Some(def) = crate::kinds::by_terraform_type(&i.r#type) else {
            *self.not_checked.entry(i.r#type).or_default() += 1;
            return Ok(());
        };
        let kind = def.kind;
        let mut unknown = schema::unknown_paths(&i.r#type, &i.attributes);
        let derived: Vec<&str> = def
            .derived
            .iter()
            .filter(|(attribute, _)| text(&i.attributes, attribute).is_some())
            .map(|(_, path)| *path)
            .collect();
        let perturbed = i
            .sensitive
            .as_ref()
            .filter(|m| !sensitive::is_whole(m))
            .map(|m| sensitive::perturb(&i.attributes, m));
        let marked = i.sensitive.is_some();
        let place = self.place(&i.attributes);
        let arn = text(&i.attributes, "arn").map(str::to_string);
        let Some((id, document)) = (def.from_terraform)(i.attributes) else {
            *self.not_checked.entry(i.r#type).or_default() += 1;
            return Ok(());
        };
        let sensitive = if marked {
            self.sensitive_paths(def, &document, perturbed)
        } else {
            Vec::new()
        };
        for path in derived {
            if document.pointer(path).is_none_or(Value::is_null) {
                // A value the mapping could not build (a role without the account of its ARN).
                unknown.push(path.into());
            }
        }
        let document = match self.normalize {
            Some(normalize) => normalize(kind, document),
            None => document,
        };
        let d = Described {
            kind,
            id: id.clone(),
            document,
            address: i.address.clone(),
            scope: Scope {
                unknown,
                sensitive,
                ..Scope::default()
            },
            place,
        };
        if id.starts_with(VIA_ARN) {
            self.waiting.push((i.r#type, d));
            return Ok(());
        }
        if let Some(arn) = arn {
            self.arns.insert(arn, id.clone());
        }
        if let Some(prev) = self.owners.insert((kind, id.clone()), d) {
            return Err(format!(
                "{} and {} both describe {kind} `{id}`",
                prev.address, i.address
            ));
        }
        Ok(())
    }

    /// Where an instance is, from its ARN; one shared value per place, as a state holds few.
    fn place(&mut self, attributes: &Value) -> Option<std::sync::Arc<Place>> {
        let place = crate::arn::place_of_attributes(attributes)?;
        if let Some(p) = self.places.get(&place) {
            return Some(p.clone());
        }
        let p = std::sync::Arc::new(place);
        self.places.insert(p.clone());
        Some(p)
    }

    /// Where the sensitive values of an instance mapped to `document` land: the paths where
    /// its canonical form differs from that of the instance `perturbed` (see
    /// `terraform::sensitive`). The whole document when that cannot be told: no normalizer,
    /// every value marked, or a perturbed instance that no longer maps.
    fn sensitive_paths(
        &self,
        def: &Def,
        document: &Value,
        perturbed: Option<Value>,
    ) -> Vec<String> {
        let whole = vec![sensitive::WHOLE.to_string()];
        let (Some(canon), Some(perturbed)) = (self.canon, perturbed) else {
            return whole;
        };
        let kind = def.kind;
        match (def.from_terraform)(perturbed) {
            Some((_, other)) => {
                sensitive::paths(&canon(kind, document.clone()), &canon(kind, other))
            }
            None => whole,
        }
    }

    /// Folds the related resources into their owners: what the state describes.
    pub fn finish(mut self) -> Mapped {
        for (r#type, mut d) in std::mem::take(&mut self.waiting) {
            match resolve_id(&d.id, &self.arns) {
                Some(id) if !self.owners.contains_key(&(d.kind, id.clone())) => {
                    d.id = id.clone();
                    self.owners.insert((d.kind, id), d);
                }
                // Its owner is in another state (or two instances say the same): not checked.
                _ => *self.not_checked.entry(r#type).or_default() += 1,
            }
        }
        for i in &self.related {
            if !related::fold(&mut self.owners, i, &self.arns) {
                // It names no owner we could identify.
                *self.not_checked.entry(i.r#type.clone()).or_default() += 1;
            }
        }
        Mapped {
            resources: self.owners.into_values().collect(),
            not_checked: self.not_checked,
            normalized: self.normalize.is_some(),
        }
    }
}

/// Whether `text` may hold a related resource: it names one of their types somewhere (the
/// check is for the quoted name, so a state without one is known to have none unless it
/// spells a type with escapes, which [`Mapper::add`] then catches).
pub fn may_hold_related(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"\"aws_").any(|at| {
        let rest = &text.as_bytes()[at + 1..];
        crate::kinds::related_type_names().any(|t| {
            rest.strip_prefix(t.as_bytes())
                .is_some_and(|after| after.first() == Some(&b'"'))
        })
    })
}

/// Marks an id written through another instance's ARN (see [`id_via_arn`]).
const VIA_ARN: char = '\u{1}';

/// An id that holds the id of another instance of the same state, known to this instance only
/// by that instance's ARN, followed by `rest`: a listener rule and a listener certificate name
/// their listener by ARN, and the listener's id (`LB-NAME/PORT`) holds its port, which the ARN
/// does not. [`Mapper::finish`] puts the id of the state's instance whose `arn` it is in place
/// of the ARN; when the state holds no such instance, the instance is not checked.
pub(crate) fn id_via_arn(arn: &str, rest: &str) -> String {
    format!("{VIA_ARN}{arn}{VIA_ARN}{rest}")
}

/// `id` with the ARN it is written through (if any) replaced by that instance's id; `None`
/// when no instance of the state has that ARN.
fn resolve_id(id: &str, arns: &std::collections::HashMap<String, String>) -> Option<String> {
    let Some(body) = id.strip_prefix(VIA_ARN) else {
        return Some(id.to_string());
    };
    let (arn, rest) = body.split_once(VIA_ARN)?;
    Some(format!("{}{rest}", arns.get(arn)?))
}

/// An attribute as JSON, with Terraform's "" for unset strings as absent.
pub(crate) fn attr(a: &Value, key: &str) -> Value {
    match a.get(key) {
        Some(Value::String(s)) if s.is_empty() => Value::Null,
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

/// The tags on the resource: `tags_all` (provider ≥ 3.38) also holds the provider's
/// `default_tags`, which AWS has like any other tag; older states have only `tags`.
pub(crate) fn tags(a: &Value) -> Value {
    match a.get("tags_all") {
        Some(Value::Object(m)) if !m.is_empty() => Value::Object(m.clone()),
        _ => attr(a, "tags"),
    }
}

pub(crate) fn text<'a>(a: &'a Value, key: &str) -> Option<&'a str> {
    a.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// A nested block: Terraform stores `block { … }` as a list of (at most) one object.
pub(crate) fn block(a: &Value, key: &str) -> Option<Value> {
    match a.get(key) {
        Some(Value::Array(items)) => items.first().cloned(),
        Some(v @ Value::Object(_)) => Some(v.clone()),
        _ => None,
    }
}

pub(crate) fn blocks(a: &Value, key: &str) -> Vec<Value> {
    a.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// `snake_case` block keys as the API's `camelCase`, recursively; "" values dropped.
pub(crate) fn camel(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| v.as_str() != Some(""))
                .map(|(k, v)| (camel_key(k), camel(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(camel).collect()),
        other => other.clone(),
    }
}

fn camel_key(k: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in k.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out.replace("InGib", "InGiB")
}

/// Parses an attribute that holds JSON text (container definitions, policies); keeps a value
/// that is not JSON as it is.
pub(crate) fn json_text(v: Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    }
}

/// `arn:…:cluster/NAME` or `NAME` → `NAME`.
pub(crate) fn last_segment(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_precision;
