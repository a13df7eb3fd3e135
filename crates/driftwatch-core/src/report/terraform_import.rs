//! Renderer: Terraform 1.5+ `import` blocks for the resources a run with a Terraform state found
//! `unmanaged` (`--format terraform-import`), so adopting them is a review and
//! `terraform plan -generate-config-out=generated.tf`. Each block imports by the id the AWS
//! provider documents for its type (`kinds::Def::import_id`, read by the fetch) into an address
//! made from the resource's name: a valid identifier, unique in its type, the same on every run.

use std::collections::BTreeMap;
use std::fmt::Write;

use sha2::{Digest, Sha256};

use crate::diff::{ReferenceKind, Report, ResourceReport, Status};
use crate::model::Kind;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    if !has_state(report) {
        let _ = writeln!(
            out,
            "# driftwatch: no Terraform state was compared (--state), so no resource is known \
             to be unmanaged by Terraform: no import blocks"
        );
        return out;
    }
    let found = unmanaged(report);
    let _ = writeln!(
        out,
        "# driftwatch: Terraform import blocks (Terraform 1.5+) for {} resource{} that no \
         Terraform state describes.\n# Review, then write their configuration with: terraform \
         plan -generate-config-out=generated.tf",
        found.len(),
        if found.len() == 1 { "" } else { "s" }
    );
    for (r, block) in blocks(report) {
        let target = r
            .target
            .as_deref()
            .map(|t| format!("[{}] ", comment(t)))
            .unwrap_or_default();
        let what = comment(&super::describe(report, r));
        let _ = writeln!(out, "\n# {target}{} {}: {what}", r.kind, comment(&r.id));
        match block {
            Some(block) => out.push_str(&block),
            None => {
                let _ = writeln!(
                    out,
                    "# its import id is not known from {}: run check against the account to \
                     get this block",
                    comment(&report.actual_source)
                );
            }
        }
    }
    out
}

/// The resources no Terraform state describes, in report order.
fn unmanaged(report: &Report) -> Vec<&ResourceReport> {
    report
        .resources
        .iter()
        .filter(|r| r.status == Status::Unmanaged)
        .filter(|r| r.reference.iter().any(|k| k == ReferenceKind::Terraform))
        .collect()
}

/// Each resource no Terraform state describes with its `import` block (ending in a newline),
/// or `None` when the run did not read its import id; empty when no state was compared.
pub fn blocks(report: &Report) -> Vec<(&ResourceReport, Option<String>)> {
    if !has_state(report) {
        return Vec::new();
    }
    let found = unmanaged(report);
    let names = addresses(&found);
    found
        .into_iter()
        .zip(names)
        .map(|(r, name)| {
            let key = (r.target.clone(), r.kind, r.id.clone());
            let block = report.import_ids.get(&key).map(|id| {
                format!(
                    "import {{\n  to = {}.{name}\n  id = {}\n}}\n",
                    r.kind,
                    string(id)
                )
            });
            (r, block)
        })
        .collect()
}

/// Whether any reference of the run is a Terraform state.
fn has_state(report: &Report) -> bool {
    report
        .resources
        .iter()
        .any(|r| r.reference.iter().any(|k| k == ReferenceKind::Terraform))
        || report.coverage.is_some()
}

/// The resource name of each address. A name two resources of one type would share gets a
/// suffix from its own id's digest in both, so neither depends on what else the run found.
fn addresses(found: &[&ResourceReport]) -> Vec<String> {
    let bases: Vec<(Kind, String)> = found.iter().map(|r| (r.kind, base(r))).collect();
    let mut count: BTreeMap<&(Kind, String), usize> = BTreeMap::new();
    for b in &bases {
        *count.entry(b).or_default() += 1;
    }
    found
        .iter()
        .zip(&bases)
        .map(|(r, b)| match count[b] {
            1 => b.1.clone(),
            _ => {
                let full = format!("{}/{}", r.target.as_deref().unwrap_or(""), r.id);
                let digest = Sha256::digest(full.as_bytes());
                let hex: String = digest[..4].iter().map(|x| format!("{x:02x}")).collect();
                format!("{}_{hex}", b.1)
            }
        })
        .collect()
}

/// The name a resource is known by (a group's name rather than its `sg-…` id), with its target
/// in front when the run has several, as an identifier.
fn base(r: &ResourceReport) -> String {
    let doc = r.actual.as_ref().map(|a| &a.document);
    let name = r
        .kind
        .def()
        .name_field
        .and_then(|field| doc?.get(field)?.as_str())
        .unwrap_or(&r.id);
    match &r.target {
        Some(t) => identifier(&format!("{t}_{name}")),
        None => identifier(name),
    }
}

/// A Terraform identifier from any text: lower case, every run of other characters than
/// letters and digits one `_`, starting with a letter (`r_` in front otherwise).
pub fn identifier(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out.to_string(),
        Some(_) => format!("r_{out}"),
        None => "resource".to_string(),
    }
}

/// An HCL quoted string: `"` and `\` escaped, and template sequences (`${`, `%{`) doubled so
/// they stay literal.
fn string(text: &str) -> String {
    let mut out = String::from('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a `#` comment: on one line, its control characters shown, not obeyed
/// ([`super::escape::control`], as in every human format).
fn comment(text: &str) -> String {
    super::escape::control(text).into_owned()
}

#[cfg(test)]
mod tests;
