//! `driftwatch diff`: two references compared offline, golden folders or Terraform states in any
//! mix, and the report written.

use super::output;
use super::shared::merge::add_terraform_figures;
use super::shared::reference::{self, NotChecked};
use super::shared::say_unused_rules;
use crate::error::Result;
use crate::exit;
use crate::settings::DiffSettings;

pub(crate) fn execute(s: &DiffSettings) -> Result<u8> {
    let ws = s.workspace.as_deref();
    let (exp_name, exp, exp_nc) = reference::read(&s.aws, &s.expected, ws, &s.kinds, &s.redaction)?;
    let (_, act, act_nc) = reference::read(&s.aws, &s.actual, ws, &s.kinds, &s.redaction)?;
    let mut report =
        crate::diff::compare(&s.kinds, vec![(exp_name, exp)], act, Vec::new(), &s.rules);
    say_unused_rules(&s.rules);
    if exp_nc.is_some() || act_nc.is_some() {
        let nc = not_checked_of_both(exp_nc.unwrap_or_default(), act_nc.unwrap_or_default());
        add_terraform_figures(&mut report, nc);
    }
    let code = exit::for_report(&report, None, false);
    output::emit(&s.output, &report, code)?;
    output::leave(report);
    Ok(code)
}

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
