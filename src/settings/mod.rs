//! Settings: the command line, `driftwatch.toml` and the environment, resolved once before a
//! command runs into one value per command ([`Settings`]). A command reads its settings and
//! nothing else: none looks at a flag, at the file or at an environment variable itself, so a
//! rule such as "the flag wins over the file" is written once ([`merge`]) and holds for every
//! command alike. (uv's `settings.rs` and ripgrep's `HiArgs` have the same shape.)
//!
//! Resolving reads the configuration file and the ignore file, nothing else: bad input is exit 2
//! before any reference is read or any AWS call is made.

mod accept;
mod merge;
mod org;
mod org_merge;
mod org_shard;
mod targets;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::aws::AwsOptions;
use crate::cli::{self, Cli, Command, Global};
use crate::config::Config;
use crate::diff::Status;
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::ignore::{IdGlob, Rules};
use crate::model::Kind;
use crate::normalize::Redaction;

pub(crate) use accept::{AcceptSettings, AcceptTarget, Selector};
pub(crate) use merge::Destination;
#[cfg(test)]
pub(crate) use org::Role;
pub(crate) use org::{PlanSettings, Selection};
pub(crate) use org_merge::MergeSettings;
pub(crate) use org_shard::ShardSettings;
pub(crate) use targets::{account_key, Plan};

/// One command's settings.
#[derive(Debug)]
pub(crate) enum Settings {
    Snapshot(SnapshotSettings),
    Check(CheckSettings),
    Diff(DiffSettings),
    Policy(PolicySettings),
    History(HistoryCommandSettings),
    Accept(AcceptSettings),
    Completions(clap_complete::Shell),
    Verify(VerifySettings),
    Plan(PlanSettings),
    Merge(MergeSettings),
}

/// `driftwatch snapshot`.
#[derive(Debug)]
pub(crate) struct SnapshotSettings {
    /// The golden folder written.
    pub out: PathBuf,
    /// Write over a folder recorded from another account or region.
    pub any_account: bool,
    pub kinds: Vec<Kind>,
    /// `--id`: only these ids are written or removed (empty: every id).
    pub ids: Vec<IdGlob>,
    pub include_aws_managed: bool,
    pub aws: AwsOptions,
    /// `-q`: no progress and no summary line.
    pub quiet: bool,
    /// What counts as a secret (`redact`): a snapshot never writes one the team asked to redact.
    pub redaction: Redaction,
    /// How long to wait for another writer of the folder (`--lock-timeout`).
    pub lock_timeout: std::time::Duration,
}

/// `driftwatch check`.
#[derive(Debug)]
pub(crate) struct CheckSettings {
    /// One per target; one without a name when the file has no targets, or with `--actual`.
    pub plans: Vec<Plan>,
    /// A snapshot folder compared instead of the live account.
    pub actual: Option<PathBuf>,
    /// Compare whatever account the golden folders were taken from.
    pub any_account: bool,
    pub include_aws_managed: bool,
    pub rules: Rules,
    /// Per kind, the resources in scope.
    pub filters: BTreeMap<Kind, Filter>,
    /// The statuses that exit 1 (none given: every drift status).
    pub fail_on: Option<Vec<Status>>,
    /// `fail_on` has `new`: only findings new since the previous run exit 1.
    pub fail_on_new: bool,
    /// `--history` or `--since`: findings marked new or known against the previous run.
    pub history: Option<HistorySettings>,
    /// Webhooks to tell after the run (`[[notify]]`).
    pub notify: Vec<NotifySettings>,
    /// What counts as a secret (`redact`), alike for every source.
    pub redaction: Redaction,
    pub output: OutputSettings,
    /// `[checks]`: the cross-resource checks on the actual side (off with `--no-checks`).
    pub checks: crate::checks::Options,
    /// `--plan`: one shard of an organization's plan; `plans` then holds the one plan each
    /// account's targets are made from (`command::check`), and no history or notification.
    pub shard: Option<Box<ShardSettings>>,
}

/// `driftwatch verify`: the cross-resource checks on one reference, offline.
#[derive(Debug)]
pub(crate) struct VerifySettings {
    /// A golden folder or a Terraform state.
    pub reference: String,
    pub workspace: Option<String>,
    /// The account a state describes when its resources record none (`--account`).
    pub account: Option<String>,
    /// The S3 states the file names (the reference too, when it is one): `state-backend`
    /// judges their bucket in the reference.
    pub states: Vec<String>,
    pub lock_table: Option<String>,
    pub kinds: Vec<Kind>,
    pub rules: Rules,
    pub filters: BTreeMap<Kind, Filter>,
    /// How states in S3 are read.
    pub aws: AwsOptions,
    pub redaction: Redaction,
    pub checks: crate::checks::Options,
    pub output: OutputSettings,
}

