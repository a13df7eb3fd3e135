//! `driftwatch accept`'s settings: the selectors, and the golden folders it may write with the
//! account each is taken from. With `[[targets]]` in the file these are the targets, as `check`
//! reads them (a target's own golden folder, region, profile, role and endpoint); which target a
//! selector means is settled by the command, from what the folders hold.

use std::path::PathBuf;
use std::time::Duration;

use crate::aws::AwsOptions;
use crate::cli::{AcceptArgs, Global};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ignore::{IdGlob, Rules};
use crate::model::Kind;
use crate::normalize::Redaction;

use super::{merge, targets, Environment, OutputSettings, Plan};

/// `driftwatch accept`.
#[derive(Debug)]
pub(crate) struct AcceptSettings {
    /// Where accepting may write: one per target of the file, or one without a name (the flags
    /// and the file) when it has none.
    pub targets: Vec<AcceptTarget>,
    /// The resources named.
    pub selectors: Vec<Selector>,
    /// A snapshot folder to take the documents from instead of the live account.
    pub actual: Option<PathBuf>,
    pub dry_run: bool,
    pub any_account: bool,
    pub include_aws_managed: bool,
    /// Ignored paths keep their golden value.
    pub rules: Rules,
    pub redaction: Redaction,
    pub output: OutputSettings,
    /// How long to wait for another writer of a golden folder (`--lock-timeout`).
    pub lock_timeout: Duration,
}

/// A golden folder `accept` may write, and the account its documents come from.
#[derive(Debug, Clone)]
pub(crate) struct AcceptTarget {
    /// The target's name in the file; none without targets.
    pub name: Option<String>,
    pub golden: PathBuf,
    pub aws: AwsOptions,
}

/// One `[TARGET:]KIND:ID-GLOB` argument.
#[derive(Debug, Clone)]
pub(crate) struct Selector {
    /// The target it names, if it names one.
    pub target: Option<String>,
    pub kind: Kind,
    pub id: IdGlob,
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(t) = &self.target {
            write!(f, "{t}:")?;
        }
        write!(f, "{}:{}", self.kind, self.id.as_str())
    }
}

pub(super) fn resolve(
    g: &Global,
    a: &AcceptArgs,
    config: &Config,
    env: &Environment,
) -> Result<AcceptSettings> {
    let names: Vec<&str> = config.targets.iter().map(|t| t.name.as_str()).collect();
    let selectors = a
        .resources
        .iter()
        .map(|s| selector(s, &names).map_err(Error::Usage))
        .collect::<Result<Vec<_>>>()?;
    // The folders and accounts `check` compares: a target's own golden folder, else the flag's,
    // else the file's, else ./golden; its region, profile, role and endpoint (the flags win).
    let base = Plan {
        name: None,
        aws: super::aws(g, config, env)?,
        golden: merge::golden(a.golden.as_deref(), config.golden.as_deref(), false),
        states: Vec::new(),
        workspace: None,
        lock_table: None,
        kinds: Vec::new(),
    };
    let targets = targets::plans(g, &config.targets, base)
        .into_iter()
        .map(|p| AcceptTarget {
            name: p.name,
            golden: p.golden.unwrap_or_else(|| merge::DEFAULT_GOLDEN.into()),
            aws: p.aws,
        })
        .collect();
    Ok(AcceptSettings {
        targets,
        selectors,
        actual: a.actual.clone(),
        dry_run: a.dry_run,
        any_account: a.any_account,
        include_aws_managed: merge::include_aws_managed(
            a.include_aws_managed,
            config.include_aws_managed,
        ),
        rules: super::rules(&a.ignore, config)?,
        redaction: super::redaction(config),
        // The diff of what was accepted goes to stdout, as `check` prints it.
        output: super::output(g, Vec::new(), env),
        lock_timeout: Duration::from_secs(a.lock_timeout),
    })
}

/// `KIND:ID-GLOB`, or `TARGET:KIND:ID-GLOB` naming one of `targets` (kind names hold no `:`, so
/// the first part is a target exactly when it is not a kind).
fn selector(text: &str, targets: &[&str]) -> std::result::Result<Selector, String> {
    let expected = || {
        format!(
            "`{text}`: expected KIND:ID-GLOB (or TARGET:KIND:ID-GLOB), e.g. \
             aws_ecs_task_definition:retainwise-backend"
        )
    };
    let (first, rest) = text.split_once(':').ok_or_else(expected)?;
    let (target, kind, id) = match first.parse::<Kind>() {
        Ok(kind) => (None, kind, rest),
        Err(e) => match rest.split_once(':') {
            Some((kind, id)) if kind.parse::<Kind>().is_ok() => {
                if !targets.contains(&first) {
                    return Err(match targets {
                        [] => format!(
                            "`{text}` names the target `{first}`, but the configuration has no \
                             [[targets]]"
                        ),
                        _ => format!(
                            "`{text}`: no target is named `{first}` (targets: {})",
                            targets.join(", ")
                        ),
                    });
                }
                let kind = kind.parse::<Kind>().map_err(|e| format!("`{text}`: {e}"))?;
                (Some(first.to_string()), kind, id)
            }
            _ => return Err(format!("`{text}`: {e}")),
        },
    };
    let id = IdGlob::parse(id).map_err(|e| format!("`{text}`: {e}"))?;
    Ok(Selector { target, kind, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_may_name_its_target() {
        let s = selector("aws_sqs_queue:jobs", &["us", "eu"]).unwrap();
        assert_eq!((s.target, s.kind), (None, Kind::SqsQueue));
        let s = selector("eu:aws_sqs_queue:jobs", &["us", "eu"]).unwrap();
        assert_eq!(s.target.as_deref(), Some("eu"));
        assert_eq!(s.to_string(), "eu:aws_sqs_queue:jobs");
        let e = selector("asia:aws_sqs_queue:jobs", &["us", "eu"]).unwrap_err();
        assert!(
            e.contains("no target is named `asia` (targets: us, eu)"),
            "{e}"
        );
        let e = selector("eu:aws_sqs_queue:jobs", &[]).unwrap_err();
        assert!(e.contains("has no [[targets]]"), "{e}");
        let e = selector("aws_sqs_queues:jobs", &[]).unwrap_err();
        assert!(e.contains("aws_sqs_queues"), "{e}");
        assert!(selector("jobs", &[])
            .unwrap_err()
            .contains("expected KIND:ID-GLOB"));
    }
}
