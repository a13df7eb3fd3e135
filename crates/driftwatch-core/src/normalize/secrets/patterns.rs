//! The shapes of credentials, for [`super`]: patterns and the predicates that tell a
//! credential from ordinary text of the same alphabet. Pure.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::digest;

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid built-in pattern")
}

/// Digest-shaped text anywhere in a raw value (see the digest rule of [`super`]).
pub(super) static DIGEST_TEXT: LazyLock<Regex> = LazyLock::new(|| regex(r"sha256:[0-9a-f]{64}"));

/// A PEM private key block (RSA, EC, OpenSSH, PKCS#8, encrypted, PGP), to its END line or
/// to the end of the value when cut short. Certificates and public keys are not secrets.
pub(super) static PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)",
    )
});

/// Credentials recognizable by their own shape, each digested whole:
/// AWS access key ids (`AKIA`/`ASIA` + 16); JWTs (three or more base64url parts, the first
/// `eyJ`, which is `{"` encoded); GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
/// `github_pat_`); Slack (`xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, …, `xapp-`); Stripe
/// (`sk_live_`, `rk_live_`, test keys, `whsec_`); GitLab (`glpat-`); npm (`npm_`); Google API
/// keys (`AIza`); PyPI (`pypi-`); Hugging Face (`hf_`); OpenAI and Anthropic (`sk-…`);
/// SendGrid (`SG.`); DigitalOcean (`dop_v1_`); Shopify (`shpat_`, …); Mailgun (`key-`).
/// Lengths are the providers' documented minimums, so `npm_config` or `sk-learn` is no token.
pub(super) static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"\b(?:",
        r"(?:AKIA|ASIA)[A-Z0-9]{16}\b",
        r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*",
        r"|gh[pousr]_[A-Za-z0-9]{30,}",
        r"|github_pat_[A-Za-z0-9_]{30,}",
        r"|xox[abeoprs]-[A-Za-z0-9-]{10,}",
        r"|xapp-[A-Za-z0-9-]{10,}",
        r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
        r"|whsec_[A-Za-z0-9+/=]{20,}",
        r"|glpat-[A-Za-z0-9_-]{20,}",
        r"|npm_[A-Za-z0-9]{36}\b",
        r"|AIza[A-Za-z0-9_-]{35}",
        r"|pypi-[A-Za-z0-9_-]{50,}",
        r"|hf_[A-Za-z0-9]{30,}",
        r"|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}",
        r"|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}",
        r"|dop_v1_[a-f0-9]{64}",
        r"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
        r"|key-[0-9a-z]{32}\b",
        r")",
    ))
});

/// A literal every [`TOKEN`] contains, to skip the search in values that hold none.
pub(super) const TOKEN_LITERALS: &[&str] = &[
    "AKIA",
    "ASIA",
    "eyJ",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "xapp-",
    "_live_",
    "_test_",
    "whsec_",
    "glpat-",
    "npm_",
    "AIza",
    "pypi-",
    "hf_",
    "sk-",
    "SG.",
    "dop_v1_",
    "shp",
    "key-",
];

/// An HTTP Authorization value: `Basic <base64 user:password>` or `Bearer <token>`.
pub(super) static AUTHORIZATION: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b((?:Basic|basic|Bearer|bearer) +)([A-Za-z0-9._~+/-]+=*)"));

/// Tells a credential after `Basic`/`Bearer` from prose ("Basic authentication"): Basic
/// credentials are padded base64 (a multiple of 4 characters) with a digit, an inner capital
/// or `+/=`; bearer tokens are long (16+) and hold a digit.
pub(super) fn is_http_credential(scheme: &str, credential: &str) -> bool {
    let has_digit = credential.bytes().any(|b| b.is_ascii_digit());
    if scheme.trim().eq_ignore_ascii_case("basic") {
        let b64_signs = credential.contains(['+', '/', '=']);
        let inner_capital = credential.bytes().skip(1).any(|b| b.is_ascii_uppercase());
        credential.len() >= 8
            && credential.len().is_multiple_of(4)
            && (has_digit || inner_capital || b64_signs)
    } else {
        credential.len() >= 16 && has_digit
    }
}

/// Replaces each maximal run of the base64 alphabet (without padding) that
/// [`looks_like_aws_secret_key`].
pub(super) fn hide_aws_secret_keys(s: &str) -> String {
    let in_run = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if !in_run(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && in_run(bytes[i]) {
            i += 1;
        }
        // Runs are ASCII, so their ends are character boundaries.
        if looks_like_aws_secret_key(&s[start..i]) {
            out.push_str(&s[copied..start]);
            out.push_str(&digest(&s[start..i]));
            copied = i;
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// An AWS secret access key is 40 characters of base64 (30 random bytes). A run of exactly 40
/// such characters is taken for one when it mixes upper case, lower case and digits and uses
/// at least 20 different characters (random keys use ~30; a key lacks one of the three classes
/// about once in a thousand), and does not look like a path (no leading, trailing or doubled
/// `/`). That rules out 40-character hex (git SHAs, SHA-1 digests: one case, 16 characters at
/// most), words, upper-case constants and UUIDs (their dashes cut them into short runs).
pub(super) fn looks_like_aws_secret_key(run: &str) -> bool {
    let b = run.as_bytes();
    if b.len() != 40 || run.starts_with('/') || run.ends_with('/') || run.contains("//") {
        return false;
    }
    let mut seen = [false; 128];
    for &c in b {
        seen[usize::from(c & 0x7f)] = true;
    }
    let any = |f: fn(&u8) -> bool| b.iter().any(f);
    any(u8::is_ascii_uppercase)
        && any(u8::is_ascii_lowercase)
        && any(u8::is_ascii_digit)
        && seen.iter().filter(|&&s| s).count() >= 20
}

/// `scheme://user:password@host…`: only the password is replaced, so the host, port, user
/// and database stay readable in a diff. The password runs to the last `@` before white
/// space: an unencoded `@` or `/` in a password is hidden too (at worst, more than the
/// password is).
pub(super) static URL_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b([A-Za-z][A-Za-z0-9+.-]*://)([^\s:/@]*):(\S+)@"));

/// `"name": "value"` inside a value (JSON such as `SPRING_APPLICATION_JSON`).
pub(super) static JSON_MEMBER: LazyLock<Regex> =
    LazyLock::new(|| regex(r#""([^"\\]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)""#));

/// `name=value` inside a value: `--password=…`, `-Dapp.db.password=…`, `?password=…`,
/// `DB_TOKEN=…` in a shell line. The value runs to white space or `&`, or is quoted.
pub(super) static ASSIGNMENT: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"([A-Za-z0-9_.-]+)=('[^']*'|"[^"]*"|[^\s&]+)"#));

/// `--name value` inside one string (`sh -c "app --token abc"`); the value does not start
/// with `-`.
pub(super) static FLAG_AND_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r#"(^|\s)(--?[A-Za-z][A-Za-z0-9_.-]*)(\s+)('[^']*'|"[^"]*"|[^\s-]\S*)"#)
});

/// `curl -u user:password` (also `--user`, `--proxy-user`, `-U`): only the password is
/// replaced.
pub(super) static USER_AND_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| regex(r"((?:^|\s)(?:-u|-U|--user|--proxy-user)(?:\s+|=))([^\s:]+):(\S+)"));

/// A list item that is a flag alone (`"--password"`), whose value is the next item.
pub(super) static LONE_FLAG: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^--?[A-Za-z][A-Za-z0-9_.-]*$"));
