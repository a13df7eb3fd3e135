//! The command line, as clap derive types. No logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diff::FailOn;
use crate::model::Kind;
use crate::report::Format;

/// Tells whether an AWS account still matches what you committed.
///
/// Exit codes: 0 everything checked is in sync, 1 drift found, 2 could not check.
#[derive(Debug, Parser)]
#[command(name = "driftwatch", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// AWS region (default: the standard chain, e.g. AWS_REGION or the profile's region)
    #[arg(help_heading = "AWS", long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS profile from ~/.aws/config (default: AWS_PROFILE, then `default`)
    #[arg(help_heading = "AWS", long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Send AWS calls to this endpoint instead of AWS's (AWS_ENDPOINT_URL works too)
    #[arg(help_heading = "AWS", long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// More log output on stderr: -v API call counts, -vv debug, -vvv everything
    #[arg(help_heading = "General", short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Nothing at all when in sync; otherwise the summary line and a line per finding (stdout)
    /// and per error (stderr): cron mails only when something needs a look
    #[arg(
        help_heading = "General",
        short,
        long,
        global = true,
        conflicts_with = "verbose"
    )]
    pub quiet: bool,
    /// No colors (NO_COLOR is honoured too, and colors are off when stdout is not a terminal)
    #[arg(help_heading = "General", long, global = true)]
    pub no_color: bool,
    /// Seconds one attempt of one AWS call may take before it is retried [default: 30]
    #[arg(help_heading = "AWS", long, global = true, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Attempts per AWS call, the first included; throttling and 5xx answers are retried with
    /// exponential backoff and jitter [default: 10]
    #[arg(help_heading = "AWS", long, global = true, value_name = "N")]
    pub max_attempts: Option<u32>,
    /// Seconds all AWS calls of the run may take together; past it, what is unfinished is an
    /// error [default: 900]
    #[arg(help_heading = "AWS", long, global = true, value_name = "SECONDS")]
    pub deadline: Option<u64>,
    /// Read every task definition and tag first-hand: no revision cache (in
    /// $XDG_CACHE_HOME/driftwatch, DRIFTWATCH_CACHE_DIR overrides), no tags from the Resource
    /// Groups Tagging API
    #[arg(help_heading = "AWS", long, global = true)]
    pub no_cache: bool,
    /// Configuration file (default: ./driftwatch.toml if it exists); flags override it
    #[arg(help_heading = "General", long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the live account's resources as canonical golden files
    ///
    /// Example: driftwatch snapshot --out golden && git diff golden/
    Snapshot(SnapshotArgs),
    /// Compare golden files and/or Terraform state with the live account (or a snapshot folder)
    ///
    /// Example: driftwatch check --golden golden --state 's3://tf-state/prod.tfstate' --format markdown
    Check(CheckArgs),
    /// Compare two references offline: golden folders or Terraform states, in any mix
    ///
    /// Example: driftwatch diff terraform.tfstate golden   (is golden/ still what Terraform thinks?)
    Diff(DiffArgs),
    /// Rewrite the golden files of the named resources from the live account (or --actual),
    /// after a reviewed change; every other file is left as it is
    ///
    /// Example: driftwatch accept 'aws_ecs_task_definition:retainwise-*' && git diff golden/
    Accept(AcceptArgs),
    /// Print the least-privilege IAM policy driftwatch needs (read-only actions only)
    ///
    /// Example: driftwatch policy --state s3://acme-tf-state/prod.tfstate > driftwatch-policy.json
    Policy(PolicyArgs),
    /// List the runs of the history database, or one resource's timeline
    ///
    /// Example: driftwatch history --history drift.db --resource aws_sqs_queue:jobs
    History(HistoryCommandArgs),
    /// Print a shell completion script
    ///
    /// Example: driftwatch completions bash > /etc/bash_completion.d/driftwatch
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Run the cross-resource checks on a golden folder or a Terraform state, offline
    ///
    /// Example: driftwatch verify terraform.tfstate   (is the planned account consistent?)
    Verify(VerifyArgs),
    /// List the accounts of an AWS Organization to check (`[org]` in driftwatch.toml) as
    /// plan.json, for `check --plan --shard K/N` and `merge`
    ///
    /// Example: driftwatch plan --shards 4 -o plan.json   (prints [1,2,3,4] for a CI matrix)
    Plan(PlanArgs),
    /// Merge the shards' JSON reports of an organization's plan into one report, its exit code
    /// and its history; exit 2 when a shard is missing, twice, of another plan, or unreadable
    ///
    /// Example: driftwatch merge --plan plan.json --report markdown="$GITHUB_STEP_SUMMARY" shards/*.json
    Merge(MergeArgs),
}

