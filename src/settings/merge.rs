//! The rule of each setting, one function apiece: the flag wins over `driftwatch.toml`, the file
//! over the default. Pure: the callers read the flags, the file and the environment, these
//! decide. A target's own settings come on top in `targets.rs`.

use std::path::{Path, PathBuf};

use super::{Environment, HistoryCommandSettings, HistorySettings, NotifySettings};
use crate::aws::limits::Limits;
use crate::aws::AwsOptions;
use crate::cli::{Global, HistoryArgs, HistoryCommandArgs, Output};
use crate::config::{Config, OutputSpec};
use crate::diff::{FailOn, Status};
use crate::error::{Error, Result};
use crate::history::Store;
use crate::model::Kind;
use crate::report::Format;

/// The ignore file read when neither the flag nor the file names one, if it exists.
pub(super) const DEFAULT_IGNORE_FILE: &str = ".driftignore";
/// The golden folder compared when no reference at all is given.
pub(super) const DEFAULT_GOLDEN: &str = "golden";

/// One report: a format, written to a file (atomically) or, without a path, to stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Destination {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// The kinds in scope: those of `--kind` (sorted, each once), else the file's, else every kind.
pub(super) fn kinds(flag: &[Kind], file: &[Kind]) -> Vec<Kind> {
    let asked = if flag.is_empty() { file } else { flag };
    if asked.is_empty() {
        Kind::ALL.to_vec()
    } else {
        let mut k = asked.to_vec();
        k.sort();
        k.dedup();
        k
    }
}

/// AWS-managed resources are fetched when the flag or the file asks for them: a switch that can
/// only be turned on.
pub(super) fn include_aws_managed(flag: bool, file: bool) -> bool {
    flag || file
}

/// The Terraform states: those of `--state`, else the file's.
pub(super) fn states(flag: &[String], file: &[String]) -> Vec<String> {
    if flag.is_empty() { file } else { flag }.to_vec()
}

/// The golden folder: `--golden`, else the file's, else `./golden`, but the default only when
/// no state is given anywhere (flag, file or a target): a state alone is a whole reference.
pub(super) fn golden(
    flag: Option<&Path>,
    file: Option<&Path>,
    states_given: bool,
) -> Option<PathBuf> {
    match flag.or(file) {
        Some(d) => Some(d.to_path_buf()),
        None if !states_given => Some(DEFAULT_GOLDEN.into()),
        None => None,
    }
}

/// The Terraform workspace of `s3://` states: `--workspace`, else the file's, else none (the
/// `default` workspace).
pub(super) fn workspace(flag: Option<&str>, file: Option<&str>) -> Option<String> {
    flag.or(file).map(str::to_string)
}

/// The ignore file: `--ignore-file`, else the file's `ignore_file`, else `./.driftignore` when
/// `exists` says it does, else none.
pub(super) fn ignore_file(
    flag: Option<&Path>,
    file: Option<&Path>,
    exists: impl FnOnce(&Path) -> bool,
) -> Option<PathBuf> {
    let default = Path::new(DEFAULT_IGNORE_FILE);
    match flag.or(file) {
        Some(f) => Some(f.to_path_buf()),
        None if exists(default) => Some(default.to_path_buf()),
        None => None,
    }
}

/// Where reports go. The flags' when any of `--format`, `--output` or `--report` is given: each
/// `--report`, then the asked format (console by default) to `--output` or stdout. Without any,
/// the file's `[[outputs]]` if it has some, else the console report on stdout.
pub(super) fn destinations(flag: &Output, file: &[OutputSpec]) -> Vec<Destination> {
    let flags_given = flag.format.is_some() || flag.output.is_some() || !flag.reports.is_empty();
    if !flags_given && !file.is_empty() {
        return file
            .iter()
            .map(|o| Destination {
                format: o.format,
                path: o.path.clone(),
            })
            .collect();
    }
    let mut out: Vec<Destination> = flag
        .reports
        .iter()
        .map(|(format, path)| Destination {
            format: *format,
            path: Some(path.clone()),
        })
        .collect();
    out.push(Destination {
        format: flag.format.unwrap_or(Format::Console),
        path: flag.output.clone(),
    });
    out
}

/// Timeouts and attempts: each of `--timeout`, `--max-attempts` and `--deadline` over the
/// file's, over the defaults of [`Limits`]; zero is refused.
pub(super) fn limits(flags: &Global, file: &Config) -> Result<Limits> {
    Limits::resolve(
        flags.timeout.or(file.timeout),
        flags.max_attempts.or(file.max_attempts),
        flags.deadline.or(file.deadline),
    )
    .map_err(Error::Usage)
}

