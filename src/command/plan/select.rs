//! Which accounts of the organization a plan keeps, and why each other one is left out: a
//! state other than ACTIVE, an exclude list (of accounts or OUs), the management account, or
//! an include list that does not name it. Exclusion wins over inclusion. Pure.

use crate::aws::organizations::{Member, Organization};
use crate::settings::Selection;
use driftwatch_core::org::{Excluded, OrgPlan, Unit};

/// The plan of `org` as `sel` asks. An account asked for by id that the organization (or the
/// OUs walked) does not hold is an error: it would otherwise go unchecked without a word.
pub(crate) fn plan(org: &Organization, sel: &Selection) -> Result<OrgPlan, String> {
    let missing: Vec<&str> = sel
        .accounts
        .iter()
        .filter(|id| !org.accounts.iter().any(|m| &m.id == *id))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "account {} asked for is not in the organization (or not under the OUs asked for)",
            missing.join(", ")
        ));
    }
    let mut units = Vec::new();
    let mut excluded = Vec::new();
    for m in &org.accounts {
        match why_excluded(m, org, sel) {
            Some(reason) => excluded.push(Excluded {
                account_id: m.id.clone(),
                name: m.name.clone(),
                reason,
            }),
            None => units.push(Unit {
                account_id: m.id.clone(),
                name: m.name.clone(),
                ou_path: m.ou_path.clone(),
                role_arn: sel.role.arn(&org.partition, &m.id),
                regions: sel.regions.clone(),
                exclude_regions: sel.exclude_regions.clone(),
            }),
        }
    }
    Ok(OrgPlan::new(&org.partition, units, excluded))
}

/// Why `m` is left out, the first reason that holds; None: it is checked.
fn why_excluded(m: &Member, org: &Organization, sel: &Selection) -> Option<String> {
    match m.state.as_deref() {
        Some("ACTIVE") => {}
        Some(state) => return Some(format!("state {state}")),
        None => return Some("state unknown (the answer said neither State nor Status)".into()),
    }
    if sel.exclude_accounts.contains(&m.id) {
        return Some("in exclude_accounts".into());
    }
    if let Some(ou) = m
        .ou_path
        .iter()
        .find(|ou| sel.exclude_organizational_units.contains(ou))
    {
        return Some(format!("in excluded OU {ou}"));
    }
    if m.id == org.management_account_id && !sel.include_management_account {
        return Some("the management account".into());
    }
    if !sel.accounts.is_empty() && !sel.accounts.contains(&m.id) {
        return Some("not in the accounts asked for".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Role;

    fn member(id: &str, state: &str, path: &[&str]) -> Member {
        Member {
            id: id.into(),
            name: format!("n{id}"),
            state: (!state.is_empty()).then(|| state.to_string()),
            ou_path: path.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn org() -> Organization {
        Organization {
            management_account_id: "100000000000".into(),
            partition: "aws".into(),
            accounts: vec![
                member("100000000000", "ACTIVE", &["r-1"]),
                member("200000000000", "ACTIVE", &["r-1", "ou-a"]),
                member("300000000000", "ACTIVE", &["r-1", "ou-a", "ou-b"]),
                member("400000000000", "SUSPENDED", &["r-1"]),
                member("500000000000", "", &["r-1"]),
                member("600000000000", "ACTIVE", &["r-1"]),
            ],
        }
    }

    fn sel() -> Selection {
        Selection {
            role: Role::Name("Audit".into()),
            regions: vec!["*".into()],
            ..Selection::default()
        }
    }

    fn reasons(p: &OrgPlan) -> Vec<(String, String)> {
        p.excluded
            .iter()
            .map(|e| (e.account_id[..1].to_string(), e.reason.clone()))
            .collect()
    }

    #[test]
    fn only_active_accounts_other_than_the_management_one_by_default() {
        let p = plan(&org(), &sel()).unwrap();
        let ids: Vec<&str> = p.units.iter().map(|u| &u.account_id[..1]).collect();
        assert_eq!(ids, ["2", "3", "6"]);
        assert_eq!(p.units[1].ou_path, ["r-1", "ou-a", "ou-b"]);
        assert_eq!(p.units[1].role_arn, "arn:aws:iam::300000000000:role/Audit");
        let r = reasons(&p);
        assert_eq!(r[0], ("1".into(), "the management account".into()));
        assert_eq!(r[1], ("4".into(), "state SUSPENDED".into()));
        assert!(r[2].1.starts_with("state unknown"));
    }

    #[test]
    fn exclusion_wins_and_nested_ous_are_excluded() {
        let mut s = sel();
        s.accounts = vec!["300000000000".into(), "600000000000".into()];
        s.exclude_accounts = vec!["600000000000".into()];
        s.exclude_organizational_units = vec!["ou-a".into()];
        s.include_management_account = true;
        let p = plan(&org(), &s).unwrap();
        assert!(p.units.is_empty());
        let r = reasons(&p);
        assert!(r.contains(&("1".into(), "not in the accounts asked for".into())));
        assert!(r.contains(&("2".into(), "in excluded OU ou-a".into())));
        assert!(r.contains(&("3".into(), "in excluded OU ou-a".into())));
        assert!(r.contains(&("6".into(), "in exclude_accounts".into())));
    }

    #[test]
    fn an_account_asked_for_that_the_organization_lacks_is_an_error() {
        let mut s = sel();
        s.accounts = vec!["999999999999".into()];
        assert!(plan(&org(), &s).unwrap_err().contains("999999999999"));
    }
}
