//! The report formats, by the names `--format`, `--report FORMAT=PATH` and `[[outputs]]` use.
//! Defined beside the renderers it names, so the file settings and the command line share it
//! without knowing each other; the `clap` feature lets the command line parse it.

/// A report format: each is one renderer of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Summary and a colored diff per drifted resource
    Console,
    /// The stable `driftwatch.report/v1` document
    Json,
    /// A table and diffs for CI job summaries
    Markdown,
    /// Ignore rules that would silence the current findings, to review and commit
    #[cfg_attr(feature = "clap", value(name = "ignore"))]
    #[serde(rename = "ignore")]
    IgnoreRules,
    /// JUnit XML: a test case per checked resource, drift as failures with the diff
    Junit,
    /// Terraform 1.5+ `import` blocks for what no Terraform state describes (needs --state)
    #[cfg_attr(feature = "clap", value(name = "terraform-import"))]
    #[serde(rename = "terraform-import")]
    TerraformImport,
    /// One self-contained HTML page: summary, coverage, history chart, filterable findings
    Html,
}
