//! Ignore rules when a golden file is rewritten (`accept`): an ignored path is a difference the
//! team decided not to track, so the file keeps what it said there, whatever the account says.
//! Also the id globs that name resources on the command line (`KIND:ID-GLOB`, `--id`), which
//! match ids as the rules' id part does. Pure.

use glob::Pattern;
use serde_json::{Map, Value};

use super::{Rules, ID_OPTIONS};
use crate::model::Kind;

/// An id glob: `*` matches any id, `/` included (`prod/*` names the services of cluster `prod`).
#[derive(Debug, Clone)]
pub struct IdGlob(Pattern);

impl IdGlob {
    pub fn parse(text: &str) -> Result<IdGlob, String> {
        if text.is_empty() {
            return Err("an empty id glob names nothing; `*` names every id".to_string());
        }
        Pattern::new(text)
            .map(IdGlob)
            .map_err(|e| format!("bad id glob `{text}`: {e}"))
    }

    pub fn matches(&self, id: &str) -> bool {
        self.0.matches_with(id, ID_OPTIONS)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Rules {
    /// The document to write for `kind` `id`: `live` where the rules do not ignore a path, and
    /// what `golden` holds where they do (absent when the golden document has nothing there).
    pub fn keep_ignored(&self, kind: Kind, id: &str, golden: Option<&Value>, live: Value) -> Value {
        if !self.0.iter().any(|r| r.pointer.is_some()) {
            return live;
        }
        let mut path = String::new();
        self.merge_at(kind, id, &mut path, golden, Some(live))
            .unwrap_or(Value::Object(Map::new()))
    }

    fn merge_at(
        &self,
        kind: Kind,
        id: &str,
        path: &mut String,
        golden: Option<&Value>,
        live: Option<Value>,
    ) -> Option<Value> {
        if !path.is_empty() && self.decide(kind, id, Some(path)) {
            return golden.cloned();
        }
        match live? {
            Value::Object(live) => {
                let empty = Map::new();
                let g = golden.and_then(Value::as_object).unwrap_or(&empty);
                let mut keys: Vec<String> = live.keys().chain(g.keys()).cloned().collect();
                keys.sort();
                keys.dedup();
                let mut live = live;
                let mut out = Map::new();
                for k in keys {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    if let Some(v) = self.merge_at(kind, id, path, g.get(&k), live.remove(&k)) {
                        out.insert(k, v);
                    }
                    path.truncate(len);
                }
                Some(Value::Object(out))
            }
            Value::Array(items) => {
                // Items are matched by position only when both lists have the same length;
                // otherwise the live items stand, with their ignored parts left out.
                let g = golden
                    .and_then(Value::as_array)
                    .filter(|g| g.len() == items.len());
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    let golden = g.and_then(|g| g.get(i));
                    out.extend(self.merge_at(kind, id, path, golden, Some(item)));
                    path.truncate(len);
                }
                Some(Value::Array(out))
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TD: Kind = Kind::EcsTaskDefinition;

    #[test]
    fn ignored_paths_keep_the_golden_value_and_the_rest_is_live() {
        let rules = Rules::parse(
            "aws_ecs_task_definition:*:/containerDefinitions/*/image\n\
             aws_ecs_task_definition:*:/tags/deployed-at\n",
        )
        .unwrap();
        let golden = json!({"containerDefinitions": {"web": {"image": "web:1", "cpu": 256}},
                            "tags": {"deployed-at": "monday", "team": "a"}});
        let live = json!({"containerDefinitions": {"web": {"image": "web:2", "cpu": 512},
                                                   "log": {"image": "log:9"}},
                          "tags": {"team": "b"}});
        assert_eq!(
            rules.keep_ignored(TD, "api", Some(&golden), live),
            json!({"containerDefinitions": {"web": {"image": "web:1", "cpu": 512}, "log": {}},
                   "tags": {"deployed-at": "monday", "team": "b"}})
        );
    }

    #[test]
    fn without_pointer_rules_the_live_document_is_written_as_it_is() {
        let rules = Rules::parse("aws_sqs_queue:tmp-*\n").unwrap();
        let live = json!({"cpu": 1});
        assert_eq!(rules.keep_ignored(TD, "api", None, live.clone()), live);
    }

    #[test]
    fn a_rule_for_another_resource_changes_nothing_and_new_files_lose_ignored_parts() {
        let rules = Rules::parse("aws_ecs_task_definition:worker:/cpu\n").unwrap();
        let live = json!({"cpu": 1, "memory": 2});
        assert_eq!(rules.keep_ignored(TD, "api", None, live.clone()), live);
        assert_eq!(
            rules.keep_ignored(TD, "worker", None, live),
            json!({"memory": 2})
        );
    }

    #[test]
    fn list_items_merge_by_position_when_the_lengths_agree() {
        let rules = Rules::parse("aws_ecs_service:*:/loadBalancers/*/containerPort\n").unwrap();
        let svc = Kind::EcsService;
        let golden = json!({"loadBalancers": [{"containerPort": 80, "containerName": "a"}]});
        let live = json!({"loadBalancers": [{"containerPort": 81, "containerName": "b"}]});
        assert_eq!(
            rules.keep_ignored(svc, "c/s", Some(&golden), live),
            json!({"loadBalancers": [{"containerPort": 80, "containerName": "b"}]})
        );
        let live = json!({"loadBalancers": [{"containerPort": 1}, {"containerPort": 2}]});
        assert_eq!(
            rules.keep_ignored(svc, "c/s", Some(&golden), live),
            json!({"loadBalancers": [{}, {}]})
        );
    }

    #[test]
    fn an_ignored_security_group_rule_keeps_its_golden_value_beside_new_rules() {
        let rules =
            Rules::parse("aws_security_group:*:/IpPermissions/tcp 443 10.0.0.0/8\n").unwrap();
        let https = |d: &str| {
            json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "10.0.0.0/8",
                   "Description": d})
        };
        let ssh =
            json!({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"});
        let golden = json!({"IpPermissions": {"tcp 443 10.0.0.0/8": https("old")}});
        let live = json!({"IpPermissions": {"tcp 22 0.0.0.0/0": ssh.clone(),
                                            "tcp 443 10.0.0.0/8": https("new")}});
        assert_eq!(
            rules.keep_ignored(Kind::SecurityGroup, "sg-1", Some(&golden), live),
            json!({"IpPermissions": {"tcp 22 0.0.0.0/0": ssh, "tcp 443 10.0.0.0/8": https("old")}})
        );
    }

    #[test]
    fn id_globs_cross_slashes() {
        let g = IdGlob::parse("prod/*").unwrap();
        assert!(g.matches("prod/backend"));
        assert!(!g.matches("staging/backend"));
        assert!(IdGlob::parse("*").unwrap().matches("a/b/c"));
        assert!(IdGlob::parse("").is_err());
        assert!(IdGlob::parse("[").is_err());
    }
}