/// Whether the revision cache and the Tagging API are used: yes unless `--no-cache` or the
/// file's `cache = false` says no (a switch the flag can only turn off).
pub(super) fn cache(no_cache_flag: bool, file: Option<bool>) -> bool {
    !no_cache_flag && file.unwrap_or(true)
}

/// Whether the revision cache is used on a custom endpoint (`--endpoint-url`,
/// `AWS_ENDPOINT_URL`, a target's `endpoint_url`): only when the file says `cache = true`. A
/// local server (moto, LocalStack) that is reset registers `family:1` again with other
/// content under the same ARN, which the cache cannot tell from the revision it holds; AWS
/// never reuses an ARN.
pub(super) fn cache_on_custom_endpoint(file: Option<bool>) -> bool {
    file == Some(true)
}

/// The revision cache's folder: `DRIFTWATCH_CACHE_DIR`, else `$XDG_CACHE_HOME/driftwatch`, else
/// `~/.cache/driftwatch` (the XDG base directory rules: a relative `XDG_CACHE_HOME` is
/// ignored), else none (no home: nothing is cached). Empty values count as unset.
pub(super) fn cache_dir(
    own: Option<PathBuf>,
    xdg_cache_home: Option<PathBuf>,
    home: Option<PathBuf>,
) -> Option<PathBuf> {
    let set = |p: Option<PathBuf>| p.filter(|p| !p.as_os_str().is_empty());
    set(own)
        .or_else(|| {
            set(xdg_cache_home)
                .filter(|p| p.is_absolute())
                .map(|p| p.join("driftwatch"))
        })
        .or_else(|| set(home).map(|h| h.join(".cache/driftwatch")))
}

/// Colors on stdout: not with `--no-color`, not with `NO_COLOR`, and only on a terminal.
pub(super) fn color(no_color_flag: bool, env: &Environment) -> bool {
    !no_color_flag && !env.no_color && env.stdout_terminal
}

/// The states `policy` grants reading, each with its workspace: those of `--state`, in
/// `--workspace`; else the file's top-level states, in `--workspace` or the file's `workspace`,
/// and each target's states, in the target's own workspace or that one.
pub(super) fn policy_states(
    flag: &[String],
    flag_workspace: Option<&str>,
    file: &Config,
) -> Vec<(String, Option<String>)> {
    let with = |states: &[String], ws: &Option<String>| {
        states
            .iter()
            .map(|s| (s.clone(), ws.clone()))
            .collect::<Vec<_>>()
    };
    if !flag.is_empty() {
        return with(flag, &flag_workspace.map(str::to_string));
    }
    let ws = workspace(flag_workspace, file.workspace.as_deref());
    let mut specs = with(&file.states, &ws);
    for t in &file.targets {
        let ws = t.workspace.clone().or(ws.clone());
        specs.extend(with(t.states.as_deref().unwrap_or_default(), &ws));
    }
    specs
}

/// The `fail_on` of `--fail-on`, else of the file: the flag's list replaces the file's.
fn fail_on_list<'a>(flag: &'a [FailOn], file: Option<&'a [FailOn]>) -> Option<&'a [FailOn]> {
    if flag.is_empty() {
        file
    } else {
        Some(flag)
    }
}

/// The statuses of `fail_on` (`new` aside); none listed means every drift status.
pub(super) fn fail_on_statuses(flag: &[FailOn], file: Option<&[FailOn]>) -> Option<Vec<Status>> {
    let statuses: Vec<Status> = fail_on_list(flag, file)?
        .iter()
        .filter_map(|f| match f {
            FailOn::InSync => Some(Status::InSync),
            FailOn::Modified => Some(Status::Modified),
            FailOn::Missing => Some(Status::Missing),
            FailOn::Unmanaged => Some(Status::Unmanaged),
            FailOn::New => None,
        })
        .collect();
    (!statuses.is_empty()).then_some(statuses)
}

/// Whether `fail_on` has `new`: then only new findings (of the listed statuses) exit 1.
pub(super) fn fail_on_new(flag: &[FailOn], file: Option<&[FailOn]>) -> bool {
    fail_on_list(flag, file).is_some_and(|l| l.contains(&FailOn::New))
}