/// History for `check`: where the previous run comes from and where this one goes.
#[derive(Debug, Clone)]
pub(crate) struct HistorySettings {
    /// The SQLite database (`--history`, `history`): a file or an S3 object.
    pub store: Option<crate::history::Store>,
    /// How an S3 history is read and written (the standard chain, as the flags adjust it).
    pub aws: AwsOptions,
    /// The previous run's JSON report (`--since`).
    pub since: Option<PathBuf>,
    /// Runs older than this many days are pruned (`history_keep_days`, 90).
    pub keep_days: u32,
    /// This run's time, RFC 3339 (`DRIFTWATCH_NOW` sets it, for reproducible reports).
    pub now: String,
}

/// One webhook of `[[notify]]`, resolved.
#[derive(Debug, Clone)]
pub(crate) struct NotifySettings {
    pub url: String,
    pub on: Vec<crate::config::NotifyOn>,
    pub format: crate::config::NotifyFormat,
    pub report_url: Option<String>,
    /// Per attempt.
    pub timeout: std::time::Duration,
}

/// `driftwatch history`.
#[derive(Debug)]
pub(crate) struct HistoryCommandSettings {
    pub store: crate::history::Store,
    pub aws: AwsOptions,
    /// `kind:id`: that resource's timeline.
    pub resource: Option<(Kind, String)>,
    pub limit: u32,
    pub format: crate::report::Format,
}

/// `driftwatch diff`.
#[derive(Debug)]
pub(crate) struct DiffSettings {
    /// A golden folder or a Terraform state, each.
    pub expected: String,
    pub actual: String,
    /// The workspace of `s3://` states, on either side.
    pub workspace: Option<String>,
    pub kinds: Vec<Kind>,
    pub rules: Rules,
    /// How states in S3 are read.
    pub aws: AwsOptions,
    /// What counts as a secret (`redact`), alike on both sides.
    pub redaction: Redaction,
    pub output: OutputSettings,
}

/// `driftwatch policy`.
#[derive(Debug)]
pub(crate) struct PolicySettings {
    pub kinds: Vec<Kind>,
    /// The states to grant reading, each with its workspace.
    pub states: Vec<(String, Option<String>)>,
    /// The history database's S3 object (`history = "s3://…"`), to grant reading and writing.
    pub history: Option<(String, String)>,
    /// `--org`: a side of an organization's checks instead of one account's.
    pub org: Option<OrgPolicy>,
}

/// The side of an organization's checks `policy --org` is for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OrgPolicy {
    /// What runs `plan`, the shards and `merge`: the role ARN of every account, `*` for the
    /// account id.
    Hub { role_arns: String },
    /// The role assumed in each account.
    Member,
}

/// Where a report goes and how it looks.
#[derive(Debug)]
pub(crate) struct OutputSettings {
    pub destinations: Vec<Destination>,
    /// `-q`: nothing when in sync, else the summary and a line per finding.
    pub quiet: bool,
    /// Colors in what goes to stdout.
    pub color: bool,
    /// A GitHub workflow annotation per finding, on stderr.
    pub github_annotations: bool,
}

/// What driftwatch reads from its environment, besides the AWS SDK's own variables (read by
/// the SDK) and whether stderr is a terminal (the log and the progress lines look themselves).
#[derive(Debug, Clone, Default)]
pub(crate) struct Environment {
    /// `NO_COLOR` is set and not empty (no-color.org).
    pub no_color: bool,
    /// `GITHUB_ACTIONS=true`: this run is a GitHub Actions step.
    pub github_actions: bool,
    /// stdout is a terminal: reports on stdout are colored only then.
    pub stdout_terminal: bool,
    /// The revision cache's folder ([`merge::cache_dir`]); none without a home folder.
    pub cache_dir: Option<PathBuf>,
    /// `DRIFTWATCH_NOW`: the run's time for history, instead of the clock.
    pub now: Option<String>,
}

impl Environment {
    pub(crate) fn read() -> Self {
        Environment {
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            github_actions: std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true"),
            stdout_terminal: std::io::stdout().is_terminal(),
            cache_dir: merge::cache_dir(
                std::env::var_os("DRIFTWATCH_CACHE_DIR").map(PathBuf::from),
                std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
                std::env::var_os("HOME").map(PathBuf::from),
            ),
            now: std::env::var("DRIFTWATCH_NOW")
                .ok()
                .filter(|v| !v.is_empty()),
        }
    }
}

