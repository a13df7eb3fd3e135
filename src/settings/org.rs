//! `driftwatch plan`'s settings: the `[org]` section of `driftwatch.toml` with the flags over
//! it (a flag's list replaces the file's). What cannot make a plan (no role to assume) is exit 2
//! here, before any call.

use std::path::PathBuf;

use crate::aws::AwsOptions;
use crate::cli::PlanArgs;
use crate::config::Org;
use crate::error::{Error, Result};

/// `driftwatch plan`.
#[derive(Debug)]
pub(crate) struct PlanSettings {
    /// Where plan.json is written (`-o`).
    pub output: PathBuf,
    /// `--shards N`: also print the matrix `[1..N]` on stdout.
    pub shards: Option<u32>,
    /// The OUs whose accounts are walked (none: `ListAccounts`, every account).
    pub organizational_units: Vec<String>,
    pub selection: Selection,
    /// How the organization is read (the management or delegated-administrator account).
    pub aws: AwsOptions,
    /// `-q`: no summary line.
    pub quiet: bool,
}

/// Which of the organization's accounts the plan keeps, and what each unit carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Kept when not empty: only these.
    pub accounts: Vec<String>,
    pub exclude_accounts: Vec<String>,
    /// OU ids whose accounts (nested OUs included) are left out.
    pub exclude_organizational_units: Vec<String>,
    pub include_management_account: bool,
    pub role: Role,
    pub regions: Vec<String>,
    pub exclude_regions: Vec<String>,
}

/// The role a shard assumes in each account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// `role_name`: `arn:{partition}:iam::{account_id}:role/NAME`.
    Name(String),
    /// `role_arn_template`, with `{account_id}` and `{partition}`.
    Template(String),
}

impl Default for Role {
    fn default() -> Self {
        Role::Name(String::new())
    }
}

impl Role {
    /// The role's ARN in `account_id`.
    pub(crate) fn arn(&self, partition: &str, account_id: &str) -> String {
        match self {
            Role::Name(name) => format!("arn:{partition}:iam::{account_id}:role/{name}"),
            Role::Template(t) => t
                .replace("{partition}", partition)
                .replace("{account_id}", account_id),
        }
    }
}

/// `plan`'s settings from its flags, the file's `[org]` (absent: all defaults) and `aws`.
pub(super) fn plan(
    a: &PlanArgs,
    org: Option<&Org>,
    aws: AwsOptions,
    quiet: bool,
) -> Result<PlanSettings> {
    let default = Org::default();
    let org = org.unwrap_or(&default);
    let flag_or = |flag: &[String], file: &[String]| {
        if flag.is_empty() {
            file.to_vec()
        } else {
            flag.to_vec()
        }
    };
    let mut regions = flag_or(&a.regions, &org.regions);
    if regions.is_empty() {
        regions = vec!["*".to_string()];
    }
    if regions.len() > 1 && regions.iter().any(|r| r == "*") {
        return Err(Error::Usage(format!(
            "regions {regions:?}: `*` (the regions enabled in each account) stands alone"
        )));
    }
    let organizational_units = flag_or(&a.ou, &org.organizational_units);
    ou_ids("organizational_units", &organizational_units)?;
    ou_ids(
        "exclude_organizational_units",
        &org.exclude_organizational_units,
    )?;
    account_ids("accounts", &org.accounts)?;
    account_ids("exclude_accounts", &org.exclude_accounts)?;
    Ok(PlanSettings {
        output: a.output.clone(),
        shards: a.shards,
        organizational_units,
        selection: Selection {
            accounts: flag_or(&a.accounts, &org.accounts),
            exclude_accounts: flag_or(&a.exclude_accounts, &org.exclude_accounts),
            exclude_organizational_units: org.exclude_organizational_units.clone(),
            include_management_account: org.include_management_account,
            role: role(org.role_name.as_deref(), org.role_arn_template.as_deref())?,
            regions,
            exclude_regions: org.exclude_regions.clone(),
        },
        aws,
        quiet,
    })
}

/// An id that is not an account's would match no account: its include or exclude would be
/// silently void, so it is refused.
fn account_ids(key: &str, ids: &[String]) -> Result<()> {
    match ids
        .iter()
        .find(|id| id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(id) => Err(Error::Usage(format!(
            "[org] {key}: `{id}` is not an AWS account id (twelve digits)"
        ))),
        None => Ok(()),
    }
}

/// OU ids are `ou-…`, and a root's `r-…` (the whole organization).
fn ou_ids(key: &str, ids: &[String]) -> Result<()> {
    match ids
        .iter()
        .find(|id| !id.starts_with("ou-") && !id.starts_with("r-"))
    {
        Some(id) => Err(Error::Usage(format!(
            "{key}: `{id}` is not an OU id (ou-…) or a root id (r-…); OUs are named by id, \
             not by name"
        ))),
        None => Ok(()),
    }
}

