//! `driftwatch.toml`: references, kinds, filters, ignore file, redaction, which statuses fail
//! the run, outputs, and targets (accounts and regions). Parsed strictly: an unknown key or a
//! bad value is an error naming the file and line. Flags override the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diff::FailOn;
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::model::Kind;
use crate::report::Format;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    /// Folder of golden files.
    pub golden: Option<PathBuf>,
    /// Terraform states (paths, globs, `-`, `s3://`).
    #[serde(default)]
    pub states: Vec<String>,
    pub workspace: Option<String>,
    /// The DynamoDB table of the S3 backend's state locks (`state-backend` checks it).
    pub lock_table: Option<String>,
    /// Kinds to check (default: all).
    #[serde(default)]
    pub kinds: Vec<Kind>,
    pub ignore_file: Option<PathBuf>,
    /// Environment variable name patterns whose values are stored as digests (replaces the
    /// defaults).
    pub redact: Option<Vec<String>>,
    /// Statuses that make the run fail with exit 1 (default: modified, missing, unmanaged), and
    /// `new`: only findings new since the previous run.
    pub fail_on: Option<Vec<FailOn>>,
    #[serde(default)]
    pub include_aws_managed: bool,
    /// Seconds per attempt of an AWS call (`--timeout`).
    pub timeout: Option<u64>,
    /// Attempts per AWS call (`--max-attempts`).
    pub max_attempts: Option<u32>,
    /// Seconds for all AWS calls of a run (`--deadline`).
    pub deadline: Option<u64>,
    /// The revision cache and the Tagging API (`--no-cache` turns them off).
    pub cache: Option<bool>,
    /// Reports to write in one run.
    #[serde(default)]
    pub outputs: Vec<OutputSpec>,
    /// Per kind: which resources are in scope.
    #[serde(default)]
    pub filters: BTreeMap<Kind, Filter>,
    /// The history database (`--history`).
    pub history: Option<String>,
    /// Days of runs the history keeps (default 90).
    pub history_keep_days: Option<u32>,
    /// Webhooks to tell after a run, when something they listen for happened.
    #[serde(default)]
    pub notify: Vec<Notify>,
    /// Accounts and regions to check, each with its own references (default: one target from
    /// the standard AWS chain).
    #[serde(default)]
    pub targets: Vec<Target>,
    /// `[checks]`: the cross-resource checks (`enabled`, `disable`, `deployers`, `severity`).
    #[serde(default)]
    pub checks: crate::checks::Options,
    /// `[org]`: the accounts of an AWS Organization (`driftwatch plan`, `check --plan`).
    pub org: Option<Org>,
}

/// `[org]` of `driftwatch.toml`: which accounts of the organization `plan` keeps, how a shard
/// reaches each one, and where each account's and region's golden folder is. Flags override it
/// (`--accounts`, `--exclude-accounts`, `--ou`, `--regions`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Org {
    /// OU ids whose accounts are kept, nested OUs included (default: every account).
    #[serde(default)]
    pub organizational_units: Vec<String>,
    /// OU ids whose accounts are left out, nested OUs included.
    #[serde(default)]
    pub exclude_organizational_units: Vec<String>,
    /// Account ids kept (default: every account the OUs give).
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Account ids left out (listed as excluded, with this reason).
    #[serde(default)]
    pub exclude_accounts: Vec<String>,
    /// The role to assume in each account, by name (`arn:{partition}:iam::{account_id}:role/NAME`).
    pub role_name: Option<String>,
    /// Or the whole ARN, with `{account_id}` and `{partition}`.
    pub role_arn_template: Option<String>,
    /// The environment variable holding the external id the roles' trust policies require.
    pub external_id_env: Option<String>,
    /// The session name of each assumed role (2–64 of `[\w+=,.@-]`).
    pub session_name: Option<String>,
    /// Seconds each assumed session lasts (900–43200; AWS caps a chained session at 3600).
    pub session_duration: Option<u32>,
    /// Regions to check in each account: `["*"]` = those enabled in it, or names.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Regions never checked.
    #[serde(default)]
    pub exclude_regions: Vec<String>,
    /// Whether the management account is checked too (default false).
    #[serde(default)]
    pub include_management_account: bool,
    /// The golden folder of each account and region, with `{account_id}` and `{region}`
    /// (`golden/{account_id}/{region}`).
    pub golden: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutputSpec {
    pub format: Format,
    /// A file, written atomically; absent means stdout.
    pub path: Option<PathBuf>,
}

