//! File names of golden files: a safe, reversible encoding of resource ids. Pure.
//!
//! A resource id becomes `<kind folder>/<encoded>.json`. AWS rejects most hostile names, but
//! AWS-compatible servers and future kinds do not, and a golden folder must never be written
//! outside itself nor hold a file that is never read back. The rules:
//!
//! - An id is split at `/` into segments; each segment is one folder level (`cluster/service`
//!   is `cluster/service.json`), so existing folders keep their layout. If any segment is empty
//!   (`a//b`, `/x`, `x/`), the whole id is one file name and every `/` is written `%2F`.
//! - In a segment, ASCII letters, digits and `-_.+=,@` stay as they are; every other byte of the
//!   UTF-8 encoding (`%`, `/`, `\`, `:`, spaces, control characters, non-ASCII) is written `%XX`
//!   (upper-case hex). A leading `.` is written `%2E`, so no segment is `.`, `..` or a hidden
//!   file.
//! - Reading decodes each path component and joins them with `/`.
//!
//! So `decode(encode(id)) == id` for every id, and an encoded name never leaves its folder.

use std::fmt::Write;

/// Bytes kept as they are inside a segment (besides a leading `.`).
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'+' | b'=' | b',' | b'@')
}

fn encode_segment(segment: &str, out: &mut String) {
    for (i, b) in segment.bytes().enumerate() {
        if is_plain(b) && !(i == 0 && b == b'.') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The relative path (with `/` separators, without `.json`) that stores `id`.
pub fn encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let segments: Vec<&str> = id.split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        // `%2F` for every `/`: an empty segment cannot be a folder.
        encode_segment(id, &mut out);
        return out;
    }
    for (i, s) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_segment(s, &mut out);
    }
    out
}

/// The id stored under the path components `parts` (the last one without `.json`), or why they
/// are not a name driftwatch writes.
pub fn decode(parts: &[&str]) -> Result<String, String> {
    let mut bytes = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            bytes.push(b'/');
        }
        if part.is_empty() {
            return Err("empty file name".into());
        }
        let raw = part.as_bytes();
        let mut j = 0;
        while j < raw.len() {
            if raw[j] == b'%' {
                let hex = raw
                    .get(j + 1..j + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("`%` must be followed by two hex digits in `{part}`"))?;
                bytes.push(hex);
                j += 3;
            } else {
                bytes.push(raw[j]);
                j += 1;
            }
        }
    }
    String::from_utf8(bytes).map_err(|_| "the decoded id is not UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};
    use proptest::prelude::*;

    fn round_trip(id: &str) -> String {
        let enc = encode(id);
        let parts: Vec<&str> = enc.split('/').collect();
        decode(&parts).unwrap()
    }

    #[test]
    fn ordinary_ids_keep_their_names() {
        assert_eq!(encode("retainwise-backend"), "retainwise-backend");
        assert_eq!(encode("prod/api"), "prod/api");
        assert_eq!(encode("sg-0123abcd"), "sg-0123abcd");
        assert_eq!(encode("jobs.fifo"), "jobs.fifo");
        assert_eq!(encode("role+x=y,z@w"), "role+x=y,z@w");
    }

    #[test]
    fn hostile_ids_stay_inside_and_round_trip() {
        for (id, enc) in [
            ("..", "%2E."),
            ("../../../../x", "%2E./%2E./%2E./%2E./x"),
            ("../backend", "%2E./backend"),
            (".hidden", "%2Ehidden"),
            ("100%", "100%25"),
            ("a//b", "a%2F%2Fb"),
            ("/abs", "%2Fabs"),
            ("trailing/", "trailing%2F"),
            ("caf\u{e9}", "caf%C3%A9"),
            ("a b:c\\d", "a%20b%3Ac%5Cd"),
            ("", ""),
        ] {
            assert_eq!(encode(id), enc, "{id}");
            if !id.is_empty() {
                assert_eq!(round_trip(id), id);
            }
        }
    }

    #[test]
    fn bad_names_are_errors() {
        assert!(decode(&["x%2"]).is_err());
        assert!(decode(&["x%zz"]).is_err());
        assert!(decode(&["%FF"]).is_err(), "not UTF-8");
    }

    proptest! {
        #[test]
        fn any_id_round_trips_and_never_leaves_its_folder(id in "\\PC{1,40}|[./%a]{1,12}") {
            let enc = encode(&id);
            for part in enc.split('/') {
                prop_assert!(!part.is_empty(), "{enc}");
                prop_assert!(!part.starts_with('.'), "{enc}");
                prop_assert!(part.bytes().all(|b| b.is_ascii_graphic()), "{enc}");
                prop_assert!(!part.contains('\\'), "{enc}");
            }
            prop_assert_eq!(round_trip(&id), id);
        }
    }
}
