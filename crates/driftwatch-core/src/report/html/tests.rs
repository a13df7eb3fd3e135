//! The page on reports built here, where any text can be seeded: what the browser tests
//! (`tests/integration/html_*.rs`) cannot reach through AWS. The markup is checked as text:
//! every tag is one the renderer writes, every link an anchor of the page, the policy names the
//! inline code's digests.

use serde_json::{json, Value};

use super::{anchor, digest, render, Meta, SCRIPT, STYLE};
use crate::checks::{CheckId, Finding, Severity};
use crate::diff::{compare, ErrorEntry, ReferenceKind, Report};
use crate::history::rows::RunRow;
use crate::ignore::Rules;
use crate::model::{Inventory, Kind, Origin, Resource};

const SQS: Kind = Kind::SqsQueue;
const META: Meta = Meta {
    version: "0.1.0",
    written_at: "2026-12-06T10:00:00Z",
};
/// Text that would act as markup, a script, a style, a link or a reordering if not escaped.
const HOSTILE: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "\"><img src=x onerror=\"window.__pwned=1\">",
    "</style><style>body{display:none}</style>",
    "javascript:window.__pwned=1",
    "</textarea><!--",
    "abc\u{202e}txt.exe\u{2066}",
    "]]><![CDATA[",
];

fn inventory(source: &str, docs: &[(&str, Value)]) -> Inventory {
    let mut inv = Inventory::new(source, &[SQS]);
    for (id, doc) in docs {
        inv.insert(
            SQS,
            id.to_string(),
            Resource {
                document: doc.clone(),
                origin: Origin(format!("{source}/{id}.json")),
                scope: Default::default(),
            },
        );
    }
    inv
}

/// Queues described by a golden folder compared with the account's.
fn against_golden(golden: &[(&str, Value)], live: &[(&str, Value)]) -> Report {
    compare(
        &[SQS],
        vec![(ReferenceKind::Golden, inventory("golden", golden))],
        inventory("live", live),
        vec![],
        &Rules::default(),
    )
}

/// A modified, a missing and an unmanaged queue, each named and tagged with hostile text, an
/// error and a check finding quoting it.
fn hostile_report() -> Report {
    let tags = |v: &str| json!({ "Tags": HOSTILE.iter().map(|h| (h.to_string(), json!(format!("{h}{v}")))).collect::<serde_json::Map<_, _>>() });
    let golden = inventory(
        "golden",
        &[
            (HOSTILE[0], tags("a")),
            (HOSTILE[1], json!({"Policy": HOSTILE[2]})),
        ],
    );
    let live = inventory("live", &[(HOSTILE[0], tags("b")), (HOSTILE[5], tags("c"))]);
    let failed = vec![ErrorEntry {
        target: Some(HOSTILE[3].into()),
        kind: Some(Kind::IamRole),
        message: HOSTILE.join(" "),
    }];
    let mut report = compare(
        &[SQS],
        vec![(ReferenceKind::Golden, golden)],
        live,
        failed,
        &Rules::default(),
    );
    report.references = vec![HOSTILE[4].to_string()];
    report.checks.push(Finding {
        check: CheckId::QueueAccess,
        severity: Severity::Error,
        kind: SQS,
        id: HOSTILE[0].into(),
        subject: HOSTILE[3].into(),
        message: HOSTILE.join(" "),
        target: Some(HOSTILE[6].into()),
    });
    report
}

/// Every tag in `page` is one the renderer writes.
fn tags(page: &str) -> Vec<String> {
    let re = regex_lite::Regex::new(r"<(/?[A-Za-z!][A-Za-z0-9-]*)").unwrap();
    re.captures_iter(page)
        .map(|c| c[1].to_lowercase())
        .collect()
}

const OURS: &[&str] = &[
    "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4",
    "p", "main", "section", "dl", "dt", "dd", "time", "ul", "li", "code", "table", "thead",
    "tbody", "tr", "th", "td", "svg", "defs", "pattern", "rect", "line", "text", "g", "span",
    "details", "summary", "form", "label", "select", "option", "input", "output", "div", "article",
    "a", "button", "pre", "footer", "script", "br", "link",
];

const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "http-equiv",
    "content",
    "name",
    "id",
    "class",
    "aria-labelledby",
    "aria-label",
    "aria-hidden",
    "aria-live",
    "aria-pressed",
    "datetime",
    "role",
    "width",
    "height",
    "viewbox",
    "viewBox",
    "focusable",
    "patternUnits",
    "patternTransform",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "text-anchor",
    "open",
    "type",
    "hidden",
    "for",
    "value",
    "placeholder",
    "autocomplete",
    "rel",
    "href",
    "scope",
];

