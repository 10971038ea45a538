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
    "image", "audio", "video", "source", "track", "form", "portal", "use",
];

/// What in an HTML page would run or load something, if anything: an
/// active element, an event handler, a `javascript:` or `data:` link, a
/// `src`, a style that loads a URL.
pub fn html(page: &str) -> Option<String> {
    let lower = page.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect();
        let name = name.rsplit(':').next().unwrap_or("").to_string();
        if ACTIVE_ELEMENTS.contains(&name.as_str()) {
            return Some(format!("a <{name}> element"));
        }
        if name == "meta" && tag.contains("http-equiv") {
            return Some("a <meta http-equiv> element".into());
        }
        for attribute in attributes(tag) {
            let (key, value) = attribute;
            if key.starts_with("on") {
                return Some(format!("an event handler ({key})"));
            }
            if key == "src" || key.ends_with(":href") && !value.starts_with('#') {
                return Some(format!("an attribute that loads a resource ({key})"));
            }
            let value = value.trim_start();
            if value.starts_with("javascript:")
                || value.starts_with("data:")
                || value.starts_with("vbscript:")
            {
                return Some(format!("a {} link", value.split(':').next().unwrap_or("")));
            }
            if key == "style" && (value.contains("url(") || value.contains("expression(")) {
                return Some("a style that loads a URL".into());
            }
        }
        if name == "style" && !tag.starts_with('/') {
            let body = &rest[end..];
            let close = body.find("</style").unwrap_or(body.len());
            let css = &body[..close];
            if css.contains("url(") || css.contains("@import") || css.contains("expression(") {
                return Some("a style that loads a URL".into());
            }
        }
        rest = &rest[end..];
    }
    None
}

/// The attributes of a tag's text (lower case), roughly as a browser reads
/// them: `name`, `name=value`, `name="value"`, `name='value'`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = tag.chars().collect();
    // Past the element's name.
    let mut i = chars
        .iter()
        .position(|c| c.is_whitespace() || *c == '/')
        .unwrap_or(chars.len());
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        let mut value = String::new();
        // Spaces may stand around `=`.
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j < chars.len() && chars[j] == '=' {
            i = j + 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
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
    let lower = page.to_lowercase();
    let lower_escaped = |at: usize| at > 0 && lower.as_bytes()[at - 1] == b'\\';
    for needle in ["](javascript:", "](data:", "](vbscript:"] {
        for (at, _) in lower.match_indices(needle) {
            if !lower_escaped(at) {
                return Some(format!("a {} link", &needle[2..needle.len() - 1]));
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
        assert!(markdown("text <script>x</script>").is_some());
        assert!(markdown("![t](http://e/p.png)").is_some());
        assert!(markdown("[x](javascript:alert(1))").is_some());
        assert_eq!(
            markdown("a<br>b \\<script\\> !\\[t\\] \\[x\\](javascript:y)"),
            None
        );
    }
}
