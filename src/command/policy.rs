//! `driftwatch policy`: the least-privilege IAM policy driftwatch needs, on stdout.

use crate::aws;
use crate::error::Result;
use crate::exit;
use crate::model::Kind;
use crate::out;
use crate::settings::PolicySettings;
use crate::source;

pub(crate) fn execute(s: &PolicySettings) -> Result<u8> {
    let mut objects: Vec<String> = s
        .states
        .iter()
        .filter_map(|(spec, ws)| source::terraform::s3_object(spec, ws.as_deref()))
        .map(|(b, k)| format!("arn:aws:s3:::{b}/{k}"))
        .collect();
    objects.sort();
    objects.dedup();
    let history = s
        .history
        .as_ref()
        .map(|(b, k)| format!("arn:aws:s3:::{b}/{k}"));
    out::line(&policy_document(&s.kinds, &objects, history.as_deref()))?;
    Ok(exit::IN_SYNC)
}

/// The least-privilege policy: exactly the read-only actions the fetchers of `kinds` call, and
/// `s3:GetObject` on the state objects; with a history in S3, reading and writing that object
/// (the only write driftwatch ever makes to AWS).
fn policy_document(kinds: &[Kind], state_objects: &[String], history: Option<&str>) -> String {
    let mut actions: Vec<&str> = kinds
        .iter()
        .flat_map(|k| k.def().actions)
        .chain(aws::common_actions())
        .copied()
        .collect();
    actions.sort_unstable();
    actions.dedup();
    let mut statements = vec![serde_json::json!({
        "Sid": "DriftwatchReadOnly", "Effect": "Allow", "Action": actions, "Resource": "*"
    })];
    if !state_objects.is_empty() {
        statements.push(serde_json::json!({
            "Sid": "DriftwatchReadTerraformState", "Effect": "Allow",
            "Action": "s3:GetObject", "Resource": state_objects
        }));
    }
    if let Some(object) = history {
        statements.push(serde_json::json!({
            "Sid": "DriftwatchHistory", "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"], "Resource": object
        }));
    }
    serde_json::to_string_pretty(&serde_json::json!({
        "Version": "2012-10-17", "Statement": statements
    }))
    .unwrap_or_default()
}
