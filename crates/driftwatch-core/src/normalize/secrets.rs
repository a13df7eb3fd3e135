//! Stage: normalize. Finds secrets inside values, by the name they are given and by their
//! shape, and replaces each with `sha256:<hex>` of it, so a rotated secret is still drift but
//! the secret is never written or printed. Pure: no I/O and no settings of its own (the name
//! rule is passed in by the caller); it must not decide *where* in a document values are, only
//! what in a value is secret.
//!
//! **Digest rule.** A digest is `sha256:` followed by exactly 64 lowercase hex digits. What a
//! digest-shaped text means depends on where the document comes from ([`Input`]):
//! - in our own canonical output (golden files) it is a digest we wrote, and is kept as it is,
//!   so re-normalizing a golden file changes nothing;
//! - in what AWS or Terraform holds it is data like any other: AWS never stores our digests, so
//!   a live value `sha256:<64 hex>` is digested again. A value set in the account to the digest
//!   in a golden file therefore never passes for the secret it replaced.
//!
//! Any other text that merely starts with `sha256:` is never taken for a digest.

mod patterns;

use regex_lite::{Captures, Regex};
use serde_json::Value;

use patterns::{
    hide_aws_secret_keys, is_http_credential, ASSIGNMENT, AUTHORIZATION, DIGEST_TEXT,
    FLAG_AND_VALUE, JSON_MEMBER, LONE_FLAG, PRIVATE_KEY, TOKEN, TOKEN_LITERALS, URL_PASSWORD,
    USER_AND_PASSWORD,
};

/// Where a document comes from, which decides what digest-shaped text in it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Our own canonical form (golden files, hand-written or written by `snapshot`): text of
    /// the digest shape is a digest already and is kept.
    Canonical,
    /// As AWS or Terraform holds it: text of the digest shape is a value and is digested.
    Raw,
}

/// Replaces secrets in values. `is_secret_name` is the name rule (environment variable names,
/// label and option keys, `--flag` names).
#[derive(Clone, Copy)]
pub struct Redactor<'a> {
    pub input: Input,
    pub is_secret_name: &'a dyn Fn(&str) -> bool,
}

