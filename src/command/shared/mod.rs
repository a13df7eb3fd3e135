//! The operations several commands run, in one place so that no command imports another's
//! module: filtering what is in scope, reading a reference named on the command line, merging
//! reports, the account a golden folder records, the S3 backend the states live in, and the
//! ignore rules no run used. The pure
//! stages themselves are the core's (`diff`, `checks`, ...); these are the binary's steps
//! around them.

pub(crate) mod finish;
pub(crate) mod identity;
pub(crate) mod merge;
pub(crate) mod reference;

/// Where the S3 states of `states` are, and the lock table named beside them, for
/// `state-backend`.
pub(crate) fn backend(
    states: &[String],
    workspace: Option<&str>,
    lock_table: &Option<String>,
) -> crate::checks::Backend {
    let mut objects: Vec<(String, String)> = states
        .iter()
        .filter_map(|s| crate::source::terraform::s3_object(s, workspace))
        .collect();
    objects.sort();
    objects.dedup();
    crate::checks::Backend {
        states: objects,
        lock_table: lock_table.clone(),
    }
}

/// Names, at `-v`, each ignore rule that matched nothing in the run (once, after every
/// comparison and check of the run): a typo in a kind name or an id otherwise goes unseen.
pub(crate) fn say_unused_rules(rules: &crate::ignore::Rules) {
    for (rule, source) in rules.unused() {
        tracing::info!("ignore rule '{rule}' ({source}) matched nothing in this run");
    }
}