/// History for `check`: `--history` over the file's `history`, or `--since`; `fail_on new`
/// without either is refused (it would never know what is new). `--since` with a database
/// configured in the file uses `--since` alone.
pub(super) fn history(
    flag: &HistoryArgs,
    file: &Config,
    env: &Environment,
    aws: AwsOptions,
) -> Result<Option<HistorySettings>> {
    let database = match (&flag.since, &flag.history) {
        (Some(_), _) => None,
        (None, h) => h
            .as_ref()
            .or(file.history.as_ref())
            .map(|spec| Store::parse(spec).map_err(Error::Usage))
            .transpose()?,
    };
    if database.is_none() && flag.since.is_none() {
        if fail_on_new(&flag.fail_on, file.fail_on.as_deref()) {
            return Err(Error::Usage(
                "fail_on `new` needs a previous run: pass --history PATH or --since REPORT.json"
                    .into(),
            ));
        }
        return Ok(None);
    }
    let now = match &env.now {
        Some(text) => crate::history::parse_time(text)
            .map(crate::history::rfc3339)
            .ok_or_else(|| {
                Error::Usage(format!("DRIFTWATCH_NOW=`{text}` is not an RFC 3339 time"))
            })?,
        None => crate::history::rfc3339(std::time::SystemTime::now().into()),
    };
    Ok(Some(HistorySettings {
        store: database,
        aws,
        since: flag.since.clone(),
        keep_days: file.history_keep_days.unwrap_or(DEFAULT_KEEP_DAYS),
        now,
    }))
}

/// `driftwatch history`: the database of `--history`, else of the file.
pub(super) fn history_command(
    flag: &HistoryCommandArgs,
    file: &Config,
    aws: AwsOptions,
) -> Result<HistoryCommandSettings> {
    let spec = flag
        .history
        .as_ref()
        .or(file.history.as_ref())
        .ok_or_else(|| {
            Error::Usage(
                "no history database: pass --history PATH or set `history` in driftwatch.toml"
                    .into(),
            )
        })?;
    let resource = match &flag.resource {
        None => None,
        Some(text) => {
            let (kind, id) = text
                .split_once(':')
                .filter(|(_, id)| !id.is_empty())
                .ok_or_else(|| Error::Usage(format!("--resource `{text}`: expected KIND:ID")))?;
            let kind: Kind = kind
                .parse()
                .map_err(|e| Error::Usage(format!("--resource `{text}`: {e}")))?;
            Some((kind, id.to_string()))
        }
    };
    let format = flag.format.unwrap_or(Format::Console);
    // The run list and the timeline have three renderers: another format would silently be
    // the console's text under the name asked for.
    if !matches!(format, Format::Console | Format::Json | Format::Markdown) {
        return Err(Error::Usage(
            "history --format: console, json or markdown (the HTML report's chart of past runs \
             is in `check --history DB --report html=PATH`)"
                .to_string(),
        ));
    }
    Ok(HistoryCommandSettings {
        store: Store::parse(spec).map_err(Error::Usage)?,
        aws,
        resource,
        limit: flag.limit,
        format,
    })
}

/// Days of runs a history database keeps by default.
pub(super) const DEFAULT_KEEP_DAYS: u32 = 90;

/// The webhooks of `[[notify]]`: each URL from `url` or the variable `url_env` names (`lookup`
/// reads it); `on` defaults to new findings and errors. Listening for `new` or `resolved`
/// without a history (the file's `history`, `--history` or `--since`) is refused: they would never happen.
pub(super) fn notify(
    file: &Config,
    history_given: bool,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Vec<NotifySettings>> {
    use crate::config::{NotifyFormat, NotifyOn};
    let mut out = Vec::new();
    for (i, n) in file.notify.iter().enumerate() {
        let which = format!("[[notify]] #{}", i + 1);
        let url = match (&n.url, &n.url_env) {
            (Some(url), None) => url.clone(),
            (None, Some(var)) => lookup(var)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| Error::Usage(format!("{which}: ${var} is not set")))?,
            _ => {
                return Err(Error::Usage(format!(
                    "{which}: give the webhook as `url` or `url_env` (one of them)"
                )))
            }
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Error::Usage(format!(
                "{which}: the URL must be http(s)://…"
            )));
        }
        let on = n.on.clone().unwrap_or(vec![NotifyOn::New, NotifyOn::Error]);
        let history = file.history.is_some() || history_given;
        if !history
            && on
                .iter()
                .any(|o| matches!(o, NotifyOn::New | NotifyOn::Resolved))
        {
            return Err(Error::Usage(format!(
                "{which}: `new` and `resolved` need a history (`history` in the file, or --since); \
                 without one, listen for `drift` and `error`"
            )));
        }
        out.push(NotifySettings {
            url,
            on,
            format: n.format.unwrap_or(NotifyFormat::Slack),
            report_url: n.report_url.clone(),
            timeout: std::time::Duration::from_secs(n.timeout.unwrap_or(10).max(1)),
        });
    }
    Ok(out)
}
