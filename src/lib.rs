//! driftwatch: does what runs in this AWS account still match what we committed?
//!
//! ```text
//! sources (live fetch/, golden/) ──► normalize ──► Inventory ──► diff ──► Report ──► render
//! ```
//!
//! Only `source/` and `fetch/` do I/O; `normalize`, `diff` and `report` are pure. [`run`] wires
//! the stages for one command and returns the exit code (see [`exit`]).

pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
pub mod error;
pub mod exit;
pub mod fetch;
pub mod ignore;
pub mod interrupt;
pub mod kinds;
pub mod model;
pub mod normalize;
pub mod out;
pub mod progress;
pub mod report;
pub mod scope;
pub mod source;
pub mod terraform;

use std::io::IsTerminal;

use cli::{Cli, Command, Format, Global, Output};
use error::{Error, Result};
use model::{Inventory, Kind};
use report::Report;
use std::path::Path;

/// Runs one command and returns its exit code. Errors are printed here, once, on stderr.
pub fn run(cli: Cli) -> u8 {
    init_logging(&cli.global);
    match execute(&cli) {
        Ok(code) => match interrupt::requested() {
            Some(sig) => {
                out::diag(&format!("driftwatch: {}", Error::Interrupted(sig)));
                exit::interrupted(sig)
            }
            None => code,
        },
        Err(Error::Interrupted(sig)) => {
            out::diag(&format!("driftwatch: {}", Error::Interrupted(sig)));
            exit::interrupted(sig)
        }
        Err(e) => {
            for line in e.to_string().lines() {
                out::diag(&format!("driftwatch: error: {line}"));
            }
            exit::ERROR
        }
    }
}

