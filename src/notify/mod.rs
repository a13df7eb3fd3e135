//! Notifications (`[[notify]]`): after a run, a POST to each webhook whose `on` events happened
//! (new findings, resolved ones, errors, any drift). Sent after the report is written; a
//! webhook that fails is a warning on stderr naming it by host and digest (its URL is a secret)
//! and never changes the exit code. The message is `report::slack` or the JSON report; the
//! HTTP is in [`post`].

pub(crate) mod post;

use crate::config::{NotifyFormat, NotifyOn};
use crate::diff::Report;
use crate::normalize::secrets::digest;
use crate::out;
use crate::report;
use crate::settings::NotifySettings;

/// The events of `on` that this run's report shows.
pub(crate) fn happened(report: &Report, on: &[NotifyOn]) -> Vec<NotifyOn> {
    on.iter()
        .copied()
        .filter(|o| match o {
            NotifyOn::New => report.summary.new.is_some_and(|n| n > 0),
            NotifyOn::Resolved => report.summary.resolved.is_some_and(|n| n > 0),
            NotifyOn::Error => !report.errors.is_empty(),
            NotifyOn::Drift => report.has_drift(),
        })
        .collect()
}

/// Tells each webhook that has something to hear; failures are warnings.
pub(crate) fn send_all(webhooks: &[NotifySettings], report: &Report) {
    for w in webhooks {
        if happened(report, &w.on).is_empty() {
            continue;
        }
        let body = match w.format {
            NotifyFormat::Slack => {
                report::slack::message(report, w.report_url.as_deref()).to_string()
            }
            NotifyFormat::Json => report::json::render(report),
        };
        let sent = crate::aws::block_on(post::post(&w.url, body.into_bytes(), w.timeout))
            .map_err(|e| e.to_string())
            .and_then(|r| r);
        match sent {
            Ok(()) => tracing::info!("notified {}", name(&w.url)),
            Err(e) => out::diag(&format!(
                "driftwatch: warning: the notification to {} failed: {e} (the exit code is unchanged)",
                name(&w.url)
            )),
        }
    }
}

/// A webhook as people may see it: its host and the digest of its URL (the path is the secret).
pub(crate) fn name(url: &str) -> String {
    let host = url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest))
        .unwrap_or("?");
    // The host may carry credentials (user:password@host): keep what follows the `@`.
    let host = host.rsplit('@').next().unwrap_or(host);
    let d = digest(url);
    format!("{host} ({}…)", &d[..19])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_is_named_by_host_and_digest_never_its_path() {
        let url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
        let n = name(url);
        assert!(n.starts_with("hooks.slack.com (sha256:"), "{n}");
        assert!(!n.contains("XXXXSECRET") && !n.contains("services"), "{n}");
        assert!(!name("https://user:pw@example.com/x").contains("pw"));
    }

    #[test]
    fn only_what_happened_is_told() {
        let mut report = Report::new(Vec::new(), Vec::new(), "live");
        let all = [
            NotifyOn::New,
            NotifyOn::Resolved,
            NotifyOn::Error,
            NotifyOn::Drift,
        ];
        assert!(happened(&report, &all).is_empty());
        report.summary.new = Some(0);
        report.summary.resolved = Some(2);
        assert_eq!(happened(&report, &all), [NotifyOn::Resolved]);
    }
}
