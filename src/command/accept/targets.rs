//! Which target each `accept` selector is for, with `[[targets]]`: the one it names, else the
//! only one, else the one whose golden folder holds what it names. A selector that could mean
//! several targets, or none, is an error asking to name the target: accepting into the wrong
//! folder, or from the wrong account, must never be a guess.

use crate::error::{Error, Result};
use crate::ignore::IdGlob;
use crate::model::Kind;
use crate::settings::{AcceptTarget, Selector};

/// A target and the selectors (kind, id glob) that go to it.
pub(super) type Chosen<'a> = (&'a AcceptTarget, Vec<(Kind, IdGlob)>);

/// Each target that has something to accept, with its selectors, in the order of `targets`.
/// `holds` says whether a target's golden folder has a file the kind and glob name.
pub(super) fn choose<'a>(
    targets: &'a [AcceptTarget],
    selectors: &[Selector],
    holds: impl Fn(&AcceptTarget, Kind, &IdGlob) -> Result<bool>,
) -> Result<Vec<Chosen<'a>>> {
    let mut chosen: Vec<Vec<(Kind, IdGlob)>> = vec![Vec::new(); targets.len()];
    let mut problems = Vec::new();
    for s in selectors {
        let index = match (&s.target, targets) {
            (Some(name), _) => targets.iter().position(|t| t.name.as_ref() == Some(name)),
            (None, [_]) => Some(0),
            (None, _) => {
                let mut found = Vec::new();
                for (i, t) in targets.iter().enumerate() {
                    if holds(t, s.kind, &s.id)? {
                        found.push(i);
                    }
                }
                match found.as_slice() {
                    [one] => Some(*one),
                    _ => {
                        problems.push(unclear(s, targets, &found));
                        None
                    }
                }
            }
        };
        if let Some(i) = index {
            chosen[i].push((s.kind, s.id.clone()));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "{}; nothing was written",
            problems.join("\n")
        )));
    }
    let chosen: Vec<_> = targets
        .iter()
        .zip(chosen)
        .filter(|(_, s)| !s.is_empty())
        .collect();
    for (i, (a, _)) in chosen.iter().enumerate() {
        if let Some((b, _)) = chosen[i + 1..].iter().find(|(b, _)| b.golden == a.golden) {
            return Err(Error::Usage(format!(
                "targets {} and {} share the golden folder {}: accept into one of them at a \
                 time; nothing was written",
                label(a),
                label(b),
                a.golden.display()
            )));
        }
    }
    Ok(chosen)
}

/// Why a selector that names no target cannot be placed: several folders hold what it names,
/// or none does (a resource new to every folder).
fn unclear(s: &Selector, targets: &[AcceptTarget], found: &[usize]) -> String {
    let example = |t: &AcceptTarget| format!("`{}:{s}`", label(t));
    let listed = |of: &mut dyn Iterator<Item = &AcceptTarget>| {
        of.map(|t| format!("{} ({})", label(t), t.golden.display()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if found.is_empty() {
        format!(
            "`{s}` names nothing in the golden folders of the targets {}: to take in a resource \
             new to a folder, name its target, e.g. {}",
            listed(&mut targets.iter()),
            example(&targets[0])
        )
    } else {
        format!(
            "`{s}` names resources in the golden folders of several targets: {}; name the one to \
             accept into, e.g. {}",
            listed(&mut found.iter().map(|&i| &targets[i])),
            example(&targets[found[0]])
        )
    }
}

fn label(t: &AcceptTarget) -> &str {
    t.name.as_deref().unwrap_or("(default)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn target(name: &str, golden: &str) -> AcceptTarget {
        AcceptTarget {
            name: Some(name.into()),
            golden: PathBuf::from(golden),
            aws: Default::default(),
        }
    }

    fn sel(target: Option<&str>, id: &str) -> Selector {
        Selector {
            target: target.map(str::to_string),
            kind: Kind::SqsQueue,
            id: IdGlob::parse(id).unwrap(),
        }
    }

    /// `golden-us` holds `jobs` and `us-only`, `golden-eu` holds `jobs`.
    fn holds(t: &AcceptTarget, _: Kind, glob: &IdGlob) -> Result<bool> {
        let ids: &[&str] = match t.golden.to_str() {
            Some("golden-us") => &["jobs", "us-only"],
            _ => &["jobs"],
        };
        Ok(ids.iter().any(|id| glob.matches(id)))
    }

    fn names(chosen: &[Chosen]) -> Vec<(String, usize)> {
        chosen
            .iter()
            .map(|(t, s)| (t.name.clone().unwrap(), s.len()))
            .collect()
    }

    #[test]
    fn the_named_target_else_the_one_folder_that_holds_it() {
        let targets = [target("us", "golden-us"), target("eu", "golden-eu")];
        let picked = choose(
            &targets,
            &[sel(Some("eu"), "jobs"), sel(None, "us-*")],
            holds,
        )
        .unwrap();
        assert_eq!(names(&picked), [("us".into(), 1), ("eu".into(), 1)]);
    }

    #[test]
    fn several_folders_or_none_is_an_error_naming_the_targets() {
        let targets = [target("us", "golden-us"), target("eu", "golden-eu")];
        let e = choose(&targets, &[sel(None, "jobs")], holds)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("several targets: us (golden-us), eu (golden-eu)")
                && e.contains("`us:aws_sqs_queue:jobs`")
                && e.contains("nothing was written"),
            "{e}"
        );
        let e = choose(&targets, &[sel(None, "new-*")], holds)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`aws_sqs_queue:new-*` names nothing") && e.contains("name its target"),
            "{e}"
        );
    }

    #[test]
    fn one_target_takes_every_selector_and_a_shared_folder_is_refused() {
        let one = [target("us", "golden-us")];
        let picked = choose(&one, &[sel(None, "new-*")], holds).unwrap();
        assert_eq!(names(&picked), [("us".into(), 1)]);
        let shared = [target("us", "golden"), target("eu", "golden")];
        let e = choose(
            &shared,
            &[sel(Some("us"), "jobs"), sel(Some("eu"), "jobs")],
            holds,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("share the golden folder golden"), "{e}");
    }
}