fn execute(cli: &Cli) -> Result<u8> {
    let g = &cli.global;
    match &cli.command {
        Command::Snapshot {
            out,
            kinds,
            any_account,
        } => {
            // The file's redaction and kinds apply: a snapshot must never write a secret the
            // team asked to redact.
            let config = load_config(g)?;
            let aws_managed = kinds.include_aws_managed || config.include_aws_managed;
            let kinds = scope_or_config(&kinds.kinds, &config);
            let recorded = source::golden::meta::read(out)?;
            let fetched = fetch_live(g, &config, &kinds, aws_managed)?;
            for e in &fetched.errors {
                let kind = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
                out::diag(&format!(
                    "driftwatch: error: could not snapshot{kind}: {}",
                    e.message
                ));
            }
            let identity =
                snapshot_identity(out, recorded.as_ref(), &fetched, &kinds, *any_account)?;
            let written = source::golden::write(out, &fetched.inventory, identity)?;
            if !g.quiet {
                out::line(&format!(
                    "driftwatch: snapshot of {} resources in {}: {} written, {} unchanged, {} removed",
                    fetched.inventory.resources.len(),
                    out.display(),
                    written.written,
                    written.unchanged,
                    written.removed
                ))?;
            }
            Ok(if fetched.errors.is_empty() {
                exit::IN_SYNC
            } else {
                exit::ERROR
            })
        }
        Command::Check {
            golden,
            states,
            workspace,
            actual,
            kinds,
            ignore,
            output,
            any_account,
        } => {
            let config = load_config(g)?;
            let rules = load_rules(ignore, config.ignore_file.as_deref())?;

            let states = if states.is_empty() {
                config.states.clone()
            } else {
                states.clone()
            };
            let golden = match golden.clone().or(config.golden.clone()) {
                Some(d) => Some(d),
                None if states.is_empty() && config.targets.iter().all(|t| t.states.is_none()) => {
                    Some("golden".into())
                }
                None => None,
            };
            let base = check::Plan {
                name: None,
                aws: aws(g, &config)?,
                golden,
                states,
                workspace: workspace.clone().or(config.workspace.clone()),
                kinds: scope_or_config(&kinds.kinds, &config),
            };
            let plans = if actual.is_some() {
                vec![base]
            } else {
                check::plans(g, &config, base)
            };
            let shared = check::Shared {
                actual: actual.as_ref(),
                any_account: *any_account,
                aws_managed: kinds.include_aws_managed || config.include_aws_managed,
                rules: &rules,
                config: &config,
            };
            let report = check::run(&plans, &shared, g.quiet)?;
            let code = exit::for_report(&report, config.fail_on.as_deref());
            let outputs_from_file =
                output.format.is_none() && output.output.is_none() && output.reports.is_empty();
            if outputs_from_file && !config.outputs.is_empty() {
                let outputs: Vec<cli::Output> = config
                    .outputs
                    .iter()
                    .map(|o| cli::Output {
                        format: Some(o.format),
                        output: o.path.clone(),
                        reports: Vec::new(),
                    })
                    .collect();
                emit(g, &outputs, &report, code)?;
            } else {
                emit(g, std::slice::from_ref(output), &report, code)?;
            }
            Ok(code)
        }
        Command::Diff {
            expected,
            actual,
            workspace,
            kinds,
            ignore,
            output,
        } => {
            let config = load_config(g)?;
            let rules = load_rules(ignore, config.ignore_file.as_deref())?;
            let kinds = scope_or_config(&kinds.kinds, &config);
            let ws = workspace.as_deref();
            let aws = aws(g, &config)?;
            let r = &normalize::Redaction::configured(config.redact.as_ref());
            let (exp_name, exp, exp_nc) = reference(&aws, expected, ws, &kinds, r)?;
            let (_, act, act_nc) = reference(&aws, actual, ws, &kinds, r)?;
            let mut report = diff::compare(&kinds, &[(exp_name, &exp)], &act, Vec::new(), &rules);
            if exp_nc.is_some() || act_nc.is_some() {
                let nc =
                    not_checked_of_both(exp_nc.unwrap_or_default(), act_nc.unwrap_or_default());
                check::add_terraform_figures(&mut report, nc);
            }
            let code = exit::for_report(&report, None);
            emit(g, std::slice::from_ref(output), &report, code)?;
            Ok(code)
        }
        Command::Policy {
            kinds,
            states,
            workspace,
        } => {
            // The configured kinds and states count, the flags' first.
            let config = load_config(g)?;
            let kinds = scope_or_config(&kinds.kinds, &config);
            let mut specs: Vec<(String, Option<String>)> = states
                .iter()
                .map(|s| (s.clone(), workspace.clone()))
                .collect();
            if specs.is_empty() {
                let ws = || workspace.clone().or(config.workspace.clone());
                specs.extend(config.states.iter().map(|s| (s.clone(), ws())));
                for t in &config.targets {
                    let ws = t.workspace.clone().or(ws());
                    specs.extend(t.states.iter().flatten().map(|s| (s.clone(), ws.clone())));
                }
            }
            let mut objects: Vec<String> = specs
                .iter()
                .filter_map(|(s, ws)| source::terraform::s3_object(s, ws.as_deref()))
                .map(|(b, k)| format!("arn:aws:s3:::{b}/{k}"))
                .collect();
            objects.sort();
            objects.dedup();
            out::line(&policy_document(&kinds, &objects))?;
            Ok(exit::IN_SYNC)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            // Into memory first: clap_complete panics when its writer fails (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "driftwatch", &mut script);
            out::print(&String::from_utf8_lossy(&script))?;
            Ok(exit::IN_SYNC)
        }
    }
}

/// The identity a snapshot records in the folder: the live one. A folder recorded from another
/// account or region is not overwritten unless `--any-account`; an identity that could not be
/// read stops the snapshot (it could be any account) unless `--any-account`, and then the record
/// is left as it was.
fn snapshot_identity<'a>(
    out: &Path,
    recorded: Option<&model::Identity>,
    fetched: &'a source::live::Fetched,
    kinds: &[Kind],
    any_account: bool,
) -> Result<Option<&'a model::Identity>> {
    match (&fetched.identity, recorded) {
        (Ok(live), Some(rec)) if !any_account => {
            source::golden::meta::ensure_same(out, rec, live, kinds)?;
            Ok(Some(live))
        }
        (Ok(live), _) => Ok(Some(live)),
        (Err(_), _) if any_account => Ok(None),
        (Err(e), _) => Err(Error::Usage(format!(
            "cannot tell which account the credentials belong to, so {} is not written: {e}",
            out.display()
        ))),
    }
}

