//! A check's targets: the file's `[[targets]]` (accounts and regions) merged with the flags and
//! the top-level settings, one [`Plan`] each. The check engine (`command::check`) runs them.

use std::path::PathBuf;

use crate::aws::AwsOptions;
use crate::cli::Global;
use crate::config::Target;
use crate::model::Kind;

/// One target's settings: how to reach it and what to compare it with.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The target's name in the file; none for the one target of a file without targets.
    pub name: Option<String>,
    pub aws: AwsOptions,
    pub golden: Option<PathBuf>,
    pub states: Vec<String>,
    pub workspace: Option<String>,
    /// The S3 backend's lock table (`--lock-table`, the target's, the file's).
    pub lock_table: Option<String>,
    pub kinds: Vec<Kind>,
}

/// The plans of a run: one per target of the file, or `base` alone (the flags, the file and the
/// standard chain) when it has none. `--region`, `--profile` and `--endpoint-url` override every
/// target's own; a target's own references and workspace override the top-level ones.
/// Which account a plan reads, as far as the settings tell before any call: the same profile,
/// role and endpoint are the same account. IAM (global) is read by the first plan of each.
pub(crate) fn account_key(aws: &AwsOptions) -> (Option<String>, Option<String>, Option<String>) {
    (
        aws.profile.clone(),
        aws.role_arn.clone(),
        aws.endpoint_url.clone(),
    )
}

pub(super) fn plans(g: &Global, targets: &[Target], base: Plan) -> Vec<Plan> {
    if targets.is_empty() {
        return vec![base];
    }
    let mut seen_accounts = Vec::new();
    targets
        .iter()
        .map(|t| {
            let aws = AwsOptions {
                region: g.region.clone().or(t.region.clone()),
                profile: g.profile.clone().or(t.profile.clone()),
                endpoint_url: g.endpoint_url.clone().or(t.endpoint_url.clone()),
                role_arn: t.role_arn.clone(),
                limits: base.aws.limits,
                cache_dir: base.aws.cache_dir.clone(),
                cache_on_custom_endpoint: base.aws.cache_on_custom_endpoint,
                tag_pages: base.aws.tag_pages,
                session: None,
            };
            // IAM is global: the first target of an account checks it, the others skip it.
            let account = account_key(&aws);
            let mut kinds = base.kinds.clone();
            if seen_accounts.contains(&account) {
                kinds.retain(|k| !k.is_global());
            } else {
                seen_accounts.push(account);
            }
            Plan {
                name: Some(t.name.clone()),
                aws,
                golden: t.golden.clone().or(base.golden.clone()),
                states: t.states.clone().unwrap_or(base.states.clone()),
                workspace: t.workspace.clone().or(base.workspace.clone()),
                lock_table: t.lock_table.clone().or(base.lock_table.clone()),
                kinds,
            }
        })
        .collect()
}
