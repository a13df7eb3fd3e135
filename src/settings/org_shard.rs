//! `check --plan`: one shard of an organization's plan, and how it reaches each account
//! (`[org]` of `driftwatch.toml`). A shard writes no history and sends no notification: `merge`
//! does both, once, for the whole organization.

use std::path::{Path, PathBuf};

use crate::aws::org::SessionSpec;
use crate::cli::ShardArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use driftwatch_core::org::{OrgPlan, ShardSpec};

/// AWS's default and the session a shard asks for without `session_duration`.
const DEFAULT_SESSION_SECONDS: u32 = 3600;

/// One shard of a plan.
#[derive(Debug, Clone)]
pub(crate) struct ShardSettings {
    pub plan: OrgPlan,
    pub spec: ShardSpec,
    pub session: SessionSpec,
    /// Each account's and region's golden folder (`golden` in [org], with `{account_id}` and
    /// `{region}`); none: the targets are checked for what the checks find alone.
    pub golden: Option<String>,
}

impl ShardSettings {
    /// The golden folder of one account and region.
    pub(crate) fn golden_of(&self, account_id: &str, region: &str) -> Option<PathBuf> {
        let t = self.golden.as_ref()?;
        Some(PathBuf::from(
            t.replace("{account_id}", account_id)
                .replace("{region}", region),
        ))
    }
}

/// The shard `args` ask for, or none without `--plan`. `lookup` reads the environment
/// (`--shard-index-from`, `external_id_env`). Refuses what a shard must not do: `[[targets]]`
/// (the plan names the accounts) and `--history`/`--since` (only `merge` writes history).
pub(super) fn resolve(
    args: &ShardArgs,
    history_asked: bool,
    config: &Config,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<Box<ShardSettings>>> {
    let Some(path) = &args.plan else {
        return Ok(None);
    };
    if !config.targets.is_empty() {
        return Err(Error::Usage(
            "--plan checks the plan's accounts: remove [[targets]] from driftwatch.toml (the \
             plan replaces them)"
                .into(),
        ));
    }
    if history_asked {
        return Err(Error::Usage(
            "--plan runs one shard, and only `driftwatch merge` writes history: pass --history \
             or --since to merge"
                .into(),
        ));
    }
    let spec = spec(args, &lookup)?;
    let org = config.org.clone().unwrap_or_default();
    let external_id = match &org.external_id_env {
        None => None,
        Some(var) => Some(lookup(var).filter(|v| !v.is_empty()).ok_or_else(|| {
            Error::Usage(format!(
                "external_id_env in [org] names {var}, which is not set: set it to the external \
                 id the roles' trust policies require"
            ))
        })?),
    };
    if config.history.is_some() {
        tracing::info!("history in driftwatch.toml is left to `driftwatch merge` in a shard run");
    }
    if !config.notify.is_empty() {
        tracing::info!("[[notify]] is skipped in a shard run: `driftwatch merge` notifies");
    }
    let session_name = org.session_name.unwrap_or_else(|| "driftwatch".into());
    check_session_name(&session_name)?;
    let duration_seconds = org.session_duration.unwrap_or(DEFAULT_SESSION_SECONDS);
    if !(900..=43200).contains(&duration_seconds) {
        return Err(Error::Usage(format!(
            "session_duration in [org] is {duration_seconds}: AWS takes 900 to 43200 seconds \
             (and caps a chained session at 3600)"
        )));
    }
    Ok(Some(Box::new(ShardSettings {
        plan: read_plan(path)?,
        spec,
        session: SessionSpec {
            external_id,
            session_name,
            duration_seconds,
        },
        golden: org.golden,
    })))
}

/// `--shard K/N`, `--shard-index-from VAR --shards N`, or 1/1.
fn spec(args: &ShardArgs, lookup: &impl Fn(&str) -> Option<String>) -> Result<ShardSpec> {
    let usage = |flag: &str, e: String| Error::Usage(format!("{flag}: {e}"));
    match (&args.shard, &args.shard_index_from, args.shards) {
        (Some(text), _, _) => ShardSpec::parse(text).map_err(|e| usage("--shard", e)),
        (None, Some(var), Some(count)) => {
            let index = lookup(var).ok_or_else(|| {
                Error::Usage(format!(
                    "--shard-index-from {var}: the environment variable {var} is not set (an \
                     indexed job sets JOB_COMPLETION_INDEX, an AWS Batch array job \
                     AWS_BATCH_JOB_ARRAY_INDEX)"
                ))
            })?;
            ShardSpec::from_zero_based(&index, count)
                .map_err(|e| usage(&format!("--shard-index-from {var}"), e))
        }
        _ => Ok(ShardSpec::parse("1/1").expect("1/1 is a shard")),
    }
}

/// AWS's rule for `RoleSessionName`: 2 to 64 of letters, digits and `_+=,.@-`; said before any
/// account is reached, not as the same AssumeRole error for every account.
fn check_session_name(name: &str) -> Result<()> {
    let ok = (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "session_name in [org] is `{name}`: AWS takes 2 to 64 of letters, digits and _+=,.@-"
        )))
    }
}

