//! The flag-over-file rules, setting by setting: the flag wins over `driftwatch.toml`, the file
//! over the default; and each command gets them (diff's workspace included).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;

use super::merge::{self, Destination};
use super::{resolve_with, CheckSettings, DiffSettings, Environment, Settings};
use crate::aws::limits::Limits;
use crate::cli::Cli;
use crate::config::Config;
use crate::diff::Status;
use crate::model::Kind;
use crate::report::Format;

fn cli(args: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("driftwatch").chain(args.iter().copied())).unwrap()
}

fn settings(args: &[&str], toml: &str) -> crate::error::Result<Settings> {
    let config = Config::parse(toml).unwrap();
    resolve_with(&cli(args), &config, &Environment::default())
}

fn check(args: &[&str], toml: &str) -> CheckSettings {
    let mut all = vec!["check"];
    all.extend(args);
    match settings(&all, toml).unwrap() {
        Settings::Check(s) => s,
        other => panic!("{other:?}"),
    }
}

fn diff(args: &[&str], toml: &str) -> DiffSettings {
    let mut all = vec!["diff", "golden", "other"];
    all.extend(args);
    match settings(&all, toml).unwrap() {
        Settings::Diff(s) => s,
        other => panic!("{other:?}"),
    }
}

fn golden_of(s: &CheckSettings) -> Option<&Path> {
    s.plans[0].golden.as_deref()
}

#[test]
fn golden_flag_over_file_over_default_which_a_state_anywhere_turns_off() {
    let file = "golden = \"from-file\"\n";
    assert_eq!(
        golden_of(&check(&["--golden", "g"], file)),
        Some(Path::new("g"))
    );
    assert_eq!(golden_of(&check(&[], file)), Some(Path::new("from-file")));
    assert_eq!(golden_of(&check(&[], "")), Some(Path::new("golden")));
    // A state alone is a whole reference: no ./golden beside it, wherever it is given.
    assert_eq!(golden_of(&check(&["--state", "a.tfstate"], "")), None);
    assert_eq!(golden_of(&check(&[], "states = [\"a.tfstate\"]\n")), None);
    let target = "[[targets]]\nname = \"t\"\nstates = [\"a.tfstate\"]\n";
    assert_eq!(golden_of(&check(&[], target)), None);
    // A golden folder given explicitly still counts beside a state.
    assert_eq!(
        golden_of(&check(&["--state", "a.tfstate"], file)),
        Some(Path::new("from-file"))
    );
}

#[test]
fn states_flag_over_file_over_none() {
    let file = "states = [\"file.tfstate\"]\n";
    assert_eq!(
        check(&["--state", "flag.tfstate"], file).plans[0].states,
        ["flag.tfstate"]
    );
    assert_eq!(check(&[], file).plans[0].states, ["file.tfstate"]);
    assert!(check(&[], "").plans[0].states.is_empty());
}

#[test]
fn workspace_flag_over_file_over_none_for_check_and_diff() {
    let file = "workspace = \"staging\"\n";
    let ws = |s: &CheckSettings| s.plans[0].workspace.clone();
    assert_eq!(
        ws(&check(&["--workspace", "prod"], file)).as_deref(),
        Some("prod")
    );
    assert_eq!(ws(&check(&[], file)).as_deref(), Some("staging"));
    assert_eq!(ws(&check(&[], "")), None);
    // diff read only the flag before issue 12.
    assert_eq!(
        diff(&["--workspace", "prod"], file).workspace.as_deref(),
        Some("prod")
    );
    assert_eq!(diff(&[], file).workspace.as_deref(), Some("staging"));
    assert_eq!(diff(&[], "").workspace, None);
}

#[test]
fn kinds_flag_over_file_over_every_kind() {
    let file = "kinds = [\"aws_iam_role\"]\n";
    let flag = [
        "--kind",
        "aws_sqs_queue",
        "--kind",
        "aws_ecs_service",
        "--kind",
        "aws_sqs_queue",
    ];
    let asked = [Kind::EcsService, Kind::SqsQueue];
    assert_eq!(check(&flag, file).plans[0].kinds, asked);
    assert_eq!(check(&[], file).plans[0].kinds, [Kind::IamRole]);
    assert_eq!(check(&[], "").plans[0].kinds, Kind::ALL);
    assert_eq!(diff(&flag, file).kinds, asked);
    assert_eq!(diff(&[], file).kinds, [Kind::IamRole]);
    let policy = |args: &[&str]| match settings(&[&["policy"][..], args].concat(), file).unwrap() {
        Settings::Policy(p) => p.kinds,
        other => panic!("{other:?}"),
    };
    assert_eq!(policy(&flag), asked);
    assert_eq!(policy(&[]), [Kind::IamRole]);
    let snapshot =
        |args: &[&str]| match settings(&[&["snapshot"][..], args].concat(), file).unwrap() {
            Settings::Snapshot(s) => s.kinds,
            other => panic!("{other:?}"),
        };
    assert_eq!(snapshot(&flag), asked);
    assert_eq!(snapshot(&[]), [Kind::IamRole]);
}

