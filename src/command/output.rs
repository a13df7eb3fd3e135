//! Writing a finished report: each destination in its format (stdout or a file, atomically), the
//! summary or quiet lines beside them, the errors on stderr and, on GitHub Actions, a workflow
//! annotation per finding.

use crate::diff::Report;
use crate::error::Result;
use crate::exit;
use crate::out;
use crate::report;
use crate::report::Format;
use crate::settings::OutputSettings;

/// Writes each destination, then what goes beside them: on stdout the summary line when no
/// report went there, or with `-q` the summary and a line per finding, but nothing at all when
/// the run is clean (exit 0); on stderr each error once, and the GitHub annotations.
pub(super) fn emit(o: &OutputSettings, report: &Report, code: u8) -> Result<()> {
    let mut on_stdout = false;
    for d in &o.destinations {
        match &d.path {
            Some(path) => {
                crate::atomic::write(path, render(d.format, report, false, true).as_bytes())?
            }
            // `-q` stands for the console report; a format asked for by name is still written.
            None if o.quiet && d.format == Format::Console => {}
            None if d.format == Format::Json => {
                // Written as it is serialized: a report of 50,000 resources is never held
                // whole as text beside the report itself.
                on_stdout = true;
                out::print_with(|w| report::json::write(report, w))?;
            }
            None => {
                on_stdout = true;
                out::print(&render(d.format, report, o.color, false))?;
            }
        }
    }
    if o.quiet && !on_stdout && code != exit::IN_SYNC {
        out::print(&report::console::quiet(report))?;
    } else if !o.quiet && !on_stdout {
        out::line(&report::console::summary_line(report))?;
    }
    for e in &report.errors {
        out::diag(&format!(
            "driftwatch: error: {}",
            report::console::error_line(e)
        ));
    }
    // On stderr: the runner reads workflow commands from both streams, and stdout stays the
    // report alone (`--format json | jq`).
    if o.github_annotations {
        out::diag_raw(&report::github::annotations(report));
    }
    Ok(())
}

/// Lets go of a written report without freeing it document by document: the command ends
/// here and the process's memory goes back at once on exit, while freeing 50,000 documents of a
/// large state one by one took a tenth of the run.
pub(super) fn leave(report: Report) {
    std::mem::forget(report);
}

/// The report in `format`. `errors` lists the errors in a console report (for files; on stdout
/// they are on stderr already).
fn render(format: Format, report: &Report, color: bool, errors: bool) -> String {
    match format {
        Format::Console => report::console::render(report, color, errors),
        Format::Json => report::json::render(report),
        Format::Markdown => report::markdown::render(report),
        Format::IgnoreRules => report::driftignore::render(report),
        Format::Junit => report::junit::render(report),
        Format::TerraformImport => report::terraform_import::render(report),
        Format::Html => {
            let written_at = crate::history::rfc3339(time::OffsetDateTime::now_utc());
            let meta = report::html::Meta {
                version: env!("CARGO_PKG_VERSION"),
                written_at: &written_at,
            };
            report::html::render(report, &meta)
        }
    }
}