/// The settings of the command `cli` asks for.
pub(crate) fn resolve(cli: &Cli) -> Result<Settings> {
    if let Command::Completions { shell } = &cli.command {
        // No file read: completions install from any folder, whatever its driftwatch.toml says.
        return Ok(Settings::Completions(*shell));
    }
    let config = load_config(&cli.global)?;
    resolve_with(cli, &config, &Environment::read())
}

/// [`resolve`] with the file and the environment already read.
fn resolve_with(cli: &Cli, config: &Config, env: &Environment) -> Result<Settings> {
    let g = &cli.global;
    Ok(match &cli.command {
        // The file's redaction and kinds apply: a snapshot must never write a secret the team
        // asked to redact.
        Command::Snapshot(a) => Settings::Snapshot(SnapshotSettings {
            out: a.out.clone(),
            any_account: a.any_account,
            kinds: merge::kinds(&a.kinds.kinds, &config.kinds),
            ids: id_globs(&a.ids)?,
            include_aws_managed: merge::include_aws_managed(
                a.kinds.include_aws_managed,
                config.include_aws_managed,
            ),
            aws: aws(g, config, env)?,
            quiet: g.quiet,
            redaction: redaction(config),
            lock_timeout: std::time::Duration::from_secs(a.lock_timeout),
        }),
        Command::Accept(a) => Settings::Accept(accept::resolve(g, a, config, env)?),
        Command::Check(a) => Settings::Check(check(g, a, config, env)?),
        Command::Diff(a) => Settings::Diff(DiffSettings {
            rules: rules(&a.ignore, config)?,
            expected: a.expected.clone(),
            actual: a.actual.clone(),
            workspace: merge::workspace(a.workspace.as_deref(), config.workspace.as_deref()),
            kinds: merge::kinds(&a.kinds.kinds, &config.kinds),
            aws: aws(g, config, env)?,
            redaction: redaction(config),
            // The file's `[[outputs]]` and `fail_on` are check's: a diff writes what its flags
            // ask for, and every drift status exits 1.
            output: output(g, merge::destinations(&a.output, &[]), env),
        }),
        Command::Policy(a) => Settings::Policy(PolicySettings {
            kinds: merge::kinds(&a.kinds.kinds, &config.kinds),
            states: merge::policy_states(&a.states, a.workspace.as_deref(), config),
            history: match config.history.as_deref().map(crate::history::Store::parse) {
                Some(Ok(crate::history::Store::S3 { bucket, key })) => Some((bucket, key)),
                _ => None,
            },
            org: match a.org {
                None => None,
                Some(cli::OrgSide::Member) => Some(OrgPolicy::Member),
                Some(cli::OrgSide::Hub) => Some(OrgPolicy::Hub {
                    role_arns: org::role_of(config.org.as_ref())?.arn(&a.partition, "*"),
                }),
            },
        }),
        Command::History(a) => {
            Settings::History(merge::history_command(a, config, aws(g, config, env)?)?)
        }
        Command::Completions { shell } => Settings::Completions(*shell),
        Command::Verify(a) => Settings::Verify(verify(g, a, config, env)?),
        Command::Plan(a) => Settings::Plan(org::plan(
            a,
            config.org.as_ref(),
            aws(g, config, env)?,
            g.quiet,
        )?),
        Command::Merge(a) => Settings::Merge(org_merge::resolve(g, a, config, env)?),
    })
}

fn verify(
    g: &Global,
    a: &cli::VerifyArgs,
    config: &Config,
    env: &Environment,
) -> Result<VerifySettings> {
    // No REF: the file's golden folder, else its first state, else ./golden.
    let reference = a
        .reference
        .clone()
        .or_else(|| config.golden.as_ref().map(|p| p.display().to_string()))
        .or_else(|| config.states.first().cloned())
        .unwrap_or_else(|| "golden".to_string());
    let mut checks = config.checks.clone();
    checks.enabled = Some(true);
    Ok(VerifySettings {
        reference,
        workspace: merge::workspace(a.workspace.as_deref(), config.workspace.as_deref()),
        account: a.account.clone(),
        states: config.states.clone(),
        lock_table: a.lock_table.clone().or(config.lock_table.clone()),
        kinds: merge::kinds(&a.kinds.kinds, &config.kinds),
        rules: rules(&a.ignore, config)?,
        filters: config.filters.clone(),
        aws: aws(g, config, env)?,
        redaction: redaction(config),
        checks,
        output: output(g, merge::destinations(&a.output, &[]), env),
    })
}

