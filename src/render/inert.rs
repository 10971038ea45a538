//! Pages must carry no active content, whatever template wrote them: a
//! repository's own templates come from the same pull requests as its
//! plans. Every HTML and Markdown page is checked after rendering, and
//! rendered into a buffer with a size limit.

use std::io::Write;

/// The largest page a template may write.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// A buffer that refuses to grow past a limit: a template that writes
/// without end stops with an error instead of filling memory and disk.
pub struct Capped {
    pub bytes: Vec<u8>,
    limit: usize,
}

impl Capped {
    pub fn new(limit: usize) -> Self {
        Capped {
            bytes: Vec::new(),
            limit,
        }
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            return Err(std::io::Error::other(format!(
                "the page is larger than {} MiB",
                self.limit / (1024 * 1024)
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Elements that run code or load something when a page is opened.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "base", "img",
    "image", "audio", "video", "source", "track", "form", "portal", "use", "feimage",
];

/// Attributes that load a resource as the page opens, on whatever element.
const LOADING_ATTRIBUTES: &[&str] = &["src", "srcset", "background", "poster", "lowsrc", "dynsrc"];

/// URL schemes that run or embed something where a link is followed.
const ACTIVE_SCHEMES: &[&str] = &["javascript:", "data:", "vbscript:"];

/// What in an HTML page would run or load something, if anything: an
/// active element, an event handler, a `javascript:` or `data:` link, a
/// `src`, a style that loads a URL.
///
/// Names are compared as browsers compare them (ASCII case-insensitively),
/// attribute values after character references are decoded, and styles
/// after CSS escapes are, so that `jav&#x09;ascript:` or `u\72l(` are
/// found. One pass over the page, without copying it: every page a build
/// writes goes through here.
pub fn html(page: &str) -> Option<String> {
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let closing = tag.starts_with('/');
        let name_text = tag.trim_start_matches('/');
        let name_len = name_text
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':'))
            .count();
        let name = &name_text[..name_len];
        // `svg:script` is a script.
        let local = name.rsplit(':').next().unwrap_or("");
        if let Some(active) = ACTIVE_ELEMENTS
            .iter()
            .find(|e| e.eq_ignore_ascii_case(local))
        {
            return Some(format!("a <{active}> element"));
        }
        if local.eq_ignore_ascii_case("meta") && contains_ignore_case(tag, "http-equiv") {
            return Some("a <meta http-equiv> element".into());
        }
        let mut attributes = Attributes {
            rest: &name_text[name_len..],
        };
        while let Some((key, raw)) = attributes.next() {
            if starts_with_ignore_case(key, "on") {
                return Some(format!("an event handler ({})", key.to_ascii_lowercase()));
            }
            let value = decode_references(raw);
            let href_elsewhere =
                ends_with_ignore_case(key, ":href") && !value.trim_start().starts_with('#');
            if href_elsewhere
                || LOADING_ATTRIBUTES
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(key))
            {
                return Some(format!(
                    "an attribute that loads a resource ({})",
                    key.to_ascii_lowercase()
                ));
            }
            if let Some(scheme) = active_scheme(&value) {
                return Some(format!("a {scheme} link"));
            }
            if key.eq_ignore_ascii_case("style") && css_loads(&value) {
                return Some("a style that loads a URL".into());
            }
        }
        if local.eq_ignore_ascii_case("style") && !closing {
            let body = &rest[end..];
            let close = find_ignore_case(body, "</style").unwrap_or(body.len());
            if css_loads(&body[..close]) {
                return Some("a style that loads a URL".into());
            }
        }
        rest = &rest[end..];
    }
    None
}

/// The attributes of a tag's text after its name, roughly as a browser
/// reads them: `name`, `name=value`, `name="value"`, `name='value'`.
struct Attributes<'t> {
    rest: &'t str,
}

