//! Every human format fed one report whose ids, keys, values, origins and messages are hostile
//! (issue 23): what moto cannot seed (an id holding a newline, a backtick or a `:`) is seeded
//! here. The integration tests in `tests/integration/hostile_text.rs` seed the rest through AWS.

use serde_json::{json, Value};

use super::{console, driftignore, github, junit, markdown, slack};
use crate::diff::{compare, ErrorEntry, ReferenceKind, Report};
use crate::ignore::Rules;
use crate::model::{Inventory, Kind, Origin, Resource};

const SQS: Kind = Kind::SqsQueue;
/// A modified queue; ids of a missing and an unmanaged one.
const MODIFIED: &str = "q\u{1b}[2J\n::error::id `x`";
const MISSING: &str = "gone\n*\n#";
const UNMANAGED: &str = "a:b";

fn inventory(source: &str, docs: &[(&str, Value)]) -> Inventory {
    let mut inv = Inventory::new(source, &[SQS]);
    for (id, doc) in docs {
        let origin = Origin(format!("{source}/{}\n::warning::o.json", id.len()));
        inv.insert(
            SQS,
            id.to_string(),
            Resource {
                document: doc.clone(),
                origin,
                scope: Default::default(),
            },
        );
    }
    inv
}

fn report() -> Report {
    let golden = inventory(
        "golden",
        &[
            (MODIFIED, json!({"Tags": {"k\n#": "a"}})),
            (MISSING, json!({})),
        ],
    );
    let live = inventory(
        "live",
        &[
            (
                MODIFIED,
                json!({"Tags": {"k\n#": "```\u{9b}", "<img src=x>": "[t](http://e.x)"}}),
            ),
            (UNMANAGED, json!({})),
        ],
    );
    let failed = vec![ErrorEntry {
        target: None,
        kind: Some(Kind::IamRole),
        message: "bad \u{1b}]8;;http://e.x\u{7}\n::add-mask::x".into(),
    }];
    compare(
        &[SQS],
        vec![(ReferenceKind::Golden, golden)],
        live,
        failed,
        &Rules::default(),
    )
}

/// No control character, and no line the data starts.
fn assert_inert(what: &str, out: &str) {
    for line in out.lines() {
        assert!(!line.chars().any(char::is_control), "{what}: {line:?}");
        assert!(
            !line.trim_start().starts_with("::") || line.starts_with("::error "),
            "{what}: {line:?}"
        );
    }
}

#[test]
fn console_quiet_and_annotations_show_control_characters_of_ids_origins_and_messages() {
    let r = report();
    assert_inert("console", &console::render(&r, false, true));
    let colored = console::render(&r, true, true);
    // With color, the only escape sequences are driftwatch's own styles.
    assert!(!colored.contains("\u{1b}[2J"), "{colored}");
    assert_inert("quiet", &console::quiet(&r));
    let annotations = github::annotations(&r);
    assert_inert("github", &annotations);
    assert_eq!(annotations.lines().count(), 4, "{annotations}");
    assert!(console::render(&r, false, true)
        .contains("~ aws_sqs_queue q\\u{1b}[2J\\n::error::id `x`: modified"));
}

#[test]
fn junit_xml_holds_no_control_character() {
    let xml = junit::render(&report());
    assert!(!xml.chars().any(|c| c.is_control() && c != '\n'), "{xml}");
}

#[test]
fn markdown_ids_are_code_spans_the_backticks_cannot_close() {
    let md = markdown::render(&report());
    assert_inert("markdown", &md);
    assert!(
        md.contains("| `` q\\u{1b}[2J\\n::error::id `x` `` |"),
        "{md}"
    );
    assert!(md.contains("&lt;img src=x&gt;"), "{md}");
    assert!(md.contains("\\[t\\](http://e.x)"), "{md}");
    // The diff holds a run of three backticks: its fence is four.
    assert!(
        md.contains("\n````diff\n") && md.contains("\n````\n"),
        "{md}"
    );
    assert!(md.contains("<code>aws_sqs_queue q\\u{1b}[2J\\n::error::id `x`</code>"));
}

#[test]
fn ignore_rules_parse_to_exactly_one_rule_per_finding() {
    let text = driftignore::render(&report());
    let rules = Rules::parse(&text).unwrap();
    assert_eq!(rules.patterns(), ["aws_sqs_queue:gone?[*]?#"], "{text}");
    // An id holding `:` cannot be named by a rule: a comment says so.
    assert!(
        text.contains("# aws_sqs_queue a:b: unmanaged; no rule"),
        "{text}"
    );
    assert!(
        text.contains("# aws_sqs_queue q\\u{1b}[2J\\n::error::id `x`: modified; no rule"),
        "{text}"
    );
    assert!(rules.ignores_resource(SQS, MISSING));
    assert!(!rules.ignores_resource(SQS, "gone") && !rules.ignores_resource(SQS, "x"));
}

#[test]
fn slack_lines_stay_lines() {
    let m = slack::message(&report(), None);
    for b in m["blocks"].as_array().unwrap() {
        let t = b["text"]["text"].as_str().unwrap_or_default();
        assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t}");
        assert!(!t.contains('<') && !t.contains("```"), "{t}");
    }
}

#[test]
fn terraform_import_comments_show_control_characters_of_ids() {
    let id = "u\u{1b}[2J\n::error::x\u{9b}";
    let r = compare(
        &[SQS],
        vec![(ReferenceKind::Terraform, inventory("prod.tfstate", &[]))],
        inventory("live", &[(id, json!({}))]),
        Vec::new(),
        &Rules::default(),
    );
    let text = super::terraform_import::render(&r);
    assert!(text.contains("u\\u{1b}[2J\\n::error::x"), "{text}");
    assert_inert("terraform-import", &text);
}

/// A reference not judged quotes ids and policy text (a condition's values, a state's path):
/// every format shows it inert, as it does findings.
#[test]
fn references_not_judged_are_inert_in_every_format() {
    use crate::checks::{CheckId, NotJudged, Outcome, Reason};
    let mut r = Report::new(Vec::new(), Vec::new(), "state\n::error::x");
    r.checks_only = true;
    r.set_checks(Outcome {
        not_judged: vec![NotJudged {
            check: CheckId::TaskRole,
            kind: Kind::EcsTaskDefinition,
            id: "web\u{1b}[2J`".into(),
            subject: "arn\n::add-mask::y".into(),
            reason: Reason::NotDescribed,
            message: "names role <img src=x> [t](http://e.x)\n::error::z".into(),
            target: Some("prod\n#".into()),
        }],
        ..Outcome::default()
    });
    assert_inert("console", &console::render(&r, false, true));
    assert_inert("quiet", &console::quiet(&r));
    let md = markdown::render(&r);
    assert_inert("markdown", &md);
    assert!(md.contains("&lt;img src=x&gt; \\[t\\](http://e.x)"), "{md}");
    let annotations = github::annotations(&r);
    for line in annotations.lines() {
        assert!(line.starts_with("::notice title="), "{line:?}");
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    assert_eq!(annotations.lines().count(), 1, "{annotations}");
    let xml = junit::render(&r);
    assert!(!xml.chars().any(|c| c.is_control() && c != '\n'), "{xml}");
    assert!(xml.contains("<skipped"), "{xml}");
}