/// `sha256:<64 lowercase hex>` of `s`.
pub fn digest(s: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(s.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// True for exactly `sha256:` + 64 lowercase hex digits, the form [`digest`] writes.
pub fn is_digest(s: &str) -> bool {
    s.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Whether `canonical`, normalized from `raw`, holds a digest that is not in `raw`: one the
/// redaction made, so `raw` holds a secret in clear (or a digest-shaped value, digested again:
/// taken for a secret too, erring on the safe side).
pub fn redaction_found_secrets(raw: &Value, canonical: &Value) -> bool {
    let raw = raw.to_string();
    DIGEST_TEXT
        .find_iter(&canonical.to_string())
        .any(|m| !raw.contains(m.as_str()))
}

/// A value that must be hidden: kept when it is already a digest, digested otherwise.
fn hide(value: &str) -> String {
    if is_digest(value) {
        value.to_string()
    } else {
        digest(value)
    }
}

/// Passes are repeated until nothing changes; a text that has not settled after this many
/// rounds is digested whole (which is settled: a digest matches no pass).
const MAX_ROUNDS: usize = 6;

impl Redactor<'_> {
    /// A value stored under `name` (an environment variable, a label, an option): all of it
    /// when the name is a secret's, else its secret-shaped parts.
    pub fn named_value(&self, name: &str, value: &str) -> String {
        if !(self.is_secret_name)(name) {
            return self.text(value);
        }
        match self.input {
            Input::Raw => digest(value),
            Input::Canonical => hide(value),
        }
    }

    /// `value` with every secret-shaped part replaced by its digest and the rest unchanged.
    pub fn text(&self, value: &str) -> String {
        let mut current = match self.input {
            Input::Raw if value.contains("sha256:") => {
                replace(&DIGEST_TEXT, value, |c| digest(&c[0]))
            }
            Input::Raw => value.to_string(),
            Input::Canonical => value.to_string(),
        };
        // Each pass sees the others' output; repeating until settled makes the result a
        // fixed point, which is what idempotent normalization needs.
        for _ in 0..MAX_ROUNDS {
            let next = self.one_round(&current);
            if next == current {
                return current;
            }
            current = next;
        }
        digest(&current)
    }

    /// Each pass runs only when its cheap precondition (implied by any match) holds: most
    /// values hold no secret, and a regex search is slow next to a substring test.
    fn one_round(&self, s: &str) -> String {
        let mut s = s.to_string();
        pass(&mut s, &PRIVATE_KEY, has(&["PRIVATE KEY"]), |c| {
            digest(&c[0])
        });
        pass(&mut s, &TOKEN, has(TOKEN_LITERALS), |c| digest(&c[0]));
        pass(&mut s, &AUTHORIZATION, has(&["asic ", "earer "]), |c| {
            let credential = &c[2];
            if is_http_credential(&c[1], credential) {
                format!("{}{}", &c[1], hide(credential))
            } else {
                c[0].to_string()
            }
        });
        s = hide_aws_secret_keys(&s);
        let credentials = |s: &str| s.find("://").is_some_and(|i| s[i..].contains('@'));
        pass(&mut s, &URL_PASSWORD, credentials, |c| {
            format!("{}{}:{}@", &c[1], &c[2], hide(&c[3]))
        });
        let json = |s: &str| s.contains('"') && s.contains(':');
        pass(&mut s, &JSON_MEMBER, json, |c| {
            self.if_secret_name(&c[1], c, |v| format!("\"{}\"{}\"{}\"", &c[1], &c[2], v))
        });
        pass(
            &mut s,
            &ASSIGNMENT,
            |s| self.secret_assignment(s),
            |c| self.if_secret_name(&c[1], c, |v| format!("{}={v}", &c[1])),
        );
        pass(
            &mut s,
            &FLAG_AND_VALUE,
            |s| self.secret_flag(s),
            |c| self.if_secret_name(&c[2], c, |v| format!("{}{}{}{v}", &c[1], &c[2], &c[3])),
        );
        let user_flag = |s: &str| {
            words(s).any(|w| {
                let flag = w.split('=').next().unwrap_or_default();
                matches!(flag, "-u" | "-U" | "--user" | "--proxy-user")
            })
        };
        pass(&mut s, &USER_AND_PASSWORD, user_flag, |c| {
            format!("{}{}:{}", &c[1], &c[2], hide(&c[3]))
        });
        s
    }

    /// Some `name=` in `s` has a secret's name: every name [`ASSIGNMENT`] can see is the whole
    /// run of name characters before an `=`.
    fn secret_assignment(&self, s: &str) -> bool {
        s.match_indices('=').any(|(i, _)| {
            let before = &s.as_bytes()[..i];
            let start = before
                .iter()
                .rposition(|&b| !is_name_byte(b))
                .map_or(0, |p| p + 1);
            // Name bytes are ASCII, so `start` is a character boundary.
            self.is_secret_flag_name(&s[start..i])
        })
    }

    /// Some word of `s` is a `-flag` with a secret's name (what [`FLAG_AND_VALUE`] can see).
    fn secret_flag(&self, s: &str) -> bool {
        words(s).filter(|w| w.starts_with('-')).any(|w| {
            let end = w.bytes().position(|b| !is_name_byte(b)).unwrap_or(w.len());
            self.is_secret_flag_name(&w[..end])
        })
    }

    /// `name` (leading dashes ignored) is a secret's.
    fn is_secret_flag_name(&self, name: &str) -> bool {
        let name = name.trim_start_matches('-');
        !name.is_empty() && (self.is_secret_name)(name)
    }

    /// Rebuilds a name/value match with the value hidden when `name` is a secret's (leading
    /// dashes of a flag ignored). The value is the last capture; quotes around it stay.
    fn if_secret_name(
        &self,
        name: &str,
        c: &Captures,
        rebuild: impl Fn(String) -> String,
    ) -> String {
        let value = &c[c.len() - 1];
        if value.is_empty() || !self.is_secret_flag_name(name) {
            return c[0].to_string();
        }
        rebuild(hide_keeping_quotes(value))
    }

    /// A command or entry point: each argument's secret-shaped parts, and the argument after
    /// a flag named like a secret (`["--password", "hunter2"]`) whole.
    pub fn arguments(&self, args: Value) -> Value {
        let Value::Array(items) = args else {
            return self.strings(args);
        };
        let mut out: Vec<Value> = items.into_iter().map(|a| self.strings(a)).collect();
        for i in 1..out.len() {
            let flag_is_secret = out[i - 1]
                .as_str()
                .filter(|f| LONE_FLAG.is_match(f))
                .is_some_and(|f| (self.is_secret_name)(f.trim_start_matches('-')));
            if let (true, Value::String(v)) = (flag_is_secret, &out[i]) {
                if !v.starts_with('-') {
                    out[i] = Value::String(hide(v));
                }
            }
        }
        Value::Array(out)
    }

    /// A name/value map (environment, labels, options): values under secret names whole,
    /// others by shape. Anything that is not such a map is searched by shape.
    pub fn named_values(&self, map: Value) -> Value {
        match map {
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(name, v)| match v {
                        Value::String(s) => {
                            let s = self.named_value(&name, &s);
                            (name, Value::String(s))
                        }
                        other => (name, self.strings(other)),
                    })
                    .collect(),
            ),
            other => self.strings(other),
        }
    }

    /// Every string inside `v`, searched by shape (references such as `secrets`, whose names
    /// say nothing about their values).
    pub fn strings(&self, v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(a) => Value::Array(a.into_iter().map(|x| self.strings(x)).collect()),
            Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, x)| (k, self.strings(x))).collect())
            }
            other => other,
        }
    }
}

/// Characters of a name in `name=value` and `--name`.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Words as the patterns' `\s` separates them (space, \t, \n, \v, \f, \r).
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_ascii_whitespace() || c == '\x0b')
}

/// `'…'` and `"…"` keep their quotes around the digest of what is inside.
fn hide_keeping_quotes(value: &str) -> String {
    for q in ['\'', '"'] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return format!("{q}{}{q}", hide(inner));
        }
    }
    hide(value)
}

fn replace(re: &Regex, s: &str, f: impl Fn(&Captures) -> String) -> String {
    re.replace_all(s, |c: &Captures| f(c)).into_owned()
}

/// [`replace`] in place, when `when(s)`.
fn pass(s: &mut String, re: &Regex, when: impl Fn(&str) -> bool, f: impl Fn(&Captures) -> String) {
    if when(s) {
        *s = replace(re, s, f);
    }
}

/// A precondition: `s` contains one of `needles`.
fn has<'a>(needles: &'a [&'a str]) -> impl Fn(&str) -> bool + 'a {
    move |s| needles.iter().any(|n| s.contains(n))
}

#[cfg(test)]
mod tests;