impl<'t> Attributes<'t> {
    fn next(&mut self) -> Option<(&'t str, &'t str)> {
        loop {
            let text = self
                .rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if text.is_empty() {
                self.rest = text;
                return None;
            }
            let key_end = text
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(text.len());
            let key = &text[..key_end];
            let after = &text[key_end..];
            let spaced = after.trim_start();
            let (value, rest) = match spaced.strip_prefix('=') {
                Some(assigned) => {
                    let assigned = assigned.trim_start();
                    match assigned.chars().next() {
                        Some(quote @ ('"' | '\'')) => {
                            let inner = &assigned[1..];
                            let close = inner.find(quote).unwrap_or(inner.len());
                            (&inner[..close], &inner[(close + 1).min(inner.len())..])
                        }
                        _ => {
                            let end = assigned.find(char::is_whitespace).unwrap_or(assigned.len());
                            (&assigned[..end], &assigned[end..])
                        }
                    }
                }
                None => ("", after),
            };
            // Always past something: a key, or a lone `=` and its value.
            self.rest = rest;
            if !key.is_empty() {
                return Some((key, value));
            }
        }
    }
}

/// An attribute value as a browser reads it: numeric character references
/// and the named ones that can hide a URL's scheme decoded (a missing `;`
/// is forgiven, as browsers forgive it).
fn decode_references(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('&') {
        return value.into();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let (decoded, used) = reference(rest);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[used..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out.into()
}

/// The character a reference after `&` stands for, and the bytes it took.
fn reference(text: &str) -> (Option<char>, usize) {
    if let Some(number) = text.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        let len = if radix == 10 {
            digits.bytes().take_while(u8::is_ascii_digit).count()
        } else {
            len
        };
        let value = u32::from_str_radix(&digits[..len.min(8)], radix).ok();
        // Browsers read an unknown or missing number as U+FFFD.
        let c = value.map(|v| char::from_u32(v).unwrap_or('\u{fffd}'));
        return if len == 0 { (None, 0) } else { (c, skip + len) };
    }
    for (name, c) in [
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("nbsp", '\u{a0}'),
        ("lpar", '('),
        ("rpar", ')'),
        ("bsol", '\\'),
        ("amp", '&'),
    ] {
        if starts_with_ignore_case(text, name) {
            return (Some(c), name.len());
        }
    }
    (None, 0)
}

/// The scheme of a link that runs or embeds something, if `value` is one:
/// read as a browser's URL parser does, which drops leading spaces and
/// controls and every tab and line break.
fn active_scheme(value: &str) -> Option<&'static str> {
    let scheme = value
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    ACTIVE_SCHEMES
        .iter()
        .find(|s| {
            let mut read = scheme.clone();
            s.chars()
                .all(|want| read.next().is_some_and(|c| c.eq_ignore_ascii_case(&want)))
        })
        .map(|s| s.trim_end_matches(':'))
}

