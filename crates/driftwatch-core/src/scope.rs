//! Stage: diff (a helper of it). How much of a resource a reference can speak for: the parts a
//! partial reference claims (rules of a group managed elsewhere, an inline policy of such a role,
//! a queue's policy), and the paths it cannot know (an attribute an older provider schema did
//! not have). [`view`] turns two canonical documents into exactly what is to be compared. Pure.

use serde_json::{Map, Value};

/// One part of a resource a reference claims, as a JSON Pointer into the canonical document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The value at the path, compared as a whole (a queue's `Policy`).
    Whole(String),
    /// Only the members the reference holds: items of a set that are equal to one of its items
    /// (attached policy ARNs), or members of an object under its keys (inline policies by name,
    /// security group rules by their name `tcp 443 10.0.0.0/8`, so a claimed rule that was
    /// re-described compares its description). The others are not judged by this reference.
    Members(String),
}

impl Part {
    pub fn path(&self) -> &str {
        match self {
            Part::Whole(p) | Part::Members(p) => p,
        }
    }
}

/// What a reference speaks for in one resource. The default is all of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// The reference manages only `parts` (and the resource's identity); nothing else is
    /// compared.
    pub partial: bool,
    /// Parts compared member by member (and, when `partial`, the only parts compared).
    pub parts: Vec<Part>,
    /// Paths the reference cannot know: not compared at all.
    pub unknown: Vec<String>,
    /// Paths whose values the reference marks sensitive (Terraform's `sensitive_attributes`):
    /// the reference holds them as digests already, and the other side's values there are
    /// digested too before comparing ([`hide`]), so they compare by digest and are never shown.
    pub sensitive: Vec<String>,
}

impl Scope {
    /// The scope of a reference that manages only `parts` of a resource.
    pub fn partial(parts: Vec<Part>) -> Scope {
        let mut s = Scope {
            partial: true,
            ..Scope::default()
        };
        for p in parts {
            s.claim(p);
        }
        s
    }

    /// Records that the reference states `part`. A partial scope gains the part; a whole
    /// scope that could not know the path (an owner from an older schema) now knows the claimed
    /// members of it, and nothing else there.
    pub fn claim(&mut self, part: Part) {
        if self.partial {
            if !self.parts.contains(&part) {
                self.parts.push(part);
                self.parts.sort();
            }
            return;
        }
        let path = part.path().to_string();
        if let Some(i) = self.unknown.iter().position(|u| *u == path) {
            self.unknown.remove(i);
            if matches!(part, Part::Members(_)) && !self.parts.contains(&part) {
                self.parts.push(part);
                self.parts.sort();
            }
        }
    }

    /// Both scopes' parts and unknown paths in one (a resource described by several states).
    pub fn merge(&mut self, other: Scope) {
        if self.partial && !other.partial {
            let mine = std::mem::replace(self, other);
            return self.merge(mine);
        }
        for p in other.sensitive {
            if !self.sensitive.contains(&p) {
                self.sensitive.push(p);
            }
        }
        for p in other.parts {
            self.claim(p);
        }
        if !self.partial && !other.partial {
            // Known if either reference knows it.
            self.unknown.retain(|u| other.unknown.contains(u));
        }
    }
}

/// How much of the value at a path a reference states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// All of it: what is not there is not there.
    All,
    /// Only the members it claims: others may exist.
    Some,
    /// Nothing (a partial reference that does not claim it, a path it cannot know, a value it
    /// holds as a digest).
    Nothing,
}

impl Scope {
    /// How much of the value at `path` (a JSON Pointer to a top-level field) the reference
    /// states, for the cross-resource checks: a partial reference speaks only for its claims.
    pub fn knows(&self, path: &str) -> Known {
        let covers = |p: &String| p.is_empty() || p == path || path.starts_with(&format!("{p}/"));
        if self.unknown.iter().any(covers) || self.sensitive.iter().any(covers) {
            return Known::Nothing;
        }
        match (self.parts.iter().find(|p| p.path() == path), self.partial) {
            (Some(Part::Whole(_)), _) | (None, false) => Known::All,
            (Some(Part::Members(_)), _) => Known::Some,
            (None, true) => Known::Nothing,
        }
    }
}

