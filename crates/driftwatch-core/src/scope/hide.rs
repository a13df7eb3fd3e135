//! Stage: diff (a helper of `scope`). Hides the values a reference marks sensitive: every
//! text, number and boolean under a marked path becomes `sha256:<hex>` of it (the digest of
//! `normalize::secrets`), so a sensitive value compares by digest and is never shown. Pure.

use serde_json::Value;

use crate::normalize::secrets::digest;

/// Digests every value under each of `paths` (JSON Pointers; `""` is the whole document),
/// except under `already`: paths this document's own reference has hidden, which hold digests
/// that digesting again would make unequal to the other side's.
pub fn hide(doc: &mut Value, paths: &[String], already: &[String]) {
    for path in paths {
        if covered(path, already) {
            continue;
        }
        if let Some(v) = doc.pointer_mut(path) {
            let mut at = path.clone();
            leaves(v, &mut at, already);
        }
    }
}

/// Whether `path` is one of `roots` or inside one.
fn covered(path: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| {
        path.strip_prefix(r.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

fn leaves(v: &mut Value, at: &mut String, already: &[String]) {
    if covered(at, already) {
        return;
    }
    let len = at.len();
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                leaves(x, at, already);
                at.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                at.push_str(&format!("/{i}"));
                leaves(x, at, already);
                at.truncate(len);
            }
        }
        Value::String(s) => *s = digest(s),
        Value::Number(n) => *v = Value::String(digest(&n.to_string())),
        Value::Bool(b) => *v = Value::String(digest(&b.to_string())),
        Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::hide;
    use crate::normalize::secrets::digest;

    #[test]
    fn every_value_under_a_path_is_digested_keys_kept() {
        let mut doc = json!({"Name": "q", "Tags": {"token": "s3cr3t", "n": 5, "on": true}});
        hide(&mut doc, &["/Tags".into()], &[]);
        assert_eq!(
            doc,
            json!({"Name": "q", "Tags": {"token": digest("s3cr3t"), "n": digest("5"),
                "on": digest("true")}})
        );
    }

    #[test]
    fn the_whole_document_and_what_is_hidden_already() {
        let mut doc = json!({"a": "x", "b": {"c": "sha256:kept"}});
        hide(&mut doc, &["".into()], &["/b".into()]);
        assert_eq!(doc, json!({"a": digest("x"), "b": {"c": "sha256:kept"}}));
        let mut doc = json!({"b": {"c": "y"}});
        hide(
            &mut doc,
            &["/b/c".into(), "/missing".into()],
            &["/b".into()],
        );
        assert_eq!(
            doc,
            json!({"b": {"c": "y"}}),
            "inside a path hidden already"
        );
    }
}