// The argument structs carry no doc comment: the command's help text is its variant's above.

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Folder to write, one file a resource: DIR/<kind>/<id>.json
    #[arg(long, value_name = "DIR", default_value = "golden")]
    pub out: PathBuf,
    #[command(flatten)]
    pub kinds: Kinds,
    /// Only resources whose id matches GLOB (repeatable; `*` matches `/` too); files of other
    /// ids are left as they are, never removed
    #[arg(long = "id", value_name = "GLOB", help_heading = "Scope")]
    pub ids: Vec<String>,
    /// Write over a folder recorded from another account or region
    #[arg(long)]
    pub any_account: bool,
    /// Seconds to wait while another driftwatch writes the same golden folder, then exit 2
    /// naming it
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub lock_timeout: u64,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The resources to accept, KIND:ID-GLOB (`*` matches `/` too), e.g.
    /// aws_ecs_task_definition:retainwise-backend or 'aws_ecs_service:prod/*'
    #[arg(required = true, value_name = "KIND:ID-GLOB")]
    pub resources: Vec<String>,
    /// Folder of golden files to rewrite (default: the file's `golden`, else ./golden)
    #[arg(long, value_name = "DIR")]
    pub golden: Option<PathBuf>,
    /// Take the documents from this snapshot folder instead of the live account
    #[arg(long, value_name = "DIR")]
    pub actual: Option<PathBuf>,
    /// Print what would change, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Seconds to wait while another driftwatch writes the same golden folder, then exit 2
    /// naming it
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub lock_timeout: u64,
    /// Write over a folder recorded from another account or region
    #[arg(long)]
    pub any_account: bool,
    /// Also fetch what AWS manages: AWS-managed IAM policies and service-linked roles
    #[arg(long)]
    pub include_aws_managed: bool,
    #[command(flatten)]
    pub ignore: IgnoreArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folder of golden files (default: ./golden, unless --state is given)
    #[arg(long, value_name = "DIR", help_heading = "References")]
    pub golden: Option<PathBuf>,
    /// Terraform state: a file, a glob ('**/*.tfstate'), - for stdin, or s3://BUCKET/KEY;
    /// a state file (format 3 or 4) or `terraform show -json` of a state or a plan.
    /// Repeatable.
    #[arg(
        long = "state",
        value_name = "PATH|GLOB|-|s3://B/K",
        help_heading = "References"
    )]
    pub states: Vec<String>,
    /// Terraform workspace of s3:// states (reads env:/WORKSPACE/KEY, as the S3 backend does)
    #[arg(long, value_name = "NAME", help_heading = "References")]
    pub workspace: Option<String>,
    /// The DynamoDB lock table of the S3 backend the states live in (the state-backend check
    /// looks it up)
    #[arg(long, value_name = "NAME", help_heading = "References")]
    pub lock_table: Option<String>,
    /// Compare with this snapshot folder instead of the live account
    #[arg(long, value_name = "DIR", help_heading = "References")]
    pub actual: Option<PathBuf>,
    /// Compare even when the golden folder was taken from another account or region
    #[arg(long, help_heading = "References")]
    pub any_account: bool,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub kinds: Kinds,
    #[command(flatten)]
    pub ignore: IgnoreArgs,
    #[command(flatten)]
    pub history: HistoryArgs,
    /// No cross-resource checks (task roles, queue access, PassRole, references); `[checks]`
    /// in driftwatch.toml tunes them
    #[arg(long)]
    pub no_checks: bool,
    #[command(flatten)]
    pub shard: ShardArgs,
}