/// A webhook (`[[notify]]`): a Slack-compatible incoming webhook or any JSON endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Notify {
    /// The webhook's URL (a secret: never printed, only its digest).
    pub url: Option<String>,
    /// The environment variable that holds the URL, for CI secrets.
    pub url_env: Option<String>,
    /// What to tell about (default: new findings and errors).
    pub on: Option<Vec<NotifyOn>>,
    /// `slack` (blocks; the default) or `json` (the JSON report).
    pub format: Option<NotifyFormat>,
    /// A link to the full report (a CI run's page), shown in the message.
    pub report_url: Option<String>,
    /// Seconds one attempt may take (default 10; 3 attempts).
    pub timeout: Option<u64>,
}

/// An event a webhook listens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NotifyOn {
    /// A finding new since the previous run (needs history).
    New,
    /// A finding of the previous run gone (needs history).
    Resolved,
    /// Something could not be checked (exit 2).
    Error,
    /// Any drift at all, known or new.
    Drift,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NotifyFormat {
    Slack,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Target {
    pub name: String,
    pub region: Option<String>,
    pub profile: Option<String>,
    /// A role to assume (with the profile's or the environment's credentials).
    pub role_arn: Option<String>,
    pub endpoint_url: Option<String>,
    /// This target's golden folder (default: the top-level `golden`).
    pub golden: Option<PathBuf>,
    /// This target's states (default: the top-level `states`).
    pub states: Option<Vec<String>>,
    pub workspace: Option<String>,
    /// This target's lock table (default: the top-level `lock_table`).
    pub lock_table: Option<String>,
}

impl Config {
    /// Reads `path`, or `./driftwatch.toml` when no path is given and it exists.
    pub(crate) fn load(path: Option<&Path>) -> Result<Option<(PathBuf, Config)>> {
        let default = Path::new("driftwatch.toml");
        let path = match path {
            Some(p) => p,
            None if default.is_file() => default,
            None => return Ok(None),
        };
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let config = Self::parse(&text).map_err(|message| Error::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(Some((path.to_path_buf(), config)))
    }

    pub(crate) fn parse(text: &str) -> std::result::Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        let mut names = std::collections::BTreeSet::new();
        for t in &config.targets {
            if !names.insert(&t.name) {
                return Err(format!("two targets are named `{}`", t.name));
            }
        }
        for (kind, f) in &config.filters {
            for g in f.include.iter().chain(&f.exclude) {
                glob::Pattern::new(g)
                    .map_err(|e| format!("filters.{kind}: bad glob `{g}`: {e}"))?;
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::Config;
    use serde_json::json;

    const FULL: &str = r#"
golden = "golden"
states = ["s3://acme-tf-state/prod.tfstate"]
kinds = ["aws_sqs_queue", "aws_iam_role"]
ignore_file = ".driftignore"
redact = ["PASSWORD", "PRIVATE"]
fail_on = ["modified", "missing"]
timeout = 20
max_attempts = 8
deadline = 600

[[outputs]]
format = "console"

[[outputs]]
format = "json"
path = "drift.json"

[filters.aws_sqs_queue]
include = ["prod-*"]
exclude = ["prod-tmp-*"]
tags = { team = "ml" }

[[targets]]
name = "prod-us"
region = "us-east-1"
profile = "prod"

[[targets]]
name = "prod-eu"
region = "eu-west-1"
role_arn = "arn:aws:iam::123456789012:role/driftwatch"
golden = "golden-eu"
"#;

    #[test]
    fn a_full_file_parses() {
        let c = Config::parse(FULL).unwrap();
        assert_eq!(c.kinds.len(), 2);
        assert_eq!(c.targets.len(), 2);
        assert_eq!(c.outputs.len(), 2);
        assert_eq!(c.fail_on.unwrap().len(), 2);
        assert_eq!(
            (c.timeout, c.max_attempts, c.deadline),
            (Some(20), Some(8), Some(600))
        );
        let f = &c.filters[&crate::model::Kind::SqsQueue];
        assert!(f.keeps("prod-jobs", &json!({"Tags": {"team": "ml"}})));
        assert!(!f.keeps("prod-tmp-1", &json!({"Tags": {"team": "ml"}})));
        assert!(!f.keeps("prod-jobs", &json!({"Tags": {"team": "web"}})));
        assert!(!f.keeps("dev-jobs", &json!({"Tags": {"team": "ml"}})));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let e = Config::parse("golden = \"g\"\ngoldne = \"x\"\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("goldne"), "{e}");
        let e = Config::parse("golden = \"g\"\nkinds = [\"aws_sqs_queue\", \"aws_lambda\"]\n")
            .unwrap_err();
        assert!(e.contains("line 2") && e.contains("aws_lambda"), "{e}");
        let e = Config::parse("fail_on = [\"drifted\"]\n").unwrap_err();
        assert!(e.contains("line 1") && e.contains("drifted"), "{e}");
        let e =
            Config::parse("[[targets]]\nname = \"a\"\n[[targets]]\nname = \"a\"\n").unwrap_err();
        assert!(e.contains("two targets"), "{e}");
    }
}
