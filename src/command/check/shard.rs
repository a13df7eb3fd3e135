//! `check --plan`: one shard of an organization's plan. Each account of the shard's slice is
//! reached once (its role assumed, its regions read) and checked as one target per region,
//! `{account_id}/{region}`, through the same engine as `[[targets]]`. An account that cannot be
//! reached is an error for that account (exit 2), never skipped: the others are still checked.

use driftwatch_core::org::{resolve_regions, slice, sort_targets, ShardRef, TargetStatus, Unit};

use crate::aws;
use crate::diff::{ErrorEntry, Report};
use crate::error::{Error, Result};
use crate::model::{Identity, Kind};
use crate::settings::{CheckSettings, Plan, ShardSettings};
use crate::source::golden::meta;

/// Checks the shard's accounts; the report carries `shard` and `targets`.
pub(super) fn run(s: &CheckSettings, shard: &ShardSettings) -> Result<Report> {
    let base = s.plans.first().expect("a shard run has its template plan");
    let units = slice(&shard.plan, shard.spec);
    tracing::info!(
        "shard {} of plan {}: {} of {} accounts",
        shard.spec,
        shard.plan.plan_id,
        units.len(),
        shard.plan.units.len()
    );
    let reached = aws::block_on(reach_all(&base.aws, &units, shard))?.map_err(Error::Setup)?;
    let mut plans = Vec::new();
    let mut targets = Vec::new();
    let mut failed = Vec::new();
    for (unit, result) in units.iter().zip(reached) {
        let result = result.and_then(|(session, regions)| {
            goldens_of_the_account(shard, unit, &regions, &base.kinds)?;
            Ok((session, regions))
        });
        match result {
            Ok((session, regions)) => {
                for (i, region) in regions.iter().enumerate() {
                    plans.push(target(base, shard, unit, region, session.clone(), i == 0));
                    targets.push(TargetStatus::ok(&unit.account_id, region));
                }
            }
            Err(e) => {
                targets.push(TargetStatus::account_error(&unit.account_id, e.clone()));
                failed.push((unit.account_id.clone(), e));
            }
        }
    }
    let mut report = super::run(s, &plans)?;
    for (account, message) in failed {
        report.add_error(ErrorEntry {
            target: Some(account),
            kind: None,
            message,
        });
    }
    sort_targets(&mut targets);
    report.targets = targets;
    report.shard = Some(ShardRef {
        index: shard.spec.index,
        count: shard.spec.count,
        plan_id: shard.plan.plan_id.clone(),
    });
    Ok(report)
}

/// An account whose golden folder (`golden` in [org]) is missing for one of its regions, or
/// was recorded from another account or region (a folder copied, a template mistyped), is an
/// error for that account, as `--golden` naming no folder or another account's is for a run:
/// comparing with nothing would report its every resource unmanaged, comparing with another
/// account's would report both as drift, and failing the shard would leave the other accounts
/// unchecked.
fn goldens_of_the_account(
    shard: &ShardSettings,
    unit: &Unit,
    regions: &[String],
    kinds: &[Kind],
) -> std::result::Result<(), String> {
    for region in regions {
        let Some(dir) = shard.golden_of(&unit.account_id, region) else {
            continue;
        };
        if !dir.is_dir() {
            return Err(format!(
                "golden folder {} does not exist (`driftwatch snapshot --out {}` with the \
                 account's role writes it)",
                dir.display(),
                dir.display()
            ));
        }
        let here = Identity {
            account: unit.account_id.clone(),
            partition: shard.plan.partition.clone(),
            region: region.clone(),
        };
        if let Some(recorded) = meta::read(&dir).map_err(|e| e.to_string())? {
            meta::ensure_same(&dir, &recorded, &here, kinds).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Each unit's session and regions (or why the account cannot be checked), all concurrently;
/// an error when the shard's own credentials cannot be loaded.
async fn reach_all(
    hub: &aws::AwsOptions,
    units: &[&Unit],
    shard: &ShardSettings,
) -> std::result::Result<Vec<Reached>, String> {
    let hub = aws::org::hub(hub, &shard.session).await?;
    let one = |unit: &Unit| {
        let hub = &hub;
        let role = unit.role_arn.clone();
        let asked = unit.regions.clone();
        let exclude = unit.exclude_regions.clone();
        async move {
            let r = aws::org::reach(hub, &role, &shard.session).await?;
            let regions = resolve_regions(&asked, &exclude, &r.enabled_regions)
                .map_err(|e| format!("ec2:DescribeRegions as {role}: {e}"))?;
            Ok((r.session, regions))
        }
    };
    let reached = futures::future::join_all(units.iter().map(|u| one(u))).await;
    hub.log_calls();
    Ok(reached)
}

/// An account reached: its session and the regions to check, or why not.
type Reached = std::result::Result<(aws::org::Session, Vec<String>), String>;

/// The target `{account_id}/{region}`: the template's kinds and references, the account's
/// session, its golden folder; IAM (global) read by the account's first region only.
fn target(
    base: &Plan,
    shard: &ShardSettings,
    unit: &Unit,
    region: &str,
    session: aws::org::Session,
    first: bool,
) -> Plan {
    let mut kinds = base.kinds.clone();
    if !first {
        kinds.retain(|k| !k.is_global());
    }
    Plan {
        name: Some(format!("{}/{region}", unit.account_id)),
        aws: aws::AwsOptions {
            region: Some(region.to_string()),
            // Names the account for `account_key` (IAM lent to its other regions' checks).
            role_arn: Some(unit.role_arn.clone()),
            session: Some(session),
            ..base.aws.clone()
        },
        golden: shard.golden_of(&unit.account_id, region),
        states: Vec::new(),
        workspace: base.workspace.clone(),
        lock_table: base.lock_table.clone(),
        kinds,
    }
}
