//! Ignore rules: differences a team has decided to accept. Pure: parses rule text and removes
//! ignored parts of documents before they are compared, so an ignored path is neither reported
//! nor counted, and an ignored resource is skipped everywhere.
//!
//! Syntax (`.driftignore`, `--ignore`): one rule a line, `kind:id-glob[:pointer-glob]`; `#`
//! starts a comment; `!` re-includes what an earlier rule ignored (the last matching rule wins).
//! In the id glob `*` matches any id, `/` included (service ids are `cluster/service`); in the
//! pointer glob `*` matches within one segment (not `/`) and `**` across segments. A path is
//! a JSON Pointer, where a `/` inside a key is written `~1` (a security group rule
//! `tcp 443 0.0.0.0/0` is at `/IpPermissions/tcp 443 0.0.0.0~10`); a glob matches the path
//! so written or with its keys decoded, so the rule may spell such a key either way.
//!
//! A cross-resource check finding is ignored by `check:CHECK-GLOB:kind:id-glob`
//! (`check:pass-role:aws_iam_role:ci-*`), or by a rule ignoring its resource as a whole.

mod kept;

pub use kept::IdGlob;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use glob::{MatchOptions, Pattern};
use serde_json::Value;

use crate::model::Kind;

#[derive(Debug, Clone)]
struct Rule {
    /// The rule as written, and where (`.driftignore:3`, `--ignore`), to name it.
    text: String,
    source: String,
    /// Set the first time the rule matches anything in the run (clones share it): a rule
    /// that never did is named at `-v` ([`Rules::unused`]), since a typo in it is otherwise
    /// invisible. Memory only, so matching stays pure.
    used: Arc<AtomicBool>,
    negated: bool,
    /// Set for `check:ID:kind:id-glob`: the rule is about check findings, not drift.
    check: Option<Pattern>,
    kind: Pattern,
    id: Pattern,
    pointer: Option<Pattern>,
}

/// An ordered list of rules.
#[derive(Debug, Clone, Default)]
pub struct Rules(Vec<Rule>);

/// Pointer globs: `*` stays within one segment, `**` crosses `/`.
const OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// Id globs: `*` crosses `/`, so `aws_ecs_service:*:/desiredCount` reaches every service
/// (`cluster/service`), and `prod/*` still names the services of cluster `prod`.
const ID_OPTIONS: MatchOptions = MatchOptions {
    require_literal_separator: false,
    ..OPTIONS
};

impl Rules {
    /// Parses rule text; `Err((line number, message))` for the first bad line.
    pub fn parse(text: &str) -> Result<Rules, (usize, String)> {
        Rules::parse_from(text, None)
    }