/// The least-privilege policy: exactly the read-only actions the fetchers of `kinds` call, and
/// `s3:GetObject` on the state objects.
fn policy_document(kinds: &[Kind], state_objects: &[String]) -> String {
    let mut actions: Vec<&str> = kinds
        .iter()
        .flat_map(|k| k.def().actions)
        .chain(fetch::common_actions())
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
    serde_json::to_string_pretty(&serde_json::json!({
        "Version": "2012-10-17", "Statement": statements
    }))
    .unwrap_or_default()
}

type NotChecked = std::collections::BTreeMap<String, usize>;

/// The Terraform types `diff` could not compare, each side's instances counted once: per type
/// the larger of the two counts. Both sides describe the same infrastructure, so an unmapped
/// cluster in each is one cluster not compared (`diff A A` says 1, not 2).
fn not_checked_of_both(expected: NotChecked, actual: NotChecked) -> NotChecked {
    let mut nc = expected;
    for (t, n) in actual {
        let e = nc.entry(t).or_default();
        *e = (*e).max(n);
    }
    nc
}

/// `driftwatch.toml` (or `--config`). Its redaction patterns go to every source that
/// normalizes (`normalize::Redaction`), so all redact alike.
fn load_config(g: &Global) -> Result<config::Config> {
    let config = config::Config::load(g.config.as_deref())?
        .map(|(_, c)| c)
        .unwrap_or_default();
    Ok(config)
}

/// The ignore rules: the ignore file (given, or ./.driftignore if present), then `--ignore`.
fn load_rules(args: &cli::Ignore, from_config: Option<&Path>) -> Result<ignore::Rules> {
    let default = Path::new(".driftignore");
    let file = match (&args.ignore_file, from_config) {
        (Some(f), _) => Some(f.as_path()),
        (None, Some(f)) => Some(f),
        (None, None) if default.is_file() => Some(default),
        (None, None) => None,
    };
    let mut rules = ignore::Rules::default();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        rules = ignore::Rules::parse(&text).map_err(|(line, message)| Error::Invalid {
            path: path.to_path_buf(),
            message: format!("line {line}: {message}"),
        })?;
    }
    for (i, rule) in args.rules.iter().enumerate() {
        let more = ignore::Rules::parse(rule)
            .map_err(|(_, message)| Error::Usage(format!("--ignore #{}: {message}", i + 1)))?;
        rules.extend(more);
    }
    Ok(rules)
}

/// A golden folder or a Terraform state, told apart by what `spec` names.
fn reference(
    aws: &fetch::AwsOptions,
    spec: &str,
    workspace: Option<&str>,
    kinds: &[Kind],
    redaction: &normalize::Redaction,
) -> Result<(&'static str, Inventory, Option<NotChecked>)> {
    if source::terraform::is_state_spec(spec) {
        let s = source::terraform::read(&[spec.to_string()], workspace, kinds, aws, redaction)?;
        Ok(("terraform", s.inventory, Some(s.not_checked)))
    } else {
        Ok((
            "golden",
            source::golden::read(Path::new(spec), kinds, redaction)?,
            None,
        ))
    }
}

fn aws(g: &Global, config: &config::Config) -> Result<fetch::AwsOptions> {
    let limits = fetch::limits::Limits::resolve(
        g.timeout.or(config.timeout),
        g.max_attempts.or(config.max_attempts),
        g.deadline.or(config.deadline),
    )
    .map_err(Error::Usage)?;
    Ok(fetch::AwsOptions {
        region: g.region.clone(),
        profile: g.profile.clone(),
        endpoint_url: g.endpoint_url.clone(),
        role_arn: None,
        limits,
    })
}

/// The kinds asked for on the command line, else those of the configuration, else all.
fn scope_or_config(asked: &[Kind], config: &config::Config) -> Vec<Kind> {
    scope(if asked.is_empty() {
        &config.kinds
    } else {
        asked
    })
}

/// On GitHub Actions, one workflow annotation per finding. On stderr: the runner reads workflow
/// commands from both streams, and stdout stays the report alone (`--format json | jq`).
fn annotate_for_github(report: &Report) {
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        out::diag_raw(&report::github::annotations(report));
    }
}

