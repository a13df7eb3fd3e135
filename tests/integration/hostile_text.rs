//! Text from resources is hostile (issue 23): anyone allowed to register a task definition
//! writes label keys, environment names and values that driftwatch prints. Seeded through moto,
//! each human format must keep it inert: `--format ignore` one rule per finding and nothing
//! else, the console and the workflow commands free of control characters and of lines the
//! data starts, Markdown free of live HTML, links, code and fences.

use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, KeyValuePair, LogConfiguration, LogDriver, NetworkMode,
};
use driftwatch_core::ignore::Rules;
use driftwatch_core::model::Kind;

use crate::harness::Moto;

const TD: &str = "aws_ecs_task_definition";

/// Registers a revision of `family` with one container `app`, these Docker labels and these
/// environment variables.
pub(crate) async fn register(
    ecs: &aws_sdk_ecs::Client,
    family: &str,
    labels: &[(&str, &str)],
    env: &[(&str, &str)],
) {
    let mut c = ContainerDefinition::builder()
        .name("app")
        .image("nginx:1")
        .essential(true)
        .log_configuration(
            LogConfiguration::builder()
                .log_driver(LogDriver::Awslogs)
                .options("awslogs-group", format!("/ecs/{family}"))
                .build()
                .unwrap(),
        );
    for (k, v) in labels {
        c = c.docker_labels(*k, *v);
    }
    for (k, v) in env {
        c = c.environment(KeyValuePair::builder().name(*k).value(*v).build());
    }
    ecs.register_task_definition()
        .family(family)
        .network_mode(NetworkMode::Awsvpc)
        .requires_compatibilities(Compatibility::Fargate)
        .cpu("256")
        .memory("512")
        .container_definitions(c.build())
        .send()
        .await
        .expect("RegisterTaskDefinition");
}

/// A server with `web` and `other` snapshotted plain, then `web` registered again with the
/// hostile labels and environment.
async fn hostile(labels: &[(&str, &str)], env: &[(&str, &str)]) -> (Moto, aws_sdk_ecs::Client) {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, "web", &[("team", "a")], &[("PLAIN", "1")]).await;
    register(&ecs, "other", &[], &[("PLAIN", "1")]).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let mut all_labels = vec![("team", "a")];
    all_labels.extend_from_slice(labels);
    let mut all_env = vec![("PLAIN", "1")];
    all_env.extend_from_slice(env);
    register(&ecs, "web", &all_labels, &all_env).await;
    (moto, ecs)
}

#[tokio::test]
async fn generated_ignore_rules_are_exactly_one_rule_per_change_whatever_the_keys() {
    let (moto, ecs) = hostile(
        &[("x\n*:*\n#", "1"), ("\u{1b}[31m", "red"), ("pad ", "2")],
        &[],
    )
    .await;
    let text = moto
        .driftwatch(&["check", "--no-checks", "--format", "ignore"])
        .expect_code(1)
        .stdout;
    let rules = Rules::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let labels = "/containerDefinitions/app/dockerLabels";
    let mut got = rules.patterns();
    got.sort();
    let mut meant = vec![
        format!("{TD}:web:{labels}/x?[*]:[*]?#"),
        format!("{TD}:web:{labels}/?[[]31m"),
        format!("{TD}:web:{labels}/pad[ ]"),
    ];
    meant.sort();
    assert_eq!(got, meant, "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(line.starts_with(&format!("{TD}:web:{labels}/")), "{text}");
    }
    // Each rule matches its own path and no other.
    let doc = serde_json::json!({"containerDefinitions": {"app": {"dockerLabels": {
        "x\n*:*\n#": "1", "\u{1b}[31m": "red", "pad ": "2", "pad": "3", "team": "a"}}}});
    assert_eq!(
        rules.strip(Kind::EcsTaskDefinition, "web", doc),
        serde_json::json!({"containerDefinitions": {"app": {"dockerLabels": {
            "pad": "3", "team": "a"}}}})
    );

    // Committed, the file silences these findings, and a new drift still shows.
    std::fs::write(moto.path(".driftignore"), &text).unwrap();
    moto.driftwatch(&["check", "--no-checks"]).expect_code(0);
    register(&ecs, "other", &[], &[("PLAIN", "2")]).await;
    let report = moto.check(1);
    assert_eq!(report["summary"]["modified"], 1, "{report:#}");
}

/// Lines and characters a terminal or a GitHub runner would act on.
fn assert_inert_for_terminals(what: &str, out: &str, ours: &[&str]) {
    for (n, line) in out.lines().enumerate() {
        if let Some(c) = line.chars().find(|c| c.is_control()) {
            panic!("{what}: line {n} holds {c:?}: {line:?}\n{out}");
        }
        if line.trim_start().starts_with("::") {
            assert!(
                ours.iter().any(|p| line.starts_with(p)),
                "{what}: line {n} is a workflow command the data started: {line:?}\n{out}"
            );
        }
    }
}