/// Whether CSS would load something: `url(`, `src(`, `image-set(`,
/// `@import`, or IE's `expression(`, once comments are dropped and escapes
/// (`\75 rl(`) decoded. Text inside CSS strings is not code and is skipped.
fn css_loads(css: &str) -> bool {
    let mut code = String::new();
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                code.push(' ');
            }
            '"' | '\'' => {
                while let Some(s) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        '\n' => break,
                        s if s == c => break,
                        _ => {}
                    }
                }
                code.push('"');
            }
            '\\' => {
                let mut hex = String::new();
                while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                    hex.extend(chars.next());
                }
                if hex.is_empty() {
                    code.extend(chars.next().map(|c| c.to_ascii_lowercase()));
                } else {
                    let value = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                    code.push(
                        char::from_u32(value)
                            .unwrap_or('\u{fffd}')
                            .to_ascii_lowercase(),
                    );
                    if chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
            }
            c => code.push(c.to_ascii_lowercase()),
        }
    }
    ["url(", "src(", "image-set(", "@import", "expression("]
        .iter()
        .any(|f| code.contains(f))
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    (0..=text.len().checked_sub(needle.len())?)
        .find(|&at| text[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

fn contains_ignore_case(text: &str, needle: &str) -> bool {
    find_ignore_case(text, needle).is_some()
}

/// What in a Markdown page would run or load something where it is shown
/// (on a forge, in an editor's preview), if anything: raw HTML other than
/// line breaks, an image, a `javascript:` or `data:` link.
pub fn markdown(page: &str) -> Option<String> {
    let bytes = page.as_bytes();
    let escaped = |at: usize| at > 0 && bytes[at - 1] == b'\\';
    for (at, _) in page.match_indices('<') {
        let tag: String = page[at + 1..]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if !escaped(at) && !tag.is_empty() && tag != "br" {
            return Some(format!("raw HTML (<{tag}>)"));
        }
    }
    for (at, _) in page.match_indices("![") {
        if !escaped(at) && !escaped(at + 1) {
            return Some("an image".into());
        }
    }
    // Link destinations, inline (`](dest`) and in reference definitions
    // (`]: dest`), read as a Markdown renderer reads them: spaces and an
    // opening `<` skipped, character references decoded.
    for marker in ["](", "]:"] {
        for (at, _) in page.match_indices(marker) {
            if escaped(at) {
                continue;
            }
            let rest = page[at + marker.len()..].trim_start();
            let rest = rest.strip_prefix('<').unwrap_or(rest);
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"'))
                .unwrap_or(rest.len());
            if let Some(scheme) = active_scheme(&decode_references(&rest[..end])) {
                return Some(format!("a {scheme} link"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_content_is_found_and_escaped_text_is_not() {
        assert!(html("<p>hi</p><script>x</script>").is_some());
        assert!(html("<img src=x onerror=alert(1)>").is_some());
        assert!(html("<a href=\"javascript:alert(1)\">x</a>").is_some());
        assert!(html("<a HREF = ' JavaScript:x'>x</a>").is_some());
        assert!(html("<div style=\"background:url(http://e/p.png)\"></div>").is_some());
        assert!(html("<style>@import 'http://e/x.css';</style>").is_some());
        assert!(html("<svg><use xlink:href=\"http://e/s.svg#a\"/></svg>").is_some());
        assert_eq!(
            html(
                "<meta charset=\"utf-8\"><p>&lt;script&gt; javascript:alert(1) onerror= src=</p><a href=\"p.html\">p</a><style>td { color: red }</style><details><summary>x</summary></details>"
            ),
            None
        );
        assert!(html("<meta http-equiv=\"refresh\" content=\"0;url=http://e\">").is_some());
        // Hidden the ways browsers still read.
        assert!(html("<a href=\"jav&#x09;ascript:alert(1)\">x</a>").is_some());
        assert!(html("<a href=\"&#106;avascript&colon;alert(1)\">x</a>").is_some());
        assert!(html("<a href=\"&#x6A&#x61vascript:x\">x</a>").is_some());
        assert!(html("<a href=\"\u{1}java\nscript:x\">x</a>").is_some());
        assert!(html("<div style=\"background:u\\72l(http://e/p.png)\"></div>").is_some());
        assert!(html("<div style=\"background:URL(x)\"></div>").is_some());
        assert!(html("<style>b { background: image-set('p.png' 1x) }</style>").is_some());
        assert!(html("<style>@\\69mport 'x.css';</style>").is_some());
        assert!(html("<table background=\"http://e/p.png\"></table>").is_some());
        assert!(html("<svg><feImage href=\"http://e/p.png\"/></svg>").is_some());
        assert!(html("<SCRIPT>x</SCRIPT>").is_some());
        assert!(html("<p ONCLICK=x>").is_some());
        // A URL named inside a CSS string is text (a footer naming `url(`).
        assert_eq!(
            html("<style>p::after { content: \"url(x) \\3c /style\\3e \" }</style>"),
            None
        );
        // Non-ASCII letters that lower-case to ASCII are not tag names.
        assert_eq!(html("<lin\u{212a}>x"), None);
        assert!(markdown("text <script>x</script>").is_some());
        assert!(markdown("![t](http://e/p.png)").is_some());
        assert!(markdown("[x](javascript:alert(1))").is_some());
        // Reference definitions, spaces, character references, case.
        assert!(markdown("[x]: javascript:alert(1)\n\n[y][x]").is_some());
        assert!(markdown("[x]( javascript:alert(1))").is_some());
        assert!(markdown("[x](jav&#x09;ascript:alert(1))").is_some());
        assert!(markdown("[x](<JavaScript:alert(1)>)").is_some());
        assert!(markdown("[x]: <data:text/html,hi>").is_some());
        assert_eq!(markdown("[a](p.md) and [b]: https://example.org/x"), None);
        assert_eq!(
            markdown("a<br>b \\<script\\> !\\[t\\] \\[x\\](javascript:y)"),
            None
        );
    }
}