/// The kinds a command works on: those asked for, or all.
fn scope(asked: &[Kind]) -> Vec<Kind> {
    if asked.is_empty() {
        Kind::ALL.to_vec()
    } else {
        let mut k = asked.to_vec();
        k.sort();
        k.dedup();
        k
    }
}

fn fetch_live(
    g: &Global,
    config: &config::Config,
    kinds: &[Kind],
    aws_managed: bool,
) -> Result<source::live::Fetched> {
    fetch::block_on(source::live::fetch(
        &aws(g, config)?,
        kinds,
        aws_managed,
        &normalize::Redaction::configured(config.redact.as_ref()),
        &progress::Progress::new(g.quiet),
    ))?
    .map_err(Error::Fetch)
}

/// Writes each output (the asked format to stdout or its file, and the extra reports), then
/// what goes beside them: on stdout the summary line when no report went there, or with `-q`
/// the summary and a line per finding, but nothing at all when the run is clean (exit 0); on
/// stderr each error once, and the GitHub annotations.
fn emit(g: &Global, outputs: &[Output], report: &Report, code: u8) -> Result<()> {
    let color = !g.no_color
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut on_stdout = false;
    for output in outputs {
        let format = output.format.unwrap_or(Format::Console);
        for (format, path) in &output.reports {
            source::atomic::write(path, render(*format, report, false, true).as_bytes())?;
        }
        match &output.output {
            Some(path) => {
                source::atomic::write(path, render(format, report, false, true).as_bytes())?
            }
            // `-q` stands for the console report; a format asked for by name is still written.
            None if g.quiet && format == Format::Console => {}
            None => {
                on_stdout = true;
                out::print(&render(format, report, color, false))?;
            }
        }
    }
    if g.quiet && !on_stdout && code != exit::IN_SYNC {
        out::print(&report::console::quiet(report))?;
    } else if !g.quiet && !on_stdout {
        out::line(&report::console::summary_line(report))?;
    }
    for e in &report.errors {
        out::diag(&format!(
            "driftwatch: error: {}",
            report::console::error_line(e)
        ));
    }
    annotate_for_github(report);
    Ok(())
}

/// The report in `format`. `errors` lists the errors in a console report (for files; on stdout
/// they are on stderr already).
fn render(format: Format, report: &Report, color: bool, errors: bool) -> String {
    match format {
        Format::Console => report::console::render(report, color, errors),
        Format::Json => report::json::render(report),
        Format::Markdown => report::markdown::render(report),
        Format::Ignore => report::ignore_rules::render(report),
        Format::Junit => report::junit::render(report),
    }
}

fn init_logging(g: &Global) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let filter = match g.verbose {
        _ if g.quiet => Targets::new().with_default(LevelFilter::ERROR),
        // The SDK warns about every credential and region source it tries; our own error says
        // what is missing and how to fix it.
        0 => Targets::new()
            .with_default(LevelFilter::ERROR)
            .with_target("driftwatch", LevelFilter::WARN),
        1 => Targets::new()
            .with_default(LevelFilter::WARN)
            .with_target("driftwatch", LevelFilter::INFO),
        2 => Targets::new()
            .with_default(LevelFilter::INFO)
            .with_target("driftwatch", LevelFilter::DEBUG),
        _ => Targets::new().with_default(LevelFilter::TRACE),
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(!g.no_color && std::io::stderr().is_terminal())
        .without_time()
        .with_target(g.verbose >= 2);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::{not_checked_of_both, NotChecked};

    fn nc(items: &[(&str, usize)]) -> NotChecked {
        items.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    #[test]
    fn diff_counts_each_sides_unmapped_types_once() {
        let a = nc(&[("aws_ecs_cluster", 1), ("aws_cloudwatch_log_group", 2)]);
        assert_eq!(not_checked_of_both(a.clone(), a.clone()), a);
        assert_eq!(
            not_checked_of_both(a, nc(&[("aws_ecs_cluster", 3), ("aws_lb", 1)])),
            nc(&[
                ("aws_cloudwatch_log_group", 2),
                ("aws_ecs_cluster", 3),
                ("aws_lb", 1)
            ])
        );
    }
}
