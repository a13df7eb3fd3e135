//! `driftwatch plan`: the accounts of the organization to check, written as plan.json (the
//! units, the accounts left out and why, the plan's id), for `check --plan --shard` and
//! `merge`. Run once, with the management or a delegated-administrator account's credentials.
//! A failed call writes nothing: a plan is whole or absent.

mod select;

use crate::atomic;
use crate::aws::{self, organizations, ApiCalls};
use crate::error::{Error, Result};
use crate::exit;
use crate::out;
use crate::settings::PlanSettings;

pub(crate) fn execute(s: &PlanSettings) -> Result<u8> {
    let calls = ApiCalls::default();
    let org = aws::block_on(organizations::discover(
        &s.aws,
        &calls,
        &s.organizational_units,
    ))?;
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls: {counts:?}");
    let plan = select::plan(&org?, &s.selection).map_err(Error::Usage)?;
    let mut text = serde_json::to_string_pretty(&plan)
        .map_err(|e| Error::Internal(format!("cannot write the plan as JSON: {e}")))?;
    text.push('\n');
    atomic::write(&s.output, text.as_bytes())?;
    if !s.quiet {
        let n = plan.units.len();
        out::diag(&format!(
            "plan: {n} account{}, {} excluded (plan_id {}) → {}",
            if n == 1 { "" } else { "s" },
            plan.excluded.len(),
            plan.plan_id,
            s.output.display()
        ));
    }
    if let Some(n) = s.shards {
        out::line(&matrix(n))?;
    }
    Ok(exit::IN_SYNC)
}

/// `[1,2,…,N]`: the shard numbers of a CI matrix (`fromJSON` in GitHub Actions).
fn matrix(n: u32) -> String {
    let numbers: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    format!("[{}]", numbers.join(","))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_matrix_counts_from_one() {
        assert_eq!(super::matrix(3), "[1,2,3]");
        assert_eq!(super::matrix(1), "[1]");
    }
}