/// `check --plan`: one shard of an organization's plan.
#[derive(Debug, Args)]
pub struct ShardArgs {
    /// Check the accounts of this plan (`driftwatch plan`), one shard of them (default 1/1);
    /// golden folders come from `golden` in [org]
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Organization",
        conflicts_with_all = ["actual", "golden", "states"]
    )]
    pub plan: Option<PathBuf>,
    /// This shard: K of N, 1-based (`--shard 2/4`)
    #[arg(
        long,
        value_name = "K/N",
        help_heading = "Organization",
        requires = "plan"
    )]
    pub shard: Option<String>,
    /// Read the shard's 0-based index from this environment variable (JOB_COMPLETION_INDEX,
    /// AWS_BATCH_JOB_ARRAY_INDEX), with --shards
    #[arg(
        long,
        value_name = "VAR",
        help_heading = "Organization",
        requires_all = ["plan", "shards"],
        conflicts_with = "shard"
    )]
    pub shard_index_from: Option<String>,
    /// How many shards there are, with --shard-index-from
    #[arg(
        long,
        value_name = "N",
        help_heading = "Organization",
        requires = "shard_index_from"
    )]
    pub shards: Option<usize>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The plan the shards checked (`driftwatch plan` wrote it)
    #[arg(long, value_name = "plan.json")]
    pub plan: PathBuf,
    /// The shards' JSON reports (`check --plan … --shard K/N --format json`), one per shard
    #[arg(id = "shard_reports", required = true, value_name = "REPORT.json")]
    pub reports: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub history: HistoryArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// What should be: a golden folder or a Terraform state (file, -, s3://B/K)
    pub expected: String,
    /// What is: a golden folder or a Terraform state
    pub actual: String,
    /// Terraform workspace of s3:// states
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub kinds: Kinds,
    #[command(flatten)]
    pub ignore: IgnoreArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A golden folder or a Terraform state (file, -, s3://B/K) [default: driftwatch.toml's
    /// golden, else its first state, else ./golden]
    pub reference: Option<String>,
    /// Terraform workspace of s3:// states
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    /// The account the reference describes, when neither its source.json nor the ARNs of its
    /// resources say (with --region for its region): references to other accounts are then
    /// not judged
    #[arg(long, value_name = "ACCOUNT_ID", value_parser = account_id)]
    pub account: Option<String>,
    /// The DynamoDB lock table of the S3 backend (the state-backend check looks it up in the
    /// reference)
    #[arg(long, value_name = "NAME")]
    pub lock_table: Option<String>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub kinds: Kinds,
    #[command(flatten)]
    pub ignore: IgnoreArgs,
}

/// An AWS account id: twelve digits.
fn account_id(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not an AWS account id (twelve digits)"))
    }
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Where to write the plan (atomically)
    #[arg(short = 'o', long, value_name = "FILE", default_value = "plan.json")]
    pub output: PathBuf,
    /// Also print the shard numbers [1,2,…,N] on stdout, for a CI matrix (`fromJSON`)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub shards: Option<u32>,
    /// Only these accounts (comma-separated ids) [default: `accounts` of [org], else all]
    #[arg(long, value_name = "ID,…", value_delimiter = ',', value_parser = account_id)]
    pub accounts: Vec<String>,
    /// Leave these accounts out, listed as excluded [default: `exclude_accounts` of [org]]
    #[arg(long, value_name = "ID,…", value_delimiter = ',', value_parser = account_id)]
    pub exclude_accounts: Vec<String>,
    /// Only the accounts under these OUs, nested ones included [default:
    /// `organizational_units` of [org], else every account]
    #[arg(long, value_name = "OU,…", value_delimiter = ',')]
    pub ou: Vec<String>,
    /// The regions to check in each account: `*` (those enabled in it) or names [default:
    /// `regions` of [org], else *]
    #[arg(long, value_name = "R,…", value_delimiter = ',')]
    pub regions: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub kinds: Kinds,
    /// s3:// states to grant s3:GetObject on (repeatable)
    #[arg(long = "state", value_name = "s3://B/K")]
    pub states: Vec<String>,
    /// Terraform workspace of those states
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    /// For an organization: the policy of what runs `plan`, the shards and `merge` (hub: the
    /// Organizations listing, sts:AssumeRole on `[org]`'s role in every account, the history
    /// object), or of that role in each account (member: the read-only policy and
    /// ec2:DescribeRegions)
    #[arg(long, value_enum, value_name = "SIDE")]
    pub org: Option<OrgSide>,
    /// The partition of the accounts' role ARNs, with --org hub
    #[arg(long, value_name = "NAME", default_value = "aws")]
    pub partition: String,
}

