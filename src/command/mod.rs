//! One module per command. Each takes its settings, resolved before it runs (`settings`), does
//! its work and returns the exit code (`exit`); `run` in lib.rs prints errors. Writing a report
//! where the settings send it is shared by `check` and `diff`: [`output`].

pub mod accept;
pub mod check;
pub mod completions;
pub mod diff;
pub mod history;
pub mod output;
pub mod policy;
pub mod snapshot;
pub mod verify;

/// Names, at `-v`, each ignore rule that matched nothing in the run (once, after every
/// comparison and check of the run): a typo in a kind name or an id otherwise goes unseen.
pub(crate) fn say_unused_rules(rules: &crate::ignore::Rules) {
    for (rule, source) in rules.unused() {
        tracing::info!("ignore rule '{rule}' ({source}) matched nothing in this run");
    }
}
