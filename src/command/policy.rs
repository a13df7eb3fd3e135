//! `driftwatch policy`: the least-privilege IAM policy driftwatch needs, on stdout.

use crate::aws;
use crate::error::Result;
use crate::exit;
use crate::model::Kind;
use crate::out;
use crate::settings::{OrgPolicy, PolicySettings};
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
    let text = match &s.org {
        None => policy_document(&s.kinds, &objects, history.as_deref(), &[]),
        // Shards read no state and write no history: the role needs neither.
        Some(OrgPolicy::Member) => policy_document(&s.kinds, &[], None, MEMBER_ACTIONS),
        Some(OrgPolicy::Hub { role_arns }) => hub_document(role_arns, history.as_deref()),
    };
    out::line(&text)?;
    Ok(exit::IN_SYNC)
}

/// What `plan` calls in the management (or delegated administrator) account.
const ORGANIZATION_ACTIONS: &[&str] = &[
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListAccountsForParent",
    "organizations:ListChildren",
    "organizations:ListParents",
];

/// What a shard calls as each account's role besides its kinds' reads: the regions the
/// account has enabled (`regions = ["*"]`, and to refuse a named region it has not).
const MEMBER_ACTIONS: &[&str] = &["ec2:DescribeRegions"];

/// The policy of what runs `plan`, the shards and `merge`: listing the organization, assuming
/// the role in every account, and, with a history in S3, reading and writing its object (only
/// `merge` writes it). Nothing of the accounts' resources: the shards read them as the role.
fn hub_document(role_arns: &str, history: Option<&str>) -> String {
    let mut own: Vec<&str> = aws::common_actions().to_vec();
    own.extend(ORGANIZATION_ACTIONS);
    own.sort_unstable();
    let mut statements = vec![
        serde_json::json!({
            "Sid": "DriftwatchPlan", "Effect": "Allow", "Action": own, "Resource": "*"
        }),
        serde_json::json!({
            "Sid": "DriftwatchAssumeAccountRoles", "Effect": "Allow",
            "Action": "sts:AssumeRole", "Resource": role_arns
        }),
    ];
    statements.extend(history_statement(history));
    document(statements)
}

fn history_statement(history: Option<&str>) -> Option<serde_json::Value> {
    history.map(|object| {
        serde_json::json!({
            "Sid": "DriftwatchHistory", "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"], "Resource": object
        })
    })
}

fn document(statements: Vec<serde_json::Value>) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "Version": "2012-10-17", "Statement": statements
    }))
    .unwrap_or_default()
}

/// The least-privilege policy: exactly the read-only actions the fetchers of `kinds` call (and
/// `more`), and `s3:GetObject` on the state objects; with a history in S3, reading and writing
/// that object (the only write driftwatch ever makes to AWS).
fn policy_document(
    kinds: &[Kind],
    state_objects: &[String],
    history: Option<&str>,
    more: &[&'static str],
) -> String {
    let mut actions: Vec<&str> = kinds
        .iter()
        .flat_map(|k| k.def().actions)
        .chain(aws::common_actions())
        .chain(more)
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
    statements.extend(history_statement(history));
    document(statements)
}