/// Which side of an organization's checks a policy is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrgSide {
    Hub,
    Member,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Scope")]
pub struct Kinds {
    /// Only this kind (repeatable; default: every kind)
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<Kind>,
    /// Also fetch what AWS manages: AWS-managed IAM policies and service-linked roles
    #[arg(long)]
    pub include_aws_managed: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Ignore rules")]
pub struct IgnoreArgs {
    /// Ignore rules, one `kind:id-glob[:pointer-glob]` a line (default: ./.driftignore if it
    /// exists)
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
    /// One more ignore rule, e.g. 'aws_ecs_task_definition:*:/containerDefinitions/*/image'
    /// (repeatable; `!` re-includes)
    #[arg(long = "ignore", value_name = "RULE")]
    pub rules: Vec<String>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Report")]
pub struct Output {
    /// Report format [default: console]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE (atomically) instead of stdout; a summary line still goes to
    /// stdout (with -q, only when something was found)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report in FORMAT to PATH (repeatable), e.g. --report json=drift.json
    /// --report markdown="$GITHUB_STEP_SUMMARY": one fetch, every output a pipeline needs
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub reports: Vec<(Format, PathBuf)>,
}

fn parse_report(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = s
        .split_once('=')
        .filter(|(f, p)| !f.is_empty() && !p.is_empty())
        .ok_or_else(|| format!("`{s}`: expected FORMAT=PATH, e.g. json=drift.json"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!(
            "`{format}`: unknown format (console, json, markdown, ignore, junit, terraform-import, html)"
        )
    })?;
    Ok((format, PathBuf::from(path)))
}

#[derive(Debug, Args)]
#[command(next_help_heading = "History")]
pub struct HistoryArgs {
    /// Remember each run in this SQLite database (created if needed), a file or s3://BUCKET/KEY
    /// (updated with a conditional put): findings become new or known (with first seen), and
    /// what is gone is listed as resolved
    #[arg(long, value_name = "PATH|s3://B/K")]
    pub history: Option<String>,
    /// Mark findings new or known against this earlier JSON report (no database)
    #[arg(long, value_name = "REPORT.json", conflicts_with = "history")]
    pub since: Option<PathBuf>,
    /// Exit 1 only for these (repeatable): modified, missing, unmanaged, or new (only findings
    /// not in the previous run; needs --history or --since) [default: every drift status]
    #[arg(long = "fail-on", value_name = "STATUS", value_enum)]
    pub fail_on: Vec<FailOn>,
}

#[derive(Debug, Args)]
pub struct HistoryCommandArgs {
    /// The history database, a file or s3://BUCKET/KEY (default: `history` in driftwatch.toml)
    #[arg(long, value_name = "PATH|s3://B/K")]
    pub history: Option<String>,
    /// One resource's timeline instead of the list of runs
    #[arg(long, value_name = "KIND:ID")]
    pub resource: Option<String>,
    /// How many runs, the latest first
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub limit: u32,
    /// console, json or markdown [default: console]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}
