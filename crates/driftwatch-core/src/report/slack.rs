//! Renderer: a Slack-compatible incoming-webhook message (`[[notify]]` with `format = "slack"`):
//! the summary line, up to [`MAX_LINES`] findings (new first) with their one-line
//! descriptions, what was resolved, what could not be checked, and a link to the full report.
//! Only reads the report. Text from the data is escaped for mrkdwn (`escape::slack`) and the
//! sections are `verbatim`, so Slack links no URL, channel or mention found in it.

use serde_json::{json, Value};

use super::console::{error_line, finding_line, summary_line};
use super::escape::slack as escape;
use super::group;
use crate::diff::Report;

/// Findings listed in a message; the rest are counted.
pub const MAX_LINES: usize = 10;

pub fn message(report: &Report, report_url: Option<&str>) -> Value {
    let summary = summary_line(report);
    let mut blocks = vec![section(&format!("*{}*", escape(&summary)))];
    let mut groups = group::drifted(report);
    // New findings first: they are why the message was sent.
    groups.sort_by_key(|g| group::seen_words(g).as_deref() != Some("new"));
    let lines: Vec<String> = groups
        .iter()
        .map(|g| format!("• {}", escape(&finding_line(report, g))))
        .collect();
    if !lines.is_empty() {
        blocks.push(section(&capped(lines)));
    }
    let resolved: Vec<String> = group::resolved(report)
        .into_iter()
        .map(|r| format!("✓ resolved {}", escape(&group::resolved_line(r))))
        .collect();
    if !resolved.is_empty() {
        blocks.push(section(&capped(resolved)));
    }
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| format!("✗ {}", escape(&error_line(e))))
        .collect();
    if !errors.is_empty() {
        blocks.push(section(&capped(errors)));
    }
    if let Some(url) = report_url {
        blocks.push(json!({"type": "context", "elements": [
            {"type": "mrkdwn", "text": format!("<{}|Full report>", escape(url))}
        ]}));
    }
    // `text` is what notifications and clients without blocks show.
    json!({ "text": escape(&summary), "blocks": blocks })
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": true}})
}

/// At most [`MAX_LINES`] lines, then how many more.
fn capped(mut lines: Vec<String>) -> String {
    let more = lines.len().saturating_sub(MAX_LINES);
    lines.truncate(MAX_LINES);
    if more > 0 {
        lines.push(format!("… and {more} more"));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ReferenceKind, ResourceReport, Seen, Status};
    use crate::model::Kind;

    fn finding(id: &str, new: bool) -> ResourceReport {
        ResourceReport {
            target: None,
            kind: Kind::SqsQueue,
            id: id.to_string(),
            status: Status::Unmanaged,
            reference: ReferenceKind::Golden.into(),
            partial: false,
            changes: Vec::new(),
            seen: Some(Seen {
                first_seen: Some("2026-11-01T00:00:00Z".into()),
                new,
            }),
            expected: None,
            actual: None,
        }
    }

    #[test]
    fn text_from_the_data_neither_links_nor_mentions_nor_breaks_lines() {
        let mut report = Report::new(
            vec![finding(
                "<!channel> <http://e.x|click> ```\n• in sync",
                true,
            )],
            Vec::new(),
            "live <@U1>",
        );
        report.summary.new = Some(1);
        let m = message(&report, None);
        let texts = [
            m["text"].as_str().unwrap(),
            m["blocks"][0]["text"]["text"].as_str().unwrap(),
            m["blocks"][1]["text"]["text"].as_str().unwrap(),
        ];
        for t in texts {
            assert!(
                !t.contains('<') && !t.contains('>') && !t.contains("```"),
                "{t}"
            );
            assert_eq!(t.lines().count(), 1, "{t}");
        }
        assert!(texts[2].contains("&lt;!channel&gt; &lt;http://e.x|click&gt;"));
        assert_eq!(m["blocks"][1]["text"]["verbatim"], true);
    }

    #[test]
    fn new_findings_come_first_and_the_list_is_capped() {
        let mut resources: Vec<ResourceReport> = (0..12)
            .map(|i| finding(&format!("old-{i:02}"), false))
            .collect();
        resources.push(finding("a<b>", true));
        let mut report = Report::new(resources, Vec::new(), "live");
        report.summary.new = Some(1);
        let m = message(&report, Some("https://ci.example.com/run/1"));
        let blocks = m["blocks"].as_array().unwrap();
        let list = blocks[1]["text"]["text"].as_str().unwrap();
        assert!(
            list.starts_with("• unmanaged aws_sqs_queue a&lt;b&gt;"),
            "{list}"
        );
        assert!(list.contains("[new]"), "{list}");
        assert!(list.ends_with("… and 3 more"), "{list}");
        assert_eq!(list.lines().count(), MAX_LINES + 1);
        let link = blocks.last().unwrap()["elements"][0]["text"]
            .as_str()
            .unwrap();
        assert_eq!(link, "<https://ci.example.com/run/1|Full report>");
        assert!(m["text"].as_str().unwrap().contains("1 new, 12 known"));
    }
}