#[test]
fn include_aws_managed_is_on_when_the_flag_or_the_file_says_so() {
    let on = "include_aws_managed = true\n";
    assert!(check(&["--include-aws-managed"], "").include_aws_managed);
    assert!(check(&[], on).include_aws_managed);
    assert!(!check(&[], "").include_aws_managed);
    let snapshot = |args: &[&str], file| match settings(&[&["snapshot"][..], args].concat(), file) {
        Ok(Settings::Snapshot(s)) => s.include_aws_managed,
        other => panic!("{other:?}"),
    };
    assert!(snapshot(&["--include-aws-managed"], ""));
    assert!(snapshot(&[], on));
    assert!(!snapshot(&[], ""));
}

#[test]
fn ignore_file_flag_over_file_over_driftignore_if_present() {
    let (flag, file) = (Some(Path::new("flag")), Some(Path::new("file")));
    let present = |_: &Path| true;
    let absent = |_: &Path| false;
    assert_eq!(merge::ignore_file(flag, file, present), Some("flag".into()));
    assert_eq!(merge::ignore_file(None, file, present), Some("file".into()));
    assert_eq!(
        merge::ignore_file(None, None, present),
        Some(PathBuf::from(".driftignore"))
    );
    assert_eq!(merge::ignore_file(None, None, absent), None);
}

#[test]
fn the_ignore_file_of_the_flag_is_read_and_the_files_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("flag");
    std::fs::write(&flag, "aws_sqs_queue:from-flag\n").unwrap();
    let missing = dir.path().join("missing");
    let file = format!("ignore_file = {:?}\n", missing.to_str().unwrap());
    let s = check(&["--ignore-file", flag.to_str().unwrap()], &file);
    assert!(s.rules.ignores_resource(Kind::SqsQueue, "from-flag"));
    let s = diff(&["--ignore-file", flag.to_str().unwrap()], &file);
    assert!(s.rules.ignores_resource(Kind::SqsQueue, "from-flag"));
    // Without the flag, the file's is read: here it is missing, which is exit 2 naming it.
    let e = settings(&["check"], &file).unwrap_err().to_string();
    assert!(e.contains("missing"), "{e}");
    let e = settings(&["diff", "a", "b"], &file)
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing"), "{e}");
}

#[test]
fn outputs_of_the_file_only_when_no_output_flag_is_given() {
    let file = "[[outputs]]\nformat = \"json\"\npath = \"drift.json\"\n\n\
                [[outputs]]\nformat = \"ignore\"\n";
    let from_file = [
        Destination {
            format: Format::Json,
            path: Some("drift.json".into()),
        },
        Destination {
            format: Format::IgnoreRules,
            path: None,
        },
    ];
    assert_eq!(check(&[], file).output.destinations, from_file);
    let dest = |format, path: Option<&str>| Destination {
        format,
        path: path.map(PathBuf::from),
    };
    for (flags, expected) in [
        (
            vec!["--format", "markdown"],
            vec![dest(Format::Markdown, None)],
        ),
        (
            vec!["--format", "ignore"],
            vec![dest(Format::IgnoreRules, None)],
        ),
        (
            vec!["--output", "r.txt"],
            vec![dest(Format::Console, Some("r.txt"))],
        ),
        (
            vec!["--report", "junit=r.xml"],
            vec![
                dest(Format::Junit, Some("r.xml")),
                dest(Format::Console, None),
            ],
        ),
    ] {
        assert_eq!(
            check(&flags, file).output.destinations,
            expected,
            "{flags:?}"
        );
    }
    assert_eq!(
        check(&[], "").output.destinations,
        [dest(Format::Console, None)]
    );
    // The file's outputs are check's: diff writes what its flags say.
    assert_eq!(
        diff(&[], file).output.destinations,
        [dest(Format::Console, None)]
    );
}

