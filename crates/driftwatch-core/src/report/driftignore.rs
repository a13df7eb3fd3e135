//! Renderer: ignore rules that would silence the current findings (`--format ignore`), so a
//! team can accept known drift in one reviewed commit of `.driftignore`. Each rule once per
//! resource, whatever the number of references reporting it.
//!
//! Ids and paths are the data's: every comment shows its control characters and every rule is
//! escaped as a glob matching just that id and path ([`escape::ignore_glob`]), so a label key
//! holding `\n*:*\n` can never put a rule of its own into the file. A resource whose id holds
//! a `:`, which no rule can name, gets a comment saying so instead of a rule.

use std::fmt::Write;

use super::escape::{self, control};
use super::group;
use crate::diff::{Report, Status};
use serde_json::Value;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let groups = group::drifted(report);
    let _ = writeln!(
        out,
        "# driftwatch: rules that silence the {} findings below; review before committing",
        groups.len()
    );
    for g in groups {
        let r = g.first();
        let Some(id) = escape::ignore_glob(&r.id, false) else {
            let _ = writeln!(
                out,
                "# {} {}: {}; no rule: a rule cannot name an id holding `:`",
                r.kind,
                group::id(r),
                g.status().as_str()
            );
            continue;
        };
        match g.status() {
            Status::Modified => {
                let refs = group::origins_of_drift(&g);
                let _ = writeln!(
                    out,
                    "# {} {}: modified ({})",
                    r.kind,
                    group::id(r),
                    refs.join(", ")
                );
                // Each rule once, whichever references report it and however many changes it
                // silences, with those changes said in words above it.
                let mut rules: Vec<(String, Vec<String>, bool)> = Vec::new();
                for e in &g.entries {
                    let docs = [
                        e.expected.as_ref().map(|d| &d.document),
                        e.actual.as_ref().map(|d| &d.document),
                    ];
                    for (c, words) in e.changes.iter().zip(group::words_of(e)) {
                        let (path, widened) = nameable(&c.path, docs);
                        match rules.iter_mut().find(|(p, _, _)| *p == path) {
                            Some((_, said, _)) if said.contains(&words) => {}
                            Some((_, said, _)) => said.push(words),
                            None => rules.push((path, vec![words], widened)),
                        }
                    }
                }
                for (path, said, widened) in rules {
                    for words in said {
                        let _ = writeln!(out, "#   {words}");
                    }
                    if widened {
                        let _ = writeln!(
                            out,
                            "#   (an item of a list has no name a rule can hold: this rule silences the whole list {})",
                            control(&path)
                        );
                    }
                    let glob = escape::ignore_glob(&path, true).unwrap_or_default();
                    let _ = writeln!(out, "{}:{id}:{glob}", r.kind);
                }
            }
            Status::Missing | Status::Unmanaged => {
                let _ = writeln!(
                    out,
                    "# {} {}: {}",
                    r.kind,
                    control(&r.id),
                    g.status().as_str()
                );
                let _ = writeln!(out, "{}:{id}", r.kind);
            }
            Status::InSync => {}
        }
    }
    out
}

/// The path an ignore rule can name for a change at `path`. Ignore rules remove members of
/// objects only: an item of a list has no name, and its index would name another item once the
/// list changes (the rule would silence nothing today and the wrong item tomorrow). So a change
/// inside a list (a statement's actions, a policy's statements) is named by the list itself, and
/// the second value says the rule was widened to it. Walks both documents, as the path may
/// exist in only one of them.
fn nameable(path: &str, docs: [Option<&Value>; 2]) -> (String, bool) {
    let mut at = docs;
    let mut end = 0;
    for segment in path.split('/').skip(1) {
        if at.iter().flatten().any(|v| v.is_array()) {
            return (path[..end].to_string(), true);
        }
        let key = crate::diff::unescape(segment);
        at = at.map(|v| v.and_then(|v| v.get(key.as_ref())));
        end += 1 + segment.len();
    }
    (path.to_string(), false)
}

#[cfg(test)]
mod tests {
    use super::nameable;
    use serde_json::json;

    #[test]
    fn a_change_inside_a_list_is_named_by_the_list_and_others_as_they_are() {
        let golden = json!({"RolePolicyList": {"p/1": {"Statement": [{"Action": ["a", "b"]}]}},
                            "Tags": {"0": "x"}});
        let live = json!({"RolePolicyList": {"p/1": {"Statement": [{"Action": ["a"]}]}}});
        let docs = [Some(&golden), Some(&live)];
        assert_eq!(
            nameable("/RolePolicyList/p~11/Statement/0/Action/1", docs),
            ("/RolePolicyList/p~11/Statement".to_string(), true)
        );
        // A key made of digits is a key, not an index.
        assert_eq!(nameable("/Tags/0", docs), ("/Tags/0".to_string(), false));
        // Only in one document (added): still named as it is.
        assert_eq!(
            nameable("/New/x", [Some(&golden), Some(&json!({"New": {"x": 1}}))]),
            ("/New/x".to_string(), false)
        );
        // No document at hand: the path as it is.
        assert_eq!(nameable("/a/0", [None, None]), ("/a/0".to_string(), false));
    }
}