/// The two documents as they are to be compared: paths either side cannot know removed from
/// both, and each side restricted to what the other's scope claims.
pub fn view(mut exp: Value, e: &Scope, mut act: Value, a: &Scope) -> (Value, Value) {
    hide(&mut act, &e.sensitive, &a.sensitive);
    hide(&mut exp, &a.sensitive, &e.sensitive);
    for path in e.unknown.iter().chain(&a.unknown) {
        remove(&mut exp, path);
        remove(&mut act, path);
    }
    let act = restrict(act, &exp, e);
    let exp = restrict(exp, &act, a);
    (exp, act)
}

/// `other` restricted to what `claimer` (under `scope`) speaks for.
fn restrict(other: Value, claimer: &Value, scope: &Scope) -> Value {
    if !scope.partial && scope.parts.is_empty() {
        return other;
    }
    let mut out = if scope.partial {
        // The claimer's own top-level members are its identity and its claimed parts.
        let mut m = Map::new();
        let keys = claimer.as_object().into_iter().flat_map(|c| c.keys());
        for k in keys {
            if let Some(v) = other.get(k) {
                m.insert(k.clone(), v.clone());
            }
        }
        Value::Object(m)
    } else {
        other.clone()
    };
    for part in &scope.parts {
        let theirs = other.pointer(part.path());
        let mine = claimer.pointer(part.path());
        let value = match part {
            Part::Whole(_) => theirs.cloned().filter(|v| !crate::normalize::is_empty(v)),
            // An empty set is kept when the claimer holds members, so a claimed member that
            // is gone is reported as that member (`/IpPermissions/tcp 22 0.0.0.0~10`), not as
            // the whole field.
            Part::Members(_) => match (theirs, mine) {
                (Some(t), Some(m)) => Some(members(t, Some(m))),
                (None, Some(m)) => Some(members(m, None)),
                (_, None) => None,
            },
        };
        remove(&mut out, part.path());
        if let Some(v) = value {
            set(&mut out, part.path(), v);
        }
    }
    out
}

/// The members of `theirs` that `mine` holds: equal set items, or members under the same keys.
fn members(theirs: &Value, mine: Option<&Value>) -> Value {
    match (theirs, mine) {
        (Value::Array(t), Some(Value::Array(m))) => {
            Value::Array(t.iter().filter(|x| m.contains(x)).cloned().collect())
        }
        (Value::Object(t), Some(Value::Object(m))) => Value::Object(
            t.iter()
                .filter(|(k, _)| m.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        (Value::Array(_), _) => Value::Array(Vec::new()),
        (Value::Object(_), _) => Value::Object(Map::new()),
        (other, _) => other.clone(),
    }
}

/// RFC 6901 segments of a pointer.
fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|s| crate::diff::unescape(s).into_owned())
        .collect()
}

/// Removes the member at `path`, and parents it leaves empty (so "absent" and "emptied" agree).
fn remove(doc: &mut Value, path: &str) {
    fn go(v: &mut Value, segs: &[String]) {
        let Value::Object(m) = v else { return };
        match segs {
            [] => {}
            [last] => {
                m.remove(last);
            }
            [first, rest @ ..] => {
                if let Some(child) = m.get_mut(first) {
                    go(child, rest);
                    if crate::normalize::is_empty(child) {
                        m.remove(first);
                    }
                }
            }
        }
    }
    go(doc, &segments(path));
}

/// Sets the member at `path`, creating objects on the way.
fn set(doc: &mut Value, path: &str, value: Value) {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else {
        return;
    };
    let mut v = doc;
    for s in parents {
        let Value::Object(m) = v else { return };
        v = m
            .entry(s.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(m) = v {
        m.insert(last.clone(), value);
    }
}

mod hide;
pub use hide::hide;

#[cfg(test)]
mod tests;
