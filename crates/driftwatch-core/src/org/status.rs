//! What a shard works out of its slice (`driftwatch check --plan`): the regions it checks in
//! each account, and the order its `targets` are listed in (the types are `org::targets`).

use super::targets::TargetStatus;

/// Sorts `targets` as the report lists them: by account, then region (an account's error entry,
/// region null, first).
pub fn sort_targets(targets: &mut [TargetStatus]) {
    targets.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
}

/// The regions a shard checks in one account: those `asked` (`*` = every region `enabled` in
/// it), less `exclude`, sorted. A named region the account has not enabled is an error for the
/// account: checking the others would pass its absence off as "nothing there".
pub fn resolve_regions(
    asked: &[String],
    exclude: &[String],
    enabled: &[String],
) -> Result<Vec<String>, String> {
    if asked.is_empty() {
        return Err("the plan asks for no region (`regions` in [org])".to_string());
    }
    let mut regions: Vec<String> = if asked.iter().any(|r| r == "*") {
        enabled.to_vec()
    } else {
        let missing: Vec<&str> = asked
            .iter()
            .filter(|r| !enabled.contains(r) && !exclude.contains(r))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "region {} is not enabled in the account (enable it, or take it out of \
                 `regions` in [org])",
                missing.join(", ")
            ));
        }
        asked.to_vec()
    };
    regions.retain(|r| !exclude.contains(r));
    regions.sort();
    regions.dedup();
    // An empty answer, or `exclude_regions` taking every one: nothing would be checked, and an
    // account with no target would pass for one that was.
    if regions.is_empty() {
        return Err(format!(
            "no region is left to check ({} enabled, {} excluded): exclude the account instead",
            enabled.len(),
            exclude.len()
        ));
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_star_is_every_enabled_region_less_the_excluded() {
        let enabled = v(&["us-west-2", "eu-west-1", "us-east-1"]);
        let got = resolve_regions(&v(&["*"]), &v(&["eu-west-1"]), &enabled).unwrap();
        assert_eq!(got, v(&["us-east-1", "us-west-2"]));
    }

    #[test]
    fn no_region_left_is_an_error_not_an_account_checked_in_nothing() {
        let err = resolve_regions(&v(&["*"]), &[], &[]).unwrap_err();
        assert!(err.contains("no region is left"), "{err}");
        let all = v(&["us-east-1"]);
        assert!(resolve_regions(&v(&["*"]), &all, &all).is_err());
        assert!(resolve_regions(&all, &all, &all).is_err());
    }

    #[test]
    fn a_named_region_not_enabled_is_an_error_naming_it() {
        let enabled = v(&["us-east-1"]);
        let err = resolve_regions(&v(&["us-east-1", "ap-east-1"]), &[], &enabled).unwrap_err();
        assert!(
            err.contains("ap-east-1") && err.contains("not enabled"),
            "{err}"
        );
        // Excluded anyway: not an error.
        let ok = resolve_regions(
            &v(&["us-east-1", "ap-east-1"]),
            &v(&["ap-east-1"]),
            &enabled,
        );
        assert_eq!(ok.unwrap(), v(&["us-east-1"]));
        assert!(resolve_regions(&[], &[], &enabled).is_err());
    }

    #[test]
    fn an_account_in_error_is_one_entry_with_a_null_region() {
        let mut t = vec![
            TargetStatus::ok("222222222222", "us-west-2"),
            TargetStatus::ok("222222222222", "eu-west-1"),
            TargetStatus::account_error(
                "111111111111",
                "sts:AssumeRole of arn failed (AccessDenied): no".into(),
            ),
        ];
        sort_targets(&mut t);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"account": "111111111111", "region": null, "status": "error",
                 "error": "sts:AssumeRole of arn failed (AccessDenied): no"},
                {"account": "222222222222", "region": "eu-west-1", "status": "ok"},
                {"account": "222222222222", "region": "us-west-2", "status": "ok"},
            ])
        );
        let back: Vec<TargetStatus> = serde_json::from_value(json).unwrap();
        assert_eq!(back, t);
    }
}