/// `plan.json`, refused (exit 2, naming the file) when unreadable, of another version or edited.
fn read_plan(path: &Path) -> Result<OrgPlan> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    OrgPlan::parse(&text).map_err(|message| Error::Invalid {
        path: path.to_path_buf(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(shard: Option<&str>, from: Option<&str>, shards: Option<usize>) -> ShardArgs {
        ShardArgs {
            plan: Some(PathBuf::from("plan.json")),
            shard: shard.map(String::from),
            shard_index_from: from.map(String::from),
            shards,
        }
    }

    #[test]
    fn the_index_from_the_environment_is_zero_based() {
        let env = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "0".to_string());
        let got = spec(&args(None, Some("JOB_COMPLETION_INDEX"), Some(3)), &env).unwrap();
        assert_eq!(got, ShardSpec::parse("1/3").unwrap());
        let missing = spec(
            &args(None, Some("AWS_BATCH_JOB_ARRAY_INDEX"), Some(3)),
            &env,
        );
        let err = missing.unwrap_err().to_string();
        assert!(
            err.contains("AWS_BATCH_JOB_ARRAY_INDEX") && err.contains("not set"),
            "{err}"
        );
        let bad = |_: &str| Some("three".to_string());
        let err = spec(&args(None, Some("I"), Some(3)), &bad).unwrap_err();
        assert!(err.to_string().contains("three"), "{err}");
        let none = |_: &str| None;
        assert_eq!(spec(&args(None, None, None), &none).unwrap().count, 1);
        assert!(spec(&args(Some("4/3"), None, None), &none).is_err());
    }

    #[test]
    fn a_shard_refuses_targets_history_and_a_missing_external_id() {
        let none = |_: &str| None;
        let mut config = Config::default();
        config.targets.push(toml::from_str("name = \"a\"").unwrap());
        let err = resolve(&args(None, None, None), false, &config, none).unwrap_err();
        assert!(err.to_string().contains("[[targets]]"), "{err}");
        let config = Config::default();
        let err = resolve(&args(None, None, None), true, &config, none).unwrap_err();
        assert!(err.to_string().contains("merge"), "{err}");
        let mut config = Config::default();
        config.org = Some(crate::config::Org {
            external_id_env: Some("DW_EXTERNAL_ID".into()),
            ..Default::default()
        });
        let err = resolve(&args(None, None, None), false, &config, none).unwrap_err();
        assert!(err.to_string().contains("DW_EXTERNAL_ID"), "{err}");
    }

    #[test]
    fn session_names_and_durations_aws_refuses_are_refused_first() {
        assert!(check_session_name("driftwatch-ci.1@x").is_ok());
        for bad in ["x", "has space", "a/b", &"x".repeat(65)] {
            assert!(check_session_name(bad).is_err(), "{bad}");
        }
        let none = |_: &str| None;
        let mut config = Config::default();
        config.org = Some(crate::config::Org {
            session_duration: Some(600),
            ..Default::default()
        });
        let err = resolve(&args(None, None, None), false, &config, none).unwrap_err();
        assert!(err.to_string().contains("900 to 43200"), "{err}");
    }

    #[test]
    fn each_account_and_region_has_its_golden_folder() {
        let s = ShardSettings {
            plan: OrgPlan::new("aws", vec![], vec![]),
            spec: ShardSpec::parse("1/1").unwrap(),
            session: SessionSpec {
                external_id: None,
                session_name: "driftwatch".into(),
                duration_seconds: 3600,
            },
            golden: Some("golden/{account_id}/{region}".into()),
        };
        let dir = s.golden_of("111111111111", "eu-west-1").unwrap();
        assert_eq!(dir, PathBuf::from("golden/111111111111/eu-west-1"));
    }
}