#[test]
fn limits_flag_over_file_over_default_each() {
    let file = Config::parse("timeout = 20\nmax_attempts = 8\ndeadline = 600\n").unwrap();
    let limits = |args: &[&str], file: &Config| {
        merge::limits(&cli(&[args, &["policy"]].concat()).global, file)
    };
    let secs = Duration::from_secs;
    let all = ["--timeout", "5", "--max-attempts", "3", "--deadline", "60"];
    assert_eq!(
        limits(&all, &file).unwrap(),
        Limits {
            timeout: secs(5),
            max_attempts: 3,
            deadline: secs(60)
        }
    );
    assert_eq!(
        limits(&["--timeout", "5"], &file).unwrap(),
        Limits {
            timeout: secs(5),
            max_attempts: 8,
            deadline: secs(600)
        }
    );
    assert_eq!(limits(&[], &Config::default()).unwrap(), Limits::default());
    let e = limits(&["--deadline", "0"], &file).unwrap_err().to_string();
    assert!(e.contains("deadline must be at least 1"), "{e}");
    // Every command that reaches AWS gets them.
    let s = check(&["--max-attempts", "2"], "timeout = 7\n");
    assert_eq!(s.plans[0].aws.limits.max_attempts, 2);
    assert_eq!(s.plans[0].aws.limits.timeout, secs(7));
    assert_eq!(diff(&[], "timeout = 7\n").aws.limits.timeout, secs(7));
}

#[test]
fn fail_on_is_the_files_else_every_drift_status() {
    let s = check(&[], "fail_on = [\"missing\"]\n");
    assert_eq!(s.fail_on, Some(vec![Status::Missing]));
    assert_eq!(check(&[], "").fail_on, None);
    // `--fail-on` replaces the file's list; `new` narrows to new findings, statuses or not.
    let s = check(
        &["--fail-on", "new", "--since", "x.json"],
        "fail_on = [\"missing\"]\n",
    );
    assert_eq!((s.fail_on, s.fail_on_new), (None, true));
    let s = check(
        &["--history", "h.db"],
        "fail_on = [\"new\", \"modified\"]\n",
    );
    assert_eq!(
        (s.fail_on, s.fail_on_new),
        (Some(vec![Status::Modified]), true)
    );
}

#[test]
fn colors_only_on_a_terminal_without_no_color() {
    let tty = Environment {
        stdout_terminal: true,
        ..Environment::default()
    };
    assert!(merge::color(false, &tty));
    assert!(!merge::color(true, &tty));
    assert!(!merge::color(
        false,
        &Environment {
            no_color: true,
            ..tty
        }
    ));
    assert!(!merge::color(false, &Environment::default()));
}

#[test]
fn annotations_only_on_github_actions() {
    let config = Config::default();
    let run = |env: &Environment| match resolve_with(&cli(&["check"]), &config, env) {
        Ok(Settings::Check(s)) => s.output.github_annotations,
        other => panic!("{other:?}"),
    };
    assert!(run(&Environment {
        github_actions: true,
        ..Environment::default()
    }));
    assert!(!run(&Environment::default()));
}

const TARGETS: &str = "golden = \"top\"\nworkspace = \"top-ws\"\n\
    [[targets]]\nname = \"us\"\nregion = \"us-east-1\"\nprofile = \"prod\"\n\
    golden = \"golden-us\"\nworkspace = \"us-ws\"\n\
    [[targets]]\nname = \"eu\"\nregion = \"eu-west-1\"\nprofile = \"prod\"\n";

#[test]
fn region_flags_win_over_targets_and_targets_references_over_the_top_level() {
    let s = check(&["--region", "ap-south-1", "--golden", "flag"], TARGETS);
    let [us, eu] = &s.plans[..] else {
        panic!("{:?}", s.plans)
    };
    assert_eq!(
        (us.name.as_deref(), eu.name.as_deref()),
        (Some("us"), Some("eu"))
    );
    assert_eq!(us.aws.region.as_deref(), Some("ap-south-1"));
    assert_eq!(eu.aws.profile.as_deref(), Some("prod"));
    assert_eq!(us.golden.as_deref(), Some(Path::new("golden-us")));
    assert_eq!(eu.golden.as_deref(), Some(Path::new("flag")));
    assert_eq!(us.workspace.as_deref(), Some("us-ws"));
    assert_eq!(eu.workspace.as_deref(), Some("top-ws"));
    // One account (same profile): IAM once, by the first target.
    assert!(us.kinds.contains(&Kind::IamRole));
    assert!(!eu.kinds.contains(&Kind::IamRole) && eu.kinds.contains(&Kind::SqsQueue));
    // `--actual` compares one snapshot folder: no targets.
    let s = check(&["--actual", "snap"], TARGETS);
    assert_eq!(s.plans.len(), 1);
    assert_eq!(s.plans[0].name, None);
}

