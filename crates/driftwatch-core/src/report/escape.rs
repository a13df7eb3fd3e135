//! Escaping of text that came from data (ids, keys, JSON Pointer paths, values, origins, check
//! and error messages) for each place a renderer puts it. Anyone allowed to tag a queue or
//! register a task definition writes such text, so it is hostile: it must read as itself and
//! never act as markup, a terminal sequence, a workflow command or a rule. Pure; every
//! renderer escapes through these functions rather than its own replaces. Ordinary text (no
//! control characters, no markup characters) comes out byte-identical.

use std::borrow::Cow;

/// Control characters shown, not obeyed: for the terminal and every other human format, which
/// all end up on a screen or a CI log. `\n`, `\r` and `\t` as those two characters, any other
/// C0 or C1 control, DEL, the Unicode line and paragraph separators and the bidirectional
/// controls (which reorder what is shown) as `\u{1b}`. The result is one line. Backslashes are
/// kept: escaping them too would change Windows paths and regexes in ordinary values.
pub fn control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A character a terminal or a viewer acts on instead of showing.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Text inert in Markdown (GitHub-flavoured, as job summaries and pull request comments render
/// it), for a table cell or a list item: [`control`], then `&`, `<` and `>` as entities (no
/// HTML, no autolink) and a backslash before `\`, `` ` ``, `*`, `[`, `]`, `|`, `~` and a `_` that
/// is not inside a word (no code span, emphasis, link, image, strikethrough or cell break), and
/// before a leading `#`, `+`, `-`, `=` or list number's `.`/`)` (no heading or list when the text
/// begins a list item). Rendered, it reads as the text itself.
pub fn markdown(s: &str) -> String {
    let mut out = inline(s);
    if out.starts_with(['#', '+', '-', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

fn inline(s: &str) -> String {
    let s = control(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `ENABLE_SQS` cannot start or end emphasis; `_x_` between spaces can.
            '_' => {
                let word = |j: Option<usize>| {
                    j.and_then(|j| chars.get(j))
                        .is_some_and(|c| c.is_alphanumeric())
                };
                if !(word(i.checked_sub(1)) && word(Some(i + 1))) {
                    out.push('\\');
                }
                out.push('_');
            }
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span of the text as itself ([`control`] first): delimited by one backtick
/// more than the longest run inside it, so no backtick in the data closes it, and padded with a
/// space where the text starts or ends with a backtick or a space (which Markdown would
/// otherwise strip or join). In a table cell, `|` still needs [`table_pipe`].
pub fn code_span(s: &str) -> String {
    let s = control(s);
    let fence = "`".repeat(longest_backtick_run(&s) + 1);
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty());
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A code span inside a table cell: GitHub splits cells at `|` even inside code, unless
/// escaped (the backslash is not shown).
pub fn table_code(s: &str) -> String {
    table_pipe(&code_span(s))
}

/// `|` escaped for a table row.
pub fn table_pipe(s: &str) -> String {
    s.replace('|', "\\|")
}

/// A fence for a fenced code block holding `body`: three backticks, or one more than the
/// longest run of backticks in it, so no line of the body closes the block.
pub fn fence_for<'a>(body: impl IntoIterator<Item = &'a str>) -> String {
    let longest = body
        .into_iter()
        .map(longest_backtick_run)
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Text inside an HTML element (the `<details>` summary of the Markdown report), never an
/// attribute: [`control`] (a blank line would end the HTML block), then `&`, `<` and `>` as
/// entities.
pub fn html(s: &str) -> String {
    control(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text in a Slack mrkdwn field: [`control`], `&`, `<` and `>` as Slack's entities (no link,
/// mention or command: they all start with `<`), and a zero-width space after each backtick
/// that a backtick follows, so no run of three opens a code block across findings. Slack has
/// no escape for `*`, `_` and `~`: data may style a word, never link or mention.
pub fn slack(s: &str) -> String {
    let s = control(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    if !s.contains("``") {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut after_backtick = false;
    for c in s.chars() {
        if c == '`' && after_backtick {
            out.push('\u{200b}');
        }
        after_backtick = c == '`';
        out.push(c);
    }
    out
}

/// A glob matching exactly `s` in an ignore rule (`ignore.rs` syntax), on one line whatever `s`
/// holds: `*`, `?`, `[` and `]` in brackets (as `glob::Pattern::escape`), a hidden character
/// ([`control`]'s) as `?` (a rule has no way to spell it; `?` matches it and any other one
/// character but `/`), and a space at either end in brackets, which the parser would trim.
/// `None` when `s` holds a `:`, which a rule cannot name inside an id (the parser splits there).
pub fn ignore_glob(s: &str, colon_allowed: bool) -> Option<String> {
    if !colon_allowed && s.contains(':') {
        return None;
    }
    let last = s.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '*' | '?' | '[' | ']' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            c if is_hidden(c) || (c.is_whitespace() && c != ' ') => out.push('?'),
            ' ' if i == 0 || i == last => out.push_str("[ ]"),
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_and_ordinary_text_is_kept() {
        assert!(matches!(
            control("env ENABLE_SQS: \"a\\b\""),
            Cow::Borrowed(_)
        ));
        assert_eq!(control("x\n*:*\n#"), "x\\n*:*\\n#");
        assert_eq!(control("\x1b[31mred"), "\\u{1b}[31mred");
        assert_eq!(control("a\tb\rc\u{7f}\u{9b}"), "a\\tb\\rc\\u{7f}\\u{9b}");
        assert_eq!(control("\u{202e}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(control("é ü → ✓ 日本"), "é ü → ✓ 日本");
        let out = control("\n::error::pwned\u{2028}x");
        assert!(!out.contains('\n') && out.starts_with("\\n::"), "{out}");
    }

    #[test]
    fn markdown_text_is_inert_and_ordinary_text_unchanged() {
        let plain = "env ENABLE_SQS of container worker: \"true\" → \"false\" (a/b.json)";
        assert_eq!(markdown(plain), plain);
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(markdown("[t](http://e.x)"), "\\[t\\](http://e.x)");
        assert_eq!(markdown("a `b` c|d"), "a \\`b\\` c\\|d");
        assert_eq!(
            markdown("*x* _y_ ~~z~~ a_b"),
            "\\*x\\* \\_y\\_ \\~\\~z\\~\\~ a_b"
        );
        assert_eq!(markdown("\\[x"), "\\\\\\[x");
        assert_eq!(markdown("a\nb &amp;"), "a\\\\nb &amp;amp;");
        assert_eq!(markdown("# big"), "\\# big");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("1 change"), "1 change");
    }

    #[test]
    fn code_spans_outlast_any_backtick_run() {
        assert_eq!(code_span("retainwise-worker"), "`retainwise-worker`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("```"), "```` ``` ````");
        assert_eq!(code_span(" x "), "`  x  `");
        assert_eq!(code_span("a\nb"), "`a\\nb`");
        assert_eq!(table_code("a|b"), "`a\\|b`");
    }

    #[test]
    fn a_fence_is_longer_than_any_backtick_run_in_its_body() {
        assert_eq!(fence_for(["+ \"x\": 1"]), "```");
        assert_eq!(fence_for(["+ \"```\"", "- \"`````\""]), "``````");
    }

    #[test]
    fn html_and_slack_text_have_no_markup() {
        assert_eq!(html("<b a=\"1\">&\n"), "&lt;b a=\"1\"&gt;&amp;\\n");
        assert_eq!(
            slack("<!channel> <http://e.x|click> & x\ny"),
            "&lt;!channel&gt; &lt;http://e.x|click&gt; &amp; x\\ny"
        );
        assert_eq!(slack("a `b` c"), "a `b` c");
        assert!(!slack("```code```").contains("``"));
    }

    #[test]
    fn ignore_globs_match_only_the_text_and_stay_on_one_line() {
        assert_eq!(
            ignore_glob("/dockerLabels/x\n*:*\n#", true).unwrap(),
            "/dockerLabels/x?[*]:[*]?#"
        );
        assert_eq!(ignore_glob(" a b ", true).unwrap(), "[ ]a b[ ]");
        assert_eq!(ignore_glob("a\u{2028}b", true).unwrap(), "a?b");
        assert_eq!(ignore_glob("a:b", false), None);
        assert_eq!(ignore_glob("prod/api", false).unwrap(), "prod/api");
        for s in ["x\n*:*\n#", "[a]?*", " sp ", "\u{1b}[31m"] {
            let g = glob::Pattern::new(&ignore_glob(s, true).unwrap()).unwrap();
            assert!(g.matches(s), "{s:?}");
        }
    }
}
