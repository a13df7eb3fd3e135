//! The GitHub Action (`action.yml`): its `driftwatch check` step is run for real (bash, with a
//! stand-in `driftwatch` that records its arguments), so the command lines the examples'
//! `with:` blocks produce are the ones the action builds, and its exit-code handling is checked.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// `key: value` lines of the block under `line` (more indented), with `|` blocks as their text.
pub fn block(lines: &[&str], line: usize) -> BTreeMap<String, String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let base = indent(lines[line]);
    let mut out = BTreeMap::new();
    let mut i = line + 1;
    while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) > base) {
        let l = lines[i];
        i += 1;
        let Some((key, value)) = l.trim().split_once(':') else {
            continue;
        };
        // A plain value ends where a YAML comment starts (` #`).
        let value = value.trim();
        let value = match value.find(" #") {
            _ if value.starts_with('#') => "",
            Some(at) => value[..at].trim(),
            None => value,
        };
        if value == "|" {
            let mut text = String::new();
            while i < lines.len() && indent(lines[i]) > indent(l) {
                text.push_str(lines[i].trim());
                text.push('\n');
                i += 1;
            }
            out.insert(key.trim().to_string(), text);
        } else {
            out.insert(key.trim().to_string(), value.trim_matches('"').to_string());
        }
    }
    out
}

fn action_yml() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap()
}

/// The action's inputs with their defaults (`${{ … }}` defaults as empty).
pub fn inputs() -> BTreeMap<String, String> {
    let text = action_yml();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == "inputs:").unwrap();
    let mut out = BTreeMap::new();
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        if !l.starts_with(' ') && !l.trim().is_empty() {
            break;
        }
        if l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':') {
            let default = block(&lines, i).remove("default").unwrap_or_default();
            let default = if default.starts_with("${{") {
                String::new()
            } else {
                default
            };
            out.insert(l.trim().trim_end_matches(':').to_string(), default);
        }
    }
    out
}

/// The `run: |` script of the step with this `id`.
fn step_script(step: &str) -> String {
    let text = action_yml();
    let lines: Vec<&str> = text.lines().collect();
    let id = lines
        .iter()
        .position(|l| l.trim() == format!("id: {step}"))
        .unwrap();
    let run = id
        + lines[id..]
            .iter()
            .position(|l| l.trim() == "run: |")
            .unwrap();
    let indent = lines[run].len() - lines[run].trim_start().len();
    let body: Vec<&str> = lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
        .map(|l| l.get(indent + 2..).unwrap_or(""))
        .collect();
    let script = body.join("\n");
    assert!(
        !script.contains("${{"),
        "the script takes inputs from env only"
    );
    script
}

/// What one run of the check step did.
pub struct StepRun {
    /// The arguments the stand-in driftwatch received, `driftwatch` first.
    pub argv: Vec<String>,
    pub step_exit: i32,
    /// The step's `exit-code` output.
    pub output: Option<String>,
}

/// Runs the check step with `with` (other inputs at their defaults), driftwatch exiting `exit`.
pub fn run_check_step(with: &BTreeMap<String, String>, exit: i32) -> StepRun {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("driftwatch");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$ARGV_FILE\"\nexit \"$FAKE_EXIT\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Command::new("bash");
    // The shell GitHub runs for `shell: bash`.
    cmd.args([
        "--noprofile",
        "--norc",
        "-eo",
        "pipefail",
        "-c",
        &step_script("check"),
    ])
    .current_dir(dir.path())
    .env(
        "PATH",
        format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
    )
    .env("ARGV_FILE", dir.path().join("argv"))
    .env("FAKE_EXIT", exit.to_string())
    .env("GITHUB_OUTPUT", dir.path().join("output"))
    .env("GITHUB_STEP_SUMMARY", "/summary.md");
    for (name, default) in inputs() {
        let value = with.get(&name).unwrap_or(&default);
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        cmd.env(var, value);
    }
    let out = cmd.output().unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default();
    let argv = std::iter::once("driftwatch".to_string())
        .chain(read("argv").lines().map(String::from))
        .collect();
    let output = read("output")
        .lines()
        .find_map(|l| l.strip_prefix("exit-code=").map(String::from));
    StepRun {
        argv,
        step_exit: out.status.code().unwrap(),
        output,
    }
}

fn with(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_action_turns_inputs_into_check_flags() {
    let run = run_check_step(
        &with(&[
            ("golden", "infra/golden"),
            ("state", "s3://b/prod.tfstate\nenvs/*/*.tfstate\n"),
            ("report", "json=drift.json junit=drift.xml"),
            ("args", "--ignore-file .driftignore"),
        ]),
        0,
    );
    assert_eq!(
        run.argv.join(" "),
        "driftwatch check --golden infra/golden --state s3://b/prod.tfstate \
         --state envs/*/*.tfstate --format console --report markdown=/summary.md \
         --report json=drift.json --report junit=drift.xml --ignore-file .driftignore",
        "a glob is passed on, not expanded by the shell"
    );
    assert_eq!((run.step_exit, run.output.as_deref()), (0, Some("0")));
}

#[test]
fn the_action_fails_on_drift_unless_told_and_always_when_it_could_not_check() {
    let run = |exit, fail_on_drift| {
        let r = run_check_step(&with(&[("fail-on-drift", fail_on_drift)]), exit);
        (r.step_exit, r.output.unwrap())
    };
    assert_eq!(run(1, "true"), (1, "1".to_string()));
    assert_eq!(run(1, "false"), (0, "1".to_string()));
    assert_eq!(run(2, "false"), (2, "2".to_string()));
    assert_eq!(run(130, "false"), (130, "130".to_string()));
}

#[test]
fn the_action_downloads_from_its_own_repository_unless_told() {
    // The install step runs scripts/install.sh of the action's own folder; a stand-in records
    // which repository it was asked for.
    let repository = |action_path: &str, input: &str| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(action_path.trim_start_matches('/'));
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        std::fs::write(
            root.join("scripts/install.sh"),
            "echo \"$DRIFTWATCH_REPOSITORY\" > \"$DRIFTWATCH_INSTALL_DIR/repo\"\n",
        )
        .unwrap();
        let status = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step_script("install"))
            .env("GITHUB_ACTION_PATH", &root)
            .env("GITHUB_REPOSITORY", "acme/infra")
            .env("GITHUB_PATH", dir.path().join("path"))
            .env("DRIFTWATCH_INSTALL_DIR", dir.path())
            .env("INPUT_REPOSITORY", input)
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::read_to_string(dir.path().join("repo"))
            .unwrap()
            .trim()
            .to_string()
    };
    let used = "/home/runner/work/_actions/octo/driftwatch/v0.1.0";
    assert_eq!(repository(used, ""), "octo/driftwatch");
    assert_eq!(repository(used, "fork/driftwatch"), "fork/driftwatch");
    // `uses: ./` in a checkout of driftwatch itself.
    assert_eq!(
        repository("/home/runner/work/infra/infra", ""),
        "acme/infra"
    );
}