#[test]
fn policy_grants_the_flags_states_else_the_files_each_in_its_workspace() {
    let file = "states = [\"s3://b/top\"]\nworkspace = \"w\"\n\
                [[targets]]\nname = \"t\"\nstates = [\"s3://b/t\"]\nworkspace = \"tw\"\n";
    let config = Config::parse(file).unwrap();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        merge::policy_states(&["s3://b/flag".into()], Some("f"), &config),
        [("s3://b/flag".to_string(), some("f"))]
    );
    assert_eq!(
        merge::policy_states(&[], None, &config),
        [
            ("s3://b/top".to_string(), some("w")),
            ("s3://b/t".to_string(), some("tw"))
        ]
    );
    assert_eq!(
        merge::policy_states(&[], Some("f"), &config)[0],
        ("s3://b/top".to_string(), some("f"))
    );
}

#[test]
fn the_cache_is_on_unless_the_flag_or_the_file_turns_it_off() {
    let with_home = Environment {
        cache_dir: Some(PathBuf::from("/home/u/.cache/driftwatch")),
        ..Environment::default()
    };
    let aws = |args: &[&str], toml: &str| {
        let config = Config::parse(toml).unwrap();
        match resolve_with(&cli(args), &config, &with_home).unwrap() {
            Settings::Check(s) => s.plans[0].aws.clone(),
            other => panic!("{other:?}"),
        }
    };
    let on = aws(&["check"], "");
    assert_eq!(
        on.cache_dir.as_deref(),
        Some(Path::new("/home/u/.cache/driftwatch"))
    );
    assert!(on.tag_pages);
    for (args, toml) in [
        (&["--no-cache", "check"][..], ""),
        (&["check"][..], "cache = false"),
        (&["check", "--no-cache"][..], "cache = true"),
    ] {
        let off = aws(args, toml);
        assert_eq!(
            (off.cache_dir, off.tag_pages, off.cache_on_custom_endpoint),
            (None, false, false),
            "{args:?} {toml}"
        );
    }
    // On a custom endpoint only when the file says so.
    assert!(!on.cache_on_custom_endpoint);
    assert!(aws(&["check"], "cache = true").cache_on_custom_endpoint);
    assert!(!aws(&["check"], "cache = false").cache_on_custom_endpoint);
}

#[test]
fn the_cache_folder_follows_the_xdg_rules() {
    let p = |s: &str| Some(PathBuf::from(s));
    assert_eq!(
        merge::cache_dir(p("/tmp/c"), p("/xdg"), p("/home/u")),
        p("/tmp/c")
    );
    assert_eq!(
        merge::cache_dir(None, p("/xdg"), p("/home/u")),
        p("/xdg/driftwatch")
    );
    // A relative or empty XDG_CACHE_HOME is ignored, as the XDG spec says.
    for xdg in [p("rel"), p("")] {
        assert_eq!(
            merge::cache_dir(p(""), xdg, p("/home/u")),
            p("/home/u/.cache/driftwatch")
        );
    }
    assert_eq!(merge::cache_dir(None, None, None), None);
}

#[test]
fn history_is_the_flag_over_the_file_and_since_stands_alone() {
    use crate::history::Store;
    let s = check(&[], "history = \"file.db\"\nhistory_keep_days = 7\n");
    let h = s.history.unwrap();
    assert_eq!(h.store, Some(Store::File("file.db".into())));
    assert_eq!(h.keep_days, 7);
    let h = check(&["--history", "s3://b/k.db"], "history = \"file.db\"\n")
        .history
        .unwrap();
    assert!(matches!(h.store, Some(Store::S3 { .. })));
    let h = check(&["--since", "y.json"], "history = \"file.db\"\n")
        .history
        .unwrap();
    assert_eq!((h.store, h.since), (None, Some(PathBuf::from("y.json"))));
    assert!(check(&[], "").history.is_none());
    let e = settings(&["check", "--fail-on", "new"], "").unwrap_err();
    assert!(e.to_string().contains("--history PATH or --since"), "{e}");
}

#[test]
fn a_webhook_url_comes_from_the_file_or_the_variable_it_names() {
    let file = Config::parse(
        "history = \"h.db\"\n[[notify]]\nurl_env = \"HOOK\"\n[[notify]]\nurl = \"https://x.example/h\"\non = [\"error\"]\nformat = \"json\"\n",
    )
    .unwrap();
    let hooks = merge::notify(&file, false, |v| {
        (v == "HOOK").then(|| "https://a.example/1".into())
    })
    .unwrap();
    assert_eq!(hooks[0].url, "https://a.example/1");
    assert_eq!(
        hooks[0].on,
        [crate::config::NotifyOn::New, crate::config::NotifyOn::Error]
    );
    assert_eq!(hooks[1].format, crate::config::NotifyFormat::Json);
    assert_eq!(hooks[0].timeout, Duration::from_secs(10));
    let e = merge::notify(&file, false, |_| None).unwrap_err();
    assert!(e.to_string().contains("$HOOK is not set"), "{e}");
}
