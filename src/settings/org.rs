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
    Ok(PlanSettings {
        output: a.output.clone(),
        shards: a.shards,
        organizational_units: flag_or(&a.ou, &org.organizational_units),
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
    use super::{role, Role};

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