    /// [`Rules::parse`] of the text of `file` (its name, for [`Rules::unused`]), or of an
    /// `--ignore` flag (`None`).
    pub fn parse_from(text: &str, file: Option<&str>) -> Result<Rules, (usize, String)> {
        let mut rules = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut rule = Rule::parse(line).map_err(|m| (n + 1, m))?;
            rule.source = match file {
                Some(f) => format!("{f}:{}", n + 1),
                None => "--ignore".into(),
            };
            rules.push(rule);
        }
        Ok(Rules(rules))
    }

    /// Each rule as the globs it holds (`!kind:id:pointer`, `check:c:kind:id`): what a test
    /// compares a generated `.driftignore` with, to prove it parses to exactly the rules meant.
    pub fn patterns(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|r| {
                let mut parts: Vec<&str> = r.check.iter().map(Pattern::as_str).collect();
                if r.check.is_some() {
                    parts.insert(0, "check");
                }
                parts.extend([r.kind.as_str(), r.id.as_str()]);
                parts.extend(r.pointer.as_ref().map(Pattern::as_str));
                format!("{}{}", if r.negated { "!" } else { "" }, parts.join(":"))
            })
            .collect()
    }

    /// The rules that have matched nothing so far in this run, as `(rule, where)`.
    pub fn unused(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|r| !r.used.load(Ordering::Relaxed))
            .map(|r| (r.text.clone(), r.source.clone()))
            .collect()
    }

    pub fn extend(&mut self, other: Rules) {
        self.0.extend(other.0);
    }

    /// Whether the resource as a whole is ignored (by a rule without a pointer).
    pub fn ignores_resource(&self, kind: Kind, id: &str) -> bool {
        self.decide(kind, id, None)
    }

    /// Whether a finding of `check` on the resource is ignored: by a `check:` rule, or by a
    /// rule ignoring the resource as a whole. The last matching rule decides.
    pub fn ignores_check(&self, check: &str, kind: Kind, id: &str) -> bool {
        let mut ignored = false;
        for r in &self.0 {
            let applies = match &r.check {
                Some(c) => c.matches_with(check, OPTIONS),
                None => r.pointer.is_none(),
            };
            if applies && r.matches(kind, id, None, None) {
                r.mark_used();
                ignored = !r.negated;
            }
        }
        ignored
    }

    /// The document without the parts the rules ignore.
    pub fn strip(&self, kind: Kind, id: &str, mut doc: Value) -> Value {
        if self.0.iter().any(|r| r.pointer.is_some()) {
            self.strip_at(kind, id, &mut String::new(), &mut doc);
        }
        doc
    }

    fn strip_at(&self, kind: Kind, id: &str, path: &mut String, v: &mut Value) {
        match v {
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().cloned().collect();
                for k in keys {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    if self.decide(kind, id, Some(path)) {
                        m.remove(&k);
                    } else if let Some(child) = m.get_mut(&k) {
                        self.strip_at(kind, id, path, child);
                    }
                    path.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    self.strip_at(kind, id, path, child);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// The last rule that matches decides; none matching means not ignored.
    fn decide(&self, kind: Kind, id: &str, pointer: Option<&str>) -> bool {
        // The path with its keys decoded, once for every rule (see `Rule::matches`).
        let decoded = pointer.map(crate::diff::unescape);
        let decoded = decoded.as_deref().filter(|d| Some(*d) != pointer);
        let mut ignored = false;
        for r in self.0.iter().filter(|r| r.check.is_none()) {
            if r.matches(kind, id, pointer, decoded) {
                r.mark_used();
                ignored = !r.negated;
            }
        }
        ignored
    }
}

impl Rule {
    /// Records a match; the flag is read before it is written, so the threads comparing
    /// resources do not contend for it once it is set.
    fn mark_used(&self) {
        if !self.used.load(Ordering::Relaxed) {
            self.used.store(true, Ordering::Relaxed);
        }
    }

    fn parse(line: &str) -> Result<Rule, String> {
        let (negated, body) = match line.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        if let Some(rest) = body.strip_prefix("check:") {
            return Rule::parse_check(line, negated, rest);
        }
        let mut parts = body.splitn(3, ':');
        let (Some(kind), Some(id)) = (parts.next(), parts.next()) else {
            return Err(format!(
                "`{line}`: expected KIND:ID-GLOB[:POINTER-GLOB], e.g. \
                 aws_ecs_task_definition:*:/containerDefinitions/*/image"
            ));
        };
        let pattern = |p: &str, what: &str| {
            Pattern::new(p).map_err(|e| format!("`{line}`: bad {what} glob `{p}`: {e}"))
        };
        if !kind.contains(['*', '?', '[']) {
            kind.parse::<Kind>().map_err(|e| format!("`{line}`: {e}"))?;
        }
        let pointer = match parts.next() {
            Some(p) if !p.starts_with('/') => {
                return Err(format!("`{line}`: the pointer `{p}` must start with `/`"))
            }
            Some(p) => Some(pattern(p, "pointer")?),
            None => None,
        };
        Ok(Rule {
            text: line.to_string(),
            source: String::new(),
            used: Arc::default(),
            negated,
            check: None,
            kind: pattern(kind, "kind")?,
            id: pattern(id, "id")?,
            pointer,
        })
    }

    /// `check:CHECK-GLOB:KIND:ID-GLOB` (after `check:`), for cross-resource check findings.
    fn parse_check(line: &str, negated: bool, rest: &str) -> Result<Rule, String> {
        let parts: Vec<&str> = rest.splitn(3, ':').collect();
        let [check, kind, id] = parts.as_slice() else {
            return Err(format!(
                "`{line}`: expected check:CHECK:KIND:ID-GLOB, e.g. check:pass-role:aws_iam_role:ci-*"
            ));
        };
        if !check.contains(['*', '?', '[']) {
            check
                .parse::<crate::checks::CheckId>()
                .map_err(|e| format!("`{line}`: {e}"))?;
        }
        if !kind.contains(['*', '?', '[']) {
            kind.parse::<Kind>().map_err(|e| format!("`{line}`: {e}"))?;
        }
        let pattern =
            |p: &str| Pattern::new(p).map_err(|e| format!("`{line}`: bad glob `{p}`: {e}"));
        Ok(Rule {
            text: line.to_string(),
            source: String::new(),
            used: Arc::default(),
            negated,
            check: Some(pattern(check)?),
            kind: pattern(kind)?,
            id: pattern(id)?,
            pointer: None,
        })
    }

    /// A rule without a pointer matches the resource and every path in it; with one, the path
    /// (pointer globs match whole paths; a matched path takes its subtree with it), as written
    /// or, when it has escapes, `decoded` (RFC 6901's undone: the keys as a person reads them,
    /// for a glob written with a key's own `/`, `…/tcp 443 0.0.0.0/0`).
    fn matches(&self, kind: Kind, id: &str, pointer: Option<&str>, decoded: Option<&str>) -> bool {
        if !self.kind.matches_with(kind.as_str(), OPTIONS) || !self.id.matches_with(id, ID_OPTIONS)
        {
            return false;
        }
        match (&self.pointer, pointer) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(p), Some(path)) => {
                p.matches_with(path, OPTIONS) || decoded.is_some_and(|d| p.matches_with(d, OPTIONS))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rules;
    use crate::model::Kind;
    use serde_json::{json, Value};

    const TD: Kind = Kind::EcsTaskDefinition;

    fn doc() -> serde_json::Value {
        json!({"containerDefinitions": {"web": {"image": "a:1", "cpu": 1}, "log": {"image": "b:1"}},
               "tags": {"deployed-at": "x", "team": "y"}})
    }

    #[test]
    fn pointer_globs_remove_matching_paths_in_every_resource_they_name() {
        let r = Rules::parse("# images change every deploy\naws_ecs_task_definition:*:/containerDefinitions/*/image\n").unwrap();
        assert_eq!(
            r.strip(TD, "api", doc()),
            json!({"containerDefinitions": {"web": {"cpu": 1}, "log": {}},
                   "tags": {"deployed-at": "x", "team": "y"}})
        );
        assert!(!r.ignores_resource(TD, "api"));
    }

    #[test]
    fn negation_re_includes_and_the_last_match_wins() {
        let r = Rules::parse(
            "aws_ecs_task_definition:*:/containerDefinitions/*/image\n\
             !aws_ecs_task_definition:api:/containerDefinitions/web/image\n",
        )
        .unwrap();
        let s = r.strip(TD, "api", doc());
        assert_eq!(s["containerDefinitions"]["web"]["image"], "a:1");
        assert!(s["containerDefinitions"]["log"].get("image").is_none());
        assert!(r.strip(TD, "other", doc())["containerDefinitions"]["web"]
            .get("image")
            .is_none());
    }

    #[test]
    fn resource_rules_and_id_globs() {
        let r = Rules::parse("aws_sqs_queue:tmp-*\n!aws_sqs_queue:tmp-keep\n*:*:/tags/deployed-at")
            .unwrap();
        assert!(r.ignores_resource(Kind::SqsQueue, "tmp-debug"));
        assert!(!r.ignores_resource(Kind::SqsQueue, "tmp-keep"));
        assert!(!r.ignores_resource(Kind::SqsQueue, "jobs"));
        assert_eq!(r.strip(TD, "x", doc())["tags"], json!({"team": "y"}));
    }

    #[test]
    fn single_star_stays_in_one_segment_double_star_crosses() {
        let one = Rules::parse("aws_ecs_task_definition:*:/containerDefinitions/*").unwrap();
        assert_eq!(one.strip(TD, "x", doc())["containerDefinitions"], json!({}));
        let deep = Rules::parse("aws_ecs_task_definition:*:/**/image").unwrap();
        let s = deep.strip(TD, "x", doc());
        assert_eq!(s["containerDefinitions"]["web"], json!({"cpu": 1}));
        let shallow = Rules::parse("aws_ecs_task_definition:*:/*/image").unwrap();
        assert_eq!(shallow.strip(TD, "x", doc()), doc());
    }

    #[test]
    fn id_star_crosses_the_slash_of_service_ids() {
        const SVC: Kind = Kind::EcsService;
        let svc = json!({"desiredCount": 3, "launchType": "FARGATE"});
        let every = Rules::parse("aws_ecs_service:*:/desiredCount").unwrap();
        assert_eq!(
            every.strip(SVC, "prod/api", svc),
            json!({"launchType": "FARGATE"})
        );
        let prod = Rules::parse("aws_ecs_service:prod/*").unwrap();
        assert!(prod.ignores_resource(SVC, "prod/api"));
        assert!(!prod.ignores_resource(SVC, "staging/api"));
        assert!(!prod.ignores_resource(SVC, "production/api"));
        let api = Rules::parse("aws_ecs_service:*/api").unwrap();
        assert!(api.ignores_resource(SVC, "staging/api"));
        assert!(!api.ignores_resource(SVC, "staging/worker"));
    }

    #[test]
    fn check_rules_ignore_findings_not_drift() {
        let r = Rules::parse("check:pass-role:aws_iam_role:ci-*\naws_sqs_queue:tmp-*\n").unwrap();
        assert!(r.ignores_check("pass-role", Kind::IamRole, "ci-deploy"));
        assert!(!r.ignores_check("pass-role", Kind::IamRole, "deploy"));
        assert!(!r.ignores_check("task-role", Kind::IamRole, "ci-deploy"));
        assert!(!r.ignores_resource(Kind::IamRole, "ci-deploy"));
        // A resource ignored as a whole is ignored by the checks too.
        assert!(r.ignores_check("redrive", Kind::SqsQueue, "tmp-1"));
        let every = Rules::parse("check:*:*:*\n!check:redrive:aws_sqs_queue:jobs").unwrap();
        assert!(every.ignores_check("group-reference", Kind::SecurityGroup, "sg-1"));
        assert!(!every.ignores_check("redrive", Kind::SqsQueue, "jobs"));
        assert!(Rules::parse("check:nope:aws_iam_role:*")
            .unwrap_err()
            .1
            .contains("unknown check `nope`"));
        assert!(Rules::parse("check:pass-role:aws_iam_role").is_err());
    }

    #[test]
    fn a_key_holding_a_slash_may_be_written_as_is_or_escaped() {
        const SG: Kind = Kind::SecurityGroup;
        let rule = |r: Value| json!({"CidrIpv4": r, "FromPort": 443});
        let sg = || {
            json!({"IpPermissions": {"tcp 443 0.0.0.0/0": rule(json!("0.0.0.0/0")),
                                     "tcp 443 10.0.0.0/8": rule(json!("10.0.0.0/8"))},
                   "Tags": {"a~b": "1"}})
        };
        let only_ten = json!({"tcp 443 10.0.0.0/8": rule(json!("10.0.0.0/8"))});
        for text in [
            "aws_security_group:*:/IpPermissions/tcp 443 0.0.0.0/0",
            "aws_security_group:*:/IpPermissions/tcp 443 0.0.0.0~10",
            "aws_security_group:*:/IpPermissions/* 0.0.0.0/0",
            "aws_security_group:*:/IpPermissions/tcp 443 0.0.0.0/*",
        ] {
            let r = Rules::parse(text).unwrap();
            assert_eq!(
                r.strip(SG, "sg-1", sg())["IpPermissions"],
                only_ten,
                "{text}"
            );
        }
        // `*` still stays within one key, and a pointer into a rule reaches only that rule.
        let every = Rules::parse("aws_security_group:*:/IpPermissions/*/FromPort").unwrap();
        let s = every.strip(SG, "sg-1", sg());
        assert!(s["IpPermissions"]["tcp 443 0.0.0.0/0"]
            .get("FromPort")
            .is_none());
        assert!(s["IpPermissions"]["tcp 443 10.0.0.0/8"]
            .get("FromPort")
            .is_none());
        let one =
            Rules::parse("aws_security_group:*:/IpPermissions/tcp 443 0.0.0.0/0/FromPort").unwrap();
        let s = one.strip(SG, "sg-1", sg());
        assert!(s["IpPermissions"]["tcp 443 0.0.0.0/0"]
            .get("FromPort")
            .is_none());
        assert_eq!(s["IpPermissions"]["tcp 443 10.0.0.0/8"]["FromPort"], 443);
        let tilde = Rules::parse("aws_security_group:*:/Tags/a~b").unwrap();
        assert_eq!(tilde.strip(SG, "sg-1", sg())["Tags"], json!({}));
    }

    #[test]
    fn bad_rules_name_their_line() {
        assert_eq!(Rules::parse("# ok\naws_nope:*\n").unwrap_err().0, 2);
        assert!(Rules::parse("aws_sqs_queue")
            .unwrap_err()
            .1
            .contains("expected KIND:ID-GLOB"));
        assert!(Rules::parse("aws_sqs_queue:*:tags")
            .unwrap_err()
            .1
            .contains("must start with `/`"));
    }
}
