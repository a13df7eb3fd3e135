//! The canonical document as text: what golden files hold and what reports diff. One function
//! shared by the golden source (which writes it) and the renderers (which show it), so a diff in
//! a report reads line for line like a `git diff` of the golden file.

use serde_json::Value;

/// The canonical document as it is written to golden files and shown in diffs: pretty-printed
/// with sorted keys and a trailing newline.
pub fn pretty(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}