fn check(
    g: &Global,
    a: &cli::CheckArgs,
    config: &Config,
    env: &Environment,
) -> Result<CheckSettings> {
    let rules = rules(&a.ignore, config)?;
    let states = merge::states(&a.states, &config.states);
    let states_given = !states.is_empty() || config.targets.iter().any(|t| t.states.is_some());
    let base = Plan {
        name: None,
        aws: aws(g, config, env)?,
        golden: merge::golden(a.golden.as_deref(), config.golden.as_deref(), states_given),
        states,
        workspace: merge::workspace(a.workspace.as_deref(), config.workspace.as_deref()),
        lock_table: a.lock_table.clone().or(config.lock_table.clone()),
        kinds: merge::kinds(&a.kinds.kinds, &config.kinds),
    };
    let history_asked = a.history.history.is_some() || a.history.since.is_some();
    let shard = org_shard::resolve(&a.shard, history_asked, config, |v| std::env::var(v).ok())?;
    let plans = if a.actual.is_some() || shard.is_some() {
        vec![base]
    } else {
        targets::plans(g, &config.targets, base)
    };
    Ok(CheckSettings {
        plans,
        actual: a.actual.clone(),
        any_account: a.any_account,
        include_aws_managed: merge::include_aws_managed(
            a.kinds.include_aws_managed,
            config.include_aws_managed,
        ),
        rules,
        filters: config.filters.clone(),
        // The flag's, else the file's, else every drift status fails the run (exit::for_report).
        fail_on: merge::fail_on_statuses(&a.history.fail_on, config.fail_on.as_deref()),
        fail_on_new: merge::fail_on_new(&a.history.fail_on, config.fail_on.as_deref()),
        history: match shard {
            Some(_) => None,
            None => merge::history(&a.history, config, env, aws(g, config, env)?)?,
        },
        notify: match shard {
            Some(_) => Vec::new(),
            None => merge::notify(config, history_asked, |name| std::env::var(name).ok())?,
        },
        redaction: redaction(config),
        output: output(g, merge::destinations(&a.output, &config.outputs), env),
        checks: {
            let mut checks = config.checks.clone();
            if a.no_checks {
                checks.enabled = Some(false);
            }
            checks
        },
        shard,
    })
}

/// The `--id` globs of a scoped snapshot.
fn id_globs(ids: &[String]) -> Result<Vec<IdGlob>> {
    ids.iter()
        .map(|g| IdGlob::parse(g).map_err(|e| Error::Usage(format!("--id: {e}"))))
        .collect()
}

fn output(g: &Global, destinations: Vec<Destination>, env: &Environment) -> OutputSettings {
    OutputSettings {
        destinations,
        quiet: g.quiet,
        color: merge::color(g.no_color, env),
        github_annotations: env.github_actions,
    }
}

/// The AWS options of the standard chain, as the flags adjust it (a target's own come on top,
/// see [`targets::plans`]).
fn aws(g: &Global, config: &Config, env: &Environment) -> Result<AwsOptions> {
    let cached = merge::cache(g.no_cache, config.cache);
    Ok(AwsOptions {
        region: g.region.clone(),
        profile: g.profile.clone(),
        endpoint_url: g.endpoint_url.clone(),
        role_arn: None,
        limits: merge::limits(g, config)?,
        cache_dir: env.cache_dir.clone().filter(|_| cached),
        cache_on_custom_endpoint: cached && merge::cache_on_custom_endpoint(config.cache),
        tag_pages: cached,
        session: None,
    })
}

/// `driftwatch.toml` (or `--config`); without one, the defaults.
fn load_config(g: &Global) -> Result<Config> {
    let config = Config::load(g.config.as_deref())?
        .map(|(_, c)| c)
        .unwrap_or_default();
    Ok(config)
}

/// The file's `redact` patterns, else the defaults: passed to every source, so all redact alike.
fn redaction(config: &Config) -> Redaction {
    Redaction::configured(config.redact.as_ref())
}

/// The ignore rules: those of the ignore file ([`merge::ignore_file`]), then each `--ignore`.
fn rules(args: &cli::IgnoreArgs, config: &Config) -> Result<Rules> {
    let file = merge::ignore_file(
        args.ignore_file.as_deref(),
        config.ignore_file.as_deref(),
        Path::is_file,
    );
    let mut rules = Rules::default();
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        rules = Rules::parse_from(&text, Some(&path.display().to_string())).map_err(
            |(line, message)| Error::Invalid {
                path,
                message: format!("line {line}: {message}"),
            },
        )?;
    }
    for (i, rule) in args.rules.iter().enumerate() {
        let more = Rules::parse(rule)
            .map_err(|(_, message)| Error::Usage(format!("--ignore #{}: {message}", i + 1)))?;
        rules.extend(more);
    }
    Ok(rules)
}