#[tokio::test]
async fn console_and_workflow_commands_show_control_characters_of_keys_and_values() {
    let (moto, _ecs) = hostile(
        &[
            ("\u{1b}[31m", "red"),
            ("\n::error::pwned", "a"),
            ("::add-mask::x\r\n::stop-commands::tok", "b"),
            ("del\u{7f}\u{9b}31m", "c"),
        ],
        &[("\n::error::env", "\n::add-mask::value\u{1b}[0m")],
    )
    .await;
    let console = moto
        .driftwatch_with_env(&["check", "--no-checks"], &[("NO_COLOR", "1")])
        .expect_code(1);
    assert_inert_for_terminals("console", &console.stdout, &[]);
    assert!(
        console.stdout.contains("dockerLabels/\\u{1b}[31m added"),
        "{}",
        console.stdout
    );
    assert!(
        console
            .stdout
            .contains("env \\n::error::env of container app added"),
        "{}",
        console.stdout
    );
    // The diff's JSON shows C0 controls itself; DEL and C1 it leaves raw.
    assert!(
        console.stdout.contains("\"del\\u{7f}\\u{9b}31m\": \"c\""),
        "{}",
        console.stdout
    );
    let quiet = moto
        .driftwatch(&["check", "--no-checks", "-q"])
        .expect_code(1);
    assert_inert_for_terminals("quiet", &quiet.stdout, &[]);

    let github = moto
        .driftwatch_with_env(
            &["check", "--no-checks", "--format", "json"],
            &[("GITHUB_ACTIONS", "true")],
        )
        .expect_code(1);
    let annotations: Vec<&str> = github
        .stderr
        .lines()
        .filter(|l| l.starts_with("::"))
        .collect();
    assert_eq!(annotations.len(), 1, "{}", github.stderr);
    assert_inert_for_terminals("annotations", &github.stderr, &["::error "]);
    assert!(
        annotations[0].contains("dockerLabels/\\n::error::pwned added"),
        "{}",
        annotations[0]
    );
}

/// The text of a Markdown document outside fenced blocks and code spans, asserting that every
/// fence and span closes.
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        match fence {
            Some(n) if ticks >= n && line[ticks..].trim().is_empty() => fence = None,
            Some(_) => {}
            None if ticks >= 3 => fence = Some(ticks),
            None => {
                out.push_str(&strip_code_spans(line));
                out.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "a fence is left open:\n{md}");
    out
}

/// A line without its code spans (a run of n backticks up to the next run of exactly n); an
/// escaped backtick `\`` is text.
fn strip_code_spans(line: &str) -> String {
    let b = line.as_bytes();
    let (mut out, mut i) = (String::new(), 0);
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            out.push_str(&line[i..i + 2]);
            i += 2;
            continue;
        }
        if b[i] != b'`' {
            let c = line[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let n = line[i..].len() - line[i..].trim_start_matches('`').len();
        let rest = &line[i + n..];
        let close = (0..rest.len()).find(|&j| {
            rest[j..].starts_with(&"`".repeat(n))
                && !rest[j + n..].starts_with('`')
                && (j == 0 || !rest[..j].ends_with('`'))
        });
        match close {
            Some(j) => i += n + j + n,
            None => panic!("unclosed code span in {line:?}"),
        }
    }
    out
}

#[tokio::test]
async fn markdown_keeps_html_links_and_backticks_from_the_data_inert() {
    let (moto, _ecs) = hostile(
        &[("`x` ```", "```"), ("a|b", "*bold*")],
        &[
            ("<img src=x onerror=alert(1)>", "[t](http://e.x)"),
            ("![i](http://e.x/i.png)", "</details>\n\n# big"),
        ],
    )
    .await;
    let md = moto
        .driftwatch(&["check", "--no-checks", "--format", "markdown"])
        .expect_code(1)
        .stdout;
    let text = outside_code(&md);
    for live in ["<img", "[t](", "![i](", "</details>\n\n", "\n# big"] {
        assert!(!text.contains(live), "{live:?} is live in:\n{md}");
    }
    assert_eq!(text.matches("<details>").count(), 1, "{md}");
    assert_eq!(text.matches("</details>").count(), 1, "{md}");
    // Every table row keeps its six cell borders; what differs holds no code of the data.
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| modified")).collect();
    assert_eq!(rows.len(), 1, "{md}");
    for row in rows {
        let borders = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
            .count();
        assert_eq!(borders, 6, "{row}");
        let what = row.rsplit(" | ").next().unwrap();
        assert!(
            what.chars()
                .zip(what.chars().skip(1))
                .all(|(a, b)| b != '`' || a == '\\'),
            "{row}"
        );
        assert!(what.contains("env &lt;img src=x onerror=alert(1)&gt; of container app added: \"\\[t\\](http://e.x)\""), "{row}");
    }
}