#[test]
fn hostile_text_is_text_wherever_it_lands() {
    let page = render(&hostile_report(), &META);
    for tag in tags(&page) {
        let name = tag.trim_start_matches('/');
        assert!(
            OURS.contains(&name),
            "a tag the renderer does not write: <{tag}"
        );
    }
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("<style").count(), 1);
    // Every attribute is one the renderer writes (no event handler), and the only links are
    // the page's own anchors. Values are double-quoted with `"` escaped inside, so this reads
    // each attribute exactly.
    let tag = regex_lite::Regex::new(r"<[a-z][^>]*>").unwrap();
    let attr = regex_lite::Regex::new(r#"\s([^\s="/>]+)(="[^"]*")?"#).unwrap();
    for t in tag.find_iter(&page) {
        for a in attr.captures_iter(t.as_str()) {
            let name = &a[1];
            assert!(
                ATTRIBUTES.contains(&name) || name.starts_with("data-"),
                "{name} in {}",
                t.as_str()
            );
        }
    }
    for href in page.split(" href=\"").skip(1) {
        assert!(
            href.starts_with("#f-")
                || href.starts_with("#findings\"")
                || href.starts_with("data:,\""),
            "a link that is not an anchor: {href:.40}"
        );
    }
    // Bidi and other controls are shown, never obeyed.
    assert!(!page.contains('\u{202e}') && !page.contains('\u{2066}'));
    assert!(page.contains("abc\\u{202e}txt.exe\\u{2066}"));
    // And the text is all there, as text.
    assert!(page.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(page.contains("&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;"));
}

#[test]
fn the_policy_allows_exactly_the_inline_style_and_script() {
    let page = render(&hostile_report(), &META);
    let style = format!("<style>{STYLE}</style>");
    let script = format!("<script>{SCRIPT}</script>");
    assert!(page.contains(&style) && page.contains(&script));
    let csp = format!(
        "default-src 'none'; style-src '{}'; script-src '{}';",
        digest(STYLE),
        digest(SCRIPT)
    );
    assert!(page.contains(&csp), "{}", &page[..400]);
    // As `printf abc | openssl dgst -sha256 -binary | base64` gives it.
    assert_eq!(
        digest("abc"),
        "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    );
    // No inline style attribute, which the policy would refuse.
    assert!(!page.contains(" style=\""));
}

#[test]
fn errors_come_before_the_findings_and_each_finding_has_its_permalink() {
    let page = render(&hostile_report(), &META);
    let errors = page.find("id=\"errors\"").expect("an errors section");
    let findings = page.find("id=\"findings\"").expect("a findings section");
    assert!(errors < findings);
    let ids: Vec<&str> = page
        .split("<article ")
        .skip(1)
        .map(|a| a.split("id=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    // A modified, a missing and an unmanaged queue, and one check finding.
    assert_eq!(ids.len(), 4);
    for id in &ids {
        assert!(page.contains(&format!("href=\"#{id}\"")), "{id}");
        assert!(id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)));
    }
    // No anchor twice, even for the same check finding twice.
    let mut twice = hostile_report();
    let again = twice.checks[0].clone();
    twice.checks.push(again);
    let page2 = render(&twice, &META);
    let ids2: std::collections::BTreeSet<&str> = page2
        .split("<article ")
        .skip(1)
        .map(|a| a.split("id=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    assert_eq!(ids2.len(), 5);
    // The broken reference first.
    assert!(page
        .split("<article ")
        .nth(1)
        .unwrap()
        .contains("data-status=\"broken\""));
}

#[test]
fn anchors_differ_for_ids_that_read_alike() {
    let a = anchor(&["a b"], &["", "aws_sqs_queue", "a b"]);
    let b = anchor(&["a-b"], &["", "aws_sqs_queue", "a-b"]);
    assert_ne!(a, b);
    assert!(a.starts_with("f-a-b-"), "{a}");
    assert_eq!(a, anchor(&["a b"], &["", "aws_sqs_queue", "a b"]));
    // The same id in two kinds: two anchors.
    assert_ne!(a, anchor(&["a b"], &["", "aws_iam_role", "a b"]));
}

#[test]
fn the_filters_offer_what_the_findings_hold_and_start_hidden() {
    let page = render(&hostile_report(), &META);
    let form = &page[page.find("<form").unwrap()..page.find("</form>").unwrap()];
    assert!(form.contains(" hidden"));
    assert!(form.contains("id=\"f-kind\""));
    assert!(form.contains("<option value=\"aws_sqs_queue\">"));
    assert!(form.contains("id=\"f-check\""));
    assert!(form.contains("<option value=\"queue-access\">"));
    // Targets: the check finding's, escaped.
    assert!(form.contains("id=\"f-target\""));
    // No history: no new/known filter.
    assert!(!form.contains("f-seen"));
    assert!(form.contains("data-shown=\"4\" data-total=\"4\""));
}

#[test]
fn a_clean_report_says_so_and_has_no_filters() {
    let page = render(
        &against_golden(&[("q", json!({"A": 1}))], &[("q", json!({"A": 1}))]),
        &META,
    );
    assert!(page.contains("data-verdict=\"in-sync\""));
    assert!(page.contains("Nothing drifted"));
    assert!(!page.contains("<form"));
    assert!(!page.contains("id=\"trend\""));
    assert!(page.contains("<tr data-kind=\"aws_sqs_queue\" data-in_sync=\"1\""));
}

#[test]
fn long_diffs_and_large_reports_start_folded() {
    let many: serde_json::Map<String, Value> =
        (0..60).map(|i| (format!("k{i}"), json!(i))).collect();
    let changed: serde_json::Map<String, Value> =
        (0..60).map(|i| (format!("k{i}"), json!(i + 1))).collect();
    let report = against_golden(
        &[("long", json!(many)), ("short", json!({"A": 1}))],
        &[("long", json!(changed)), ("short", json!({"A": 2}))],
    );
    let page = render(&report, &META);
    assert_eq!(page.matches("<details class=\"diff\" open>").count(), 1);
    assert_eq!(page.matches("<details class=\"diff\">").count(), 1);
}

#[test]
fn the_chart_has_a_point_per_run_with_its_numbers() {
    let mut report = hostile_report();
    report.trend = (1..=3)
        .map(|i| RunRow {
            run: i,
            checked_at: format!("2026-12-0{i}T02:00:00Z"),
            scope: String::new(),
            findings: 2 * i,
            new: i,
            known: i,
            resolved: 3 - i,
            errors: 0,
        })
        .collect();
    let page = render(&report, &META);
    assert_eq!(page.matches("<g class=\"run\"").count(), 3);
    assert!(page.contains(
        "data-run=\"2\" data-checked-at=\"2026-12-02T02:00:00Z\" data-new=\"2\" data-known=\"2\" \
         data-resolved=\"1\""
    ));
    // Bars never have a negative height, even from a database edited by hand.
    report.trend[0].known = -5;
    let page = render(&report, &META);
    assert!(!page.contains("height=\"-"));
}

/// A task definition as AWS describes it, with `n` in its image tag and environment.
fn task_definition(n: usize, tag: &str) -> Value {
    json!({
        "family": format!("service-{n}"),
        "networkMode": "awsvpc",
        "cpu": "256", "memory": "512",
        "requiresCompatibilities": ["FARGATE"],
        "taskRoleArn": format!("arn:aws:iam::123456789012:role/service-{n}-task"),
        "containerDefinitions": {
            "app": {
                "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/service-{n}:{tag}"),
                "essential": true,
                "environment": {"LOG_LEVEL": "info", "QUEUE_URL": format!("https://sqs.us-east-1.amazonaws.com/123456789012/q-{n}")},
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]
            }
        }
    })
}

/// The issue's bound: 10,000 findings (7,000 modified with a diff each, 2,000 missing, 1,000
/// unmanaged) in under 10 MB. Size, unlike time, is the same on every machine.
#[test]
fn ten_thousand_findings_stay_under_ten_megabytes() {
    let td = Kind::EcsTaskDefinition;
    let mut golden = Inventory::new("golden", &[td]);
    let mut live = Inventory::new("live", &[td]);
    let put = |inv: &mut Inventory, n: usize, tag: &str, source: &str| {
        inv.insert(
            td,
            format!("service-{n}"),
            Resource {
                document: task_definition(n, tag),
                origin: Origin(format!("{source}/aws_ecs_task_definition/service-{n}.json")),
                scope: Default::default(),
            },
        );
    };
    for n in 0..9_000 {
        put(&mut golden, n, "v1", "golden");
    }
    for n in (0..7_000).chain(9_000..10_000) {
        put(&mut live, n, "v2", "live");
    }
    let report = compare(
        &[td],
        vec![(ReferenceKind::Golden, golden)],
        live,
        vec![],
        &Rules::default(),
    );
    assert_eq!(report.summary.modified, 7_000);
    let page = render(&report, &META);
    assert_eq!(page.matches("<article ").count(), 10_000);
    let mb = page.len() as f64 / 1e6;
    eprintln!("10,000 findings: {mb:.2} MB");
    assert!(mb < 10.0, "{mb:.2} MB");
}
