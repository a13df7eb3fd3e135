//! The README's quick-start sample is exactly what the demo prints: the demo environment is
//! seeded with `demo/seed.py --drift` (as `scripts/demo` does) into this test's own server, and
//! `driftwatch check` runs with the demo's arguments in the repository. When the output changes
//! on purpose, `DRIFTWATCH_UPDATE_README=1 cargo test readme` rewrites the sample.

use std::path::Path;

use crate::harness::{driftwatch_command, Moto, Run};

const START: &str =
    "<!-- demo output: tests/integration/readme_demo.rs keeps this verbatim -->\n```text\n";

#[test]
fn the_readme_quick_start_sample_is_what_the_demo_prints() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let moto = Moto::start();
    let seeded = moto
        .python()
        .arg(repo.join("demo/seed.py"))
        .arg("--drift")
        .status()
        .expect("demo/seed.py runs");
    assert!(seeded.success(), "demo/seed.py --drift failed");

    let mut cmd = driftwatch_command(repo);
    cmd.env("AWS_ENDPOINT_URL", &moto.endpoint).args([
        "check",
        "--golden",
        "golden",
        "--state",
        "demo/terraform.tfstate",
        "--ignore-file",
        "demo/.driftignore",
    ]);
    let run = Run::of(&mut cmd).expect_code(1);

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
