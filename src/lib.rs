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
pub mod model;
pub mod normalize;
pub mod progress;
pub mod report;
pub mod source;
pub mod terraform;

use std::io::{IsTerminal, Write};

use cli::{Cli, Command, Format, Global, Output};
use error::{Error, Result};
use model::{Inventory, Kind};
use report::Report;
use std::path::Path;

/// Runs one command and returns its exit code. Errors are printed here, once, on stderr.
pub fn run(cli: Cli) -> u8 {
    init_logging(&cli.global);
    match execute(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("driftwatch: error: {e}");
            exit::ERROR
        }
    }
}

fn execute(cli: &Cli) -> Result<u8> {
    let g = &cli.global;
    match &cli.command {
        Command::Snapshot { out, kinds } => {
            // The file's redaction and kinds apply: a snapshot must never write a secret the
            // team asked to redact.
            let config = load_config(g)?;
            let aws_managed = kinds.include_aws_managed || config.include_aws_managed;
            let kinds = scope_or_config(&kinds.kinds, &config);
            let fetched = fetch_live(g, &config, &kinds, aws_managed)?;
            let written = source::golden::write(out, &fetched.inventory)?;
            for e in &fetched.errors {
                let kind = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
                eprintln!("driftwatch: error: could not snapshot{kind}: {}", e.message);
            }
            if !g.quiet {
                println!(
                    "driftwatch: snapshot of {} resources in {}: {} written, {} unchanged, {} removed",
                    fetched.inventory.resources.len(),
                    out.display(),
                    written.written,
                    written.unchanged,
                    written.removed
                );
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
                aws_managed: kinds.include_aws_managed || config.include_aws_managed,
                rules: &rules,
                config: &config,
            };
            let report = check::run(&plans, &shared, g.quiet)?;
            let outputs_from_file =
                output.format.is_none() && output.output.is_none() && output.reports.is_empty();
            if outputs_from_file && !config.outputs.is_empty() {
                for o in &config.outputs {
                    let out = cli::Output {
                        format: Some(o.format),
                        output: o.path.clone(),
                        reports: Vec::new(),
                    };
                    emit(g, &out, &report)?;
                }
            } else {
                emit(g, output, &report)?;
            }
            annotate_for_github(&report);
            Ok(exit::for_report(&report, config.fail_on.as_deref()))
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
            let (exp_name, exp, exp_nc) = reference(&aws, expected, ws, &kinds)?;
            let (_, act, act_nc) = reference(&aws, actual, ws, &kinds)?;
            let mut report = diff::compare(&kinds, &[(exp_name, &exp)], &act, Vec::new(), &rules);
            if exp_nc.is_some() || act_nc.is_some() {
                let mut nc = exp_nc.unwrap_or_default();
                for (t, n) in act_nc.unwrap_or_default() {
                    *nc.entry(t).or_default() += n;
                }
                check::add_terraform_figures(&mut report, nc);
            }
            emit(g, output, &report)?;
            annotate_for_github(&report);
            Ok(exit::for_report(&report, None))
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
            println!("{}", policy_document(&kinds, &objects));
            Ok(exit::IN_SYNC)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "driftwatch", &mut std::io::stdout());
            Ok(exit::IN_SYNC)
        }
    }
}

/// The least-privilege policy: exactly the read-only actions the fetchers of `kinds` call, and
/// `s3:GetObject` on the state objects.
fn policy_document(kinds: &[Kind], state_objects: &[String]) -> String {
    let mut actions: Vec<&str> = kinds
        .iter()
        .flat_map(|k| fetch::actions(*k))
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

/// `driftwatch.toml` (or `--config`), with its redaction patterns put in force: every source
/// normalizes, and all must redact alike.
fn load_config(g: &Global) -> Result<config::Config> {
    let config = config::Config::load(g.config.as_deref())?
        .map(|(_, c)| c)
        .unwrap_or_default();
    if let Some(patterns) = &config.redact {
        normalize::task_definition::set_secret_name_patterns(patterns.clone());
    }
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
) -> Result<(&'static str, Inventory, Option<NotChecked>)> {
    if source::terraform::is_state_spec(spec) {
        let s = source::terraform::read(&[spec.to_string()], workspace, kinds, aws)?;
        Ok(("terraform", s.inventory, Some(s.not_checked)))
    } else {
        Ok((
            "golden",
            source::golden::read(Path::new(spec), kinds)?,
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

/// On GitHub Actions, one workflow annotation per finding (workflow commands are read from
/// stdout).
fn annotate_for_github(report: &Report) {
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        print!("{}", report::github::annotations(report));
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
        &progress::Progress::new(g.quiet),
    ))
    .and_then(|r| r)
    .map_err(Error::Usage)
}

/// Renders the report in the asked format to stdout or a file, and the extra reports.
fn emit(g: &Global, output: &Output, report: &Report) -> Result<()> {
    let format = output.format.unwrap_or(Format::Console);
    let color = output.output.is_none()
        && !g.no_color
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = render(format, report, color);
    for (format, path) in &output.reports {
        source::atomic::write(path, render(*format, report, false).as_bytes())?;
    }
    match &output.output {
        Some(path) => {
            source::atomic::write(path, text.as_bytes())?;
            if !g.quiet {
                println!("{}", report::console::summary_line(report));
            }
        }
        None if g.quiet && format == Format::Console => {}
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth an error message.
            let _ = out.write_all(text.as_bytes());
        }
    }
    for e in &report.errors {
        if output.output.is_some() || format != Format::Console {
            let kind = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
            eprintln!("driftwatch: error: could not check{kind}: {}", e.message);
        }
    }
    Ok(())
}

fn render(format: Format, report: &Report, color: bool) -> String {
    match format {
        Format::Console => report::console::render(report, color),
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
