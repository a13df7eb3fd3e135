//! The examples in `examples/` use only flags and subcommands that exist: every driftwatch
//! invocation in them is parsed by the real command line definition, including those a step
//! using the action (`uses: …/driftwatch@…` with its `with:` inputs) makes.

use clap::Parser;
use driftwatch::cli::Cli;

use super::action;

/// YAML folded blocks (`run: >`) joined into one line each; other lines as they are.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim_end().ends_with("run: >") {
            let indent = line.len() - line.trim_start().len();
            let mut joined = String::new();
            while let Some(next) = lines.peek() {
                if next.trim().is_empty() || next.len() - next.trim_start().len() <= indent {
                    break;
                }
                joined.push_str(next.trim());
                joined.push(' ');
                lines.next();
            }
            out.push(joined);
        } else {
            out.push(line.to_string());
        }
    }
    out
}

/// Shell-like words: whitespace-separated, double quotes grouped (variables stay literal).
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut cur, mut quoted, mut any) = (String::new(), false, false);
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// The command lines of steps using the action: its real check step run with their inputs.
fn action_invocations(text: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let uses = line.trim().trim_start_matches("- ").trim();
        if !(uses.starts_with("uses:") && uses.contains("/driftwatch@")) {
            continue;
        }
        // The step's keys are indented like `uses:`; its `with:` is one of them.
        let indent = |l: &str| l.len() - l.trim_start().len();
        let key = line.find("uses:").unwrap();
        let start = (0..=i)
            .rev()
            .find(|&j| lines[j].get(key - 2..key) == Some("- "))
            .unwrap();
        let end = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().is_empty() && indent(lines[j]) < key)
            .unwrap_or(lines.len());
        let with_line =
            (start..end).find(|&j| lines[j].trim() == "with:" && indent(lines[j]) == key);
        let inputs = with_line
            .map(|j| action::block(&lines, j))
            .unwrap_or_default();
        let known = action::inputs();
        for name in inputs.keys() {
            assert!(
                known.contains_key(name),
                "`{name}` is not an input of action.yml"
            );
        }
        out.push(action::run_check_step(&inputs, 0).argv);
    }
    out
}

/// Every driftwatch command line in a file.
fn invocations(text: &str) -> Vec<Vec<String>> {
    let mut out = action_invocations(text);
    for line in logical_lines(text) {
        let line = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run:")
            .trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(args) = line.strip_prefix("args:") {
            if !args.trim().starts_with('[') {
                continue; // an input of the action, read by action_invocations
            }
            // A Kubernetes container's args, a JSON-style list.
            let list: Vec<String> = serde_json::from_str(args.trim()).unwrap();
            out.push(
                std::iter::once("driftwatch".to_string())
                    .chain(list)
                    .collect(),
            );
            continue;
        }
        for segment in line
            .split("&&")
            .flat_map(|s| s.split("||"))
            .flat_map(|s| s.split(" | "))
        {
            let w = words(segment.trim());
            if w.first().map(String::as_str) == Some("driftwatch") {
                out.push(w);
            }
        }
    }
    out
}

#[test]
fn every_example_command_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut total = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let found = invocations(&text);
        assert!(
            !found.is_empty(),
            "{} has no driftwatch command",
            path.display()
        );
        for argv in found {
            if let Err(e) = Cli::try_parse_from(&argv) {
                panic!(
                    "{}: `{}` does not parse:\n{e}",
                    path.display(),
                    argv.join(" ")
                );
            }
            total += 1;
        }
    }
    assert!(total >= 4, "only {total} commands found");
}

#[test]
fn the_parser_of_this_test_sees_flags_that_do_not_exist() {
    let bad = invocations("- run: driftwatch check --no-such-flag");
    assert!(Cli::try_parse_from(&bad[0]).is_err());
}

#[test]
fn the_parser_of_this_test_sees_action_inputs_that_do_not_exist() {
    let step = "- uses: OWNER/driftwatch@v0.1.0\n  with:\n    args: --no-such-flag\n";
    let found = invocations(step);
    assert_eq!(found.len(), 1);
    assert!(Cli::try_parse_from(&found[0]).is_err());
}

#[test]
fn the_crontab_example_is_the_readme_cron_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme.split("```cron\n").nth(1).unwrap();
    let readme_line = block.split("```").next().unwrap().trim();
    let crontab = std::fs::read_to_string(root.join("examples/crontab")).unwrap();
    let entries: Vec<&str> = crontab
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter(|l| !l.split_whitespace().next().unwrap().contains('=')) // PATH=…
        .collect();
    assert_eq!(entries, [readme_line]);
}

#[test]
fn the_readme_action_steps_parse() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut found = 0;
    for block in readme.split("```yaml\n").skip(1) {
        let block = block.split("```").next().unwrap();
        for argv in action_invocations(block) {
            if let Err(e) = Cli::try_parse_from(&argv) {
                panic!("README: `{}` does not parse:\n{e}", argv.join(" "));
            }
            found += 1;
        }
    }
    assert!(found >= 1, "no action step in the README");
}
