//! The README's quick-start sample is exactly what the demo prints: the demo environment is
//! seeded with `demo/seed.py --drift` (as `scripts/demo` does) into this test's own server, and
//! `driftwatch check` runs with the demo's arguments in the repository. When the output changes
//! on purpose, `DRIFTWATCH_UPDATE_README=1 cargo test readme` rewrites the sample.

use std::path::Path;

use crate::harness::{driftwatch_command, Moto, Run};

const START: &str =
    "<!-- demo output: tests/integration/readme_demo.rs keeps this verbatim -->\n```text\n";

/// A server seeded as `scripts/demo` seeds it: the demo environment with its drift.
pub(crate) fn demo_with_drift(repo: &Path) -> Moto {
    let moto = Moto::start();
    let seeded = moto
        .python()
        .arg(repo.join("demo/seed.py"))
        .arg("--drift")
        .status()
        .expect("demo/seed.py runs");
    assert!(seeded.success(), "demo/seed.py --drift failed");
    moto
}

/// `driftwatch check` with the demo's references and `extra` arguments, run in the repository.
pub(crate) fn demo_check(repo: &Path, moto: &Moto, ignore_file: &Path, extra: &[&str]) -> Run {
    let mut cmd = driftwatch_command(repo);
    cmd.env("AWS_ENDPOINT_URL", &moto.endpoint)
        .args([
            "check",
            "--golden",
            "golden",
            "--state",
            "s3://retainwise-terraform-state/prod/terraform.tfstate",
            "--lock-table",
            "retainwise-terraform-locks",
            "--ignore-file",
        ])
        .arg(ignore_file)
        .args(extra);
    Run::of(&mut cmd)
}

/// `--format ignore` promises rules that silence the findings it lists. The demo's drift holds
/// changes inside lists (an action removed from a statement, a resource from another), which an
/// index cannot name: committed, the generated file must leave no drift at all.
#[test]
fn the_ignore_rules_generated_for_the_demo_silence_all_of_its_drift() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let moto = demo_with_drift(repo);
    let demo_rules = repo.join("demo/.driftignore");
    let generated = demo_check(repo, &moto, &demo_rules, &["--format", "ignore"]).expect_code(1);
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join(".driftignore");
    let mut text = std::fs::read_to_string(&demo_rules).unwrap();
    text.push_str(&generated.stdout);
    std::fs::write(&both, text).unwrap();
    let run = demo_check(repo, &moto, &both, &["--no-checks", "--format", "json"]);
    assert_eq!(
        run.code, 0,
        "the generated rules left drift:\n{}\n--- rules\n{}",
        run.stdout, generated.stdout
    );
}

#[test]
fn the_readme_quick_start_sample_is_what_the_demo_prints() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let moto = demo_with_drift(repo);
    let run = demo_check(repo, &moto, &repo.join("demo/.driftignore"), &[]).expect_code(1);

    let readme_path = repo.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = readme
        .find(START)
        .expect("README.md has the demo output marker")
        + START.len();
    let end = start
        + readme[start..]
            .find("```\n")
            .expect("the sample's fence closes");
    if std::env::var_os("DRIFTWATCH_UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], run.stdout, &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == run.stdout,
        "the README's quick-start sample is not what the demo prints; if the change is \
         intended, run `DRIFTWATCH_UPDATE_README=1 cargo test readme` and review the diff.\n\
         --- demo output\n{}",
        run.stdout
    );
}
