//! Renderer: one self-contained HTML page (`--format html`) that people open from a CI artifact,
//! a bucket or a mail, offline. Its style and script are inline and allowed by their hashes in
//! the page's own Content-Security-Policy, which forbids everything else (no request to any
//! host, no inline handler, no other script). Every value from the data goes through `maud`'s
//! escaping, after [`control`] has made control and bidi characters visible; the only links are
//! the page's own anchors. Without scripts the page is whole (everything shown, the filters
//! hidden); the script only filters, searches, switches a diff side by side and copies.
//!
//! Pure: the report and the run's facts in, the page out.

mod diff;
mod findings;
mod glance;
#[cfg(test)]
mod tests;
mod trend;

use base64::Engine;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use sha2::{Digest, Sha256};

use super::console::summary_line;
use super::escape::{self, control};
use crate::diff::Report;

/// The page's only style sheet and only script, inline.
const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// What the page says about the run that the report does not hold.
pub struct Meta<'a> {
    /// The driftwatch version that wrote the page.
    pub version: &'a str,
    /// When the page was written (RFC 3339).
    pub written_at: &'a str,
}

pub fn render(report: &Report, meta: &Meta) -> String {
    let summary = summary_line(report);
    let title = summary.strip_prefix("driftwatch: ").unwrap_or(&summary);
    // Each resource's entries, grouped once for every section that counts or lists them.
    let groups = super::group::groups(report);
    let page = html! {
        (DOCTYPE)
        html lang="en" data-js="off" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(policy());
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="referrer" content="no-referrer";
                // No icon to fetch: a page served from a bucket would otherwise ask for one.
                link rel="icon" href="data:,";
                title { "driftwatch: " (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (defs())
                a.skip href="#findings" { "Skip to the findings" }
                header {
                    h1 { "driftwatch report" }
                    p #verdict data-verdict=(verdict(report)) { (summary) }
                }
                main {
                    div.glance {
                        (glance::run(report, meta))
                        (glance::summary(report, &groups))
                    }
                    (glance::coverage(report, &groups))
                    (trend::chart(report))
                    (findings::errors(report))
                    (findings::list(report, &groups))
                    (findings::resolved(report))
                    (findings::not_judged(report))
                }
                footer {
                    p { "Written by driftwatch " (meta.version) " at " (meta.written_at) "." }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// What the bars and the chart fill with besides colours: missing resources are hatched.
fn defs() -> Markup {
    html! {
        svg.defs aria-hidden="true" focusable="false" width="0" height="0" {
            defs {
                pattern #hatch width="6" height="6" patternUnits="userSpaceOnUse"
                    patternTransform="rotate(45)" {
                    rect.hatch-bg width="6" height="6" {}
                    line.hatch-line x1="0" y1="0" x2="0" y2="6" {}
                }
            }
        }
    }
}

/// `default-src 'none'`: the page may load nothing, and run only its own style and script,
/// named by their digests (a value that broke out of its escaping could not run either).
fn policy() -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        digest(STYLE),
        digest(SCRIPT)
    )
}

/// A CSP source expression for an inline element's exact text.
fn digest(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

/// The verdict of the summary line, as one word a style or a test can read.
fn verdict(report: &Report) -> &'static str {
    if report.summary.errors > 0 {
        "errors"
    } else if report.has_drift() {
        "drift"
    } else if report.has_broken_references() {
        "broken"
    } else {
        "in-sync"
    }
}

/// The anchor of a finding: readable from `shown` (`f-orders-…`) and unique by a digest of
/// everything in `key`, made of characters that need no escaping in a URL fragment.
fn anchor(shown: &[&str], key: &[&str]) -> String {
    let mut slug = String::from("f");
    for part in shown.iter().filter(|p| !p.is_empty()) {
        slug.push('-');
        for c in part.chars().take(40) {
            slug.push(if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            });
        }
    }
    let hash = Sha256::digest(key.join("\u{0}").as_bytes());
    let hex: String = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{slug}-{hex}")
}

/// Text from the data, control and bidi characters shown, for `maud` to escape.
fn text(s: &str) -> String {
    control(s).into_owned()
}

/// Text from the data for a text node (never an attribute): [`escape::html`], which leaves
/// quotes as they are. `maud` escapes `"` everywhere, which a diff of JSON pays for six times a
/// line: a 10,000-finding page is a quarter smaller without it.
fn body(s: &str) -> PreEscaped<String> {
    PreEscaped(escape::html(s))
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A section with its heading, labelled by it for assistive technology.
fn section(id: &str, heading: &str, body: Markup) -> Markup {
    let h = format!("{id}-h");
    html! {
        section id=(id) aria-labelledby=(h) {
            h2 id=(h) { (heading) }
            (body)
        }
    }
}