/// The role of the file's `[org]`, which must name one (`policy --org hub` grants assuming it).
pub(super) fn role_of(org: Option<&Org>) -> Result<Role> {
    let org = org.ok_or_else(|| {
        Error::Usage(
            "policy --org hub: driftwatch.toml has no [org] naming the role to assume in each \
             account (role_name or role_arn_template)"
                .to_string(),
        )
    })?;
    role(org.role_name.as_deref(), org.role_arn_template.as_deref())
}

/// The role of `[org]`: `role_name` or `role_arn_template`, exactly one; a template names
/// `{account_id}`, or every account would be sent to one role.
fn role(name: Option<&str>, template: Option<&str>) -> Result<Role> {
    let usage = |m: &str| Err(Error::Usage(format!("[org] in driftwatch.toml: {m}")));
    match (name.filter(|n| !n.is_empty()), template) {
        (Some(_), Some(_)) => usage("set `role_name` or `role_arn_template`, not both"),
        (Some(n), None) if n.starts_with("arn:") => usage(
            "`role_name` is the role's name (e.g. \"DriftwatchReadOnly\"); a whole ARN goes \
             in `role_arn_template`",
        ),
        (Some(n), None) => Ok(Role::Name(n.to_string())),
        (None, Some(t)) if !t.contains("{account_id}") => usage(
            "`role_arn_template` must name `{account_id}`, e.g. \
             \"arn:{partition}:iam::{account_id}:role/DriftwatchReadOnly\"",
        ),
        (None, Some(t)) => Ok(Role::Template(t.to_string())),
        (None, None) => usage(
            "no role to assume in each account: set `role_name = \"…\"` (the role's name in \
             every account) or `role_arn_template`",
        ),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{role, PlanSettings, Role};
    use crate::cli::Cli;
    use crate::config::Config;
    use crate::settings::{resolve_with, Environment, Settings};

    fn plan(args: &[&str], toml: &str) -> crate::error::Result<PlanSettings> {
        let cli = Cli::try_parse_from(["driftwatch", "plan"].iter().chain(args)).unwrap();
        let config = Config::parse(toml).unwrap();
        match resolve_with(&cli, &config, &Environment::default())? {
            Settings::Plan(s) => Ok(s),
            other => panic!("{other:?}"),
        }
    }

    const FILE: &str = "[org]\nrole_name = \"A\"\naccounts = [\"111111111111\"]\n\
        exclude_accounts = [\"222222222222\"]\norganizational_units = [\"ou-a-1\"]\n\
        regions = [\"us-east-1\"]\n";

    #[test]
    fn a_flag_list_replaces_the_file_list() {
        let s = plan(&[], FILE).unwrap();
        assert_eq!(s.output.to_str(), Some("plan.json"));
        assert_eq!(s.selection.accounts, ["111111111111"]);
        assert_eq!(s.organizational_units, ["ou-a-1"]);
        assert_eq!(s.selection.regions, ["us-east-1"]);
        let s = plan(
            &[
                "--accounts",
                "333333333333,444444444444",
                "--exclude-accounts",
                "555555555555",
                "--ou",
                "r-ab12",
                "--regions",
                "*",
                "-o",
                "p.json",
                "--shards",
                "2",
            ],
            FILE,
        )
        .unwrap();
        assert_eq!(s.selection.accounts, ["333333333333", "444444444444"]);
        assert_eq!(s.selection.exclude_accounts, ["555555555555"]);
        assert_eq!(s.organizational_units, ["r-ab12"]);
        assert_eq!(s.selection.regions, ["*"]);
        assert_eq!((s.output.to_str(), s.shards), (Some("p.json"), Some(2)));
        let s = plan(&[], "[org]\nrole_name = \"A\"\n").unwrap();
        assert_eq!(s.selection.regions, ["*"], "the default");
    }

    #[test]
    fn ids_that_would_match_nothing_are_refused() {
        let role = "[org]\nrole_name = \"A\"\n";
        for (args, toml, says) in [
            (&[][..], "exclude_accounts = [\"12345\"]", "12345"),
            (&[], "organizational_units = [\"prod\"]", "not an OU id"),
            (&["--ou", "prod"][..], "", "not an OU id"),
            (
                &[],
                "exclude_organizational_units = [\"x\"]",
                "not an OU id",
            ),
            (&["--regions", "*,us-east-1"][..], "", "stands alone"),
        ] {
            let err = plan(args, &format!("{role}{toml}\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn one_role_setting_is_required() {
        assert_eq!(
            role(Some("Audit"), None)
                .unwrap()
                .arn("aws", "111111111111"),
            "arn:aws:iam::111111111111:role/Audit"
        );
        let t = role(None, Some("arn:{partition}:iam::{account_id}:role/x/Audit")).unwrap();
        assert_eq!(
            t.arn("aws-cn", "2"),
            "arn:aws-cn:iam::2:role/x/Audit".to_string()
        );
        assert!(matches!(t, Role::Template(_)));
        for (n, t) in [
            (None, None),
            (Some("A"), Some("arn:{account_id}")),
            (None, Some("arn:aws:iam::1:role/A")),
            (Some("arn:aws:iam::1:role/A"), None),
        ] {
            let err = role(n, t).unwrap_err().to_string();
            assert!(err.contains("[org]"), "{err}");
        }
    }
}
