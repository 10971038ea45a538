//! Inline Markdown in titles (bold, italic, strikethrough, code, links),
//! parsed once and written in each output's own way: HTML elements, safe
//! Markdown, or plain text for CSV, workbooks and the summary. A title that
//! would be a block (a heading, a list, a quote) is shown as the text it is.

use comrak::nodes::{AstNode, NodeValue};

use super::templates::markdown_text;

/// A title as inline HTML: formatting kept, every character of text escaped,
/// links only to web or mail addresses.
pub fn html(text: &str) -> String {
    if plain_words(text) {
        return escape_html(&one_line(text));
    }
    with_inlines(text, write_html).unwrap_or_else(|| escape_html(&one_line(text)))
}

/// A title as Markdown text: its formatting kept, everything else escaped
/// so that it opens no block and carries no markup.
pub fn markdown(text: &str) -> String {
    if plain_words(text) {
        return markdown_text(text);
    }
    with_inlines(text, write_markdown)
        // What is written must read back as the one paragraph it was.
        .filter(|written| with_inlines(written, |_, _| {}).is_some())
        .unwrap_or_else(|| markdown_text(text))
}

/// Text inside a title's Markdown: every character Markdown or HTML would
/// act on is escaped; spaces are kept.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if crate::terminal::is_active(c) => out.push_str(&crate::terminal::escape(c)),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // `&amp;` would read as a character reference.
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            c => out.push(c),
        }
    }
    out
}

/// A title as plain text: the words, a link's address after its text.
pub fn plain(text: &str) -> String {
    if plain_words(text) {
        return one_line(text);
    }
    with_inlines(text, write_plain).unwrap_or_else(|| one_line(text))
}

/// Text in which Markdown can find nothing to act on (most titles): no
/// markup character, no address to link, nothing that opens a block.
/// Such a title needs no parse.
fn plain_words(text: &str) -> bool {
    let first = text.trim_start().chars().next();
    let opens_block = first.is_some_and(|c| c.is_ascii_digit() || "#-+=>|".contains(c));
    !opens_block
        && !text.contains([
            '*', '_', '`', '[', ']', '~', '<', '>', '&', '\\', '!', '|', '#',
        ])
        && !text.contains("://")
        && !text.contains("www.")
        && !text.contains('@')
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses `text` on one line; `None` unless it is one paragraph.
fn with_inlines(text: &str, write: for<'a> fn(&'a AstNode<'a>, &mut String)) -> Option<String> {
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    let arena = comrak::Arena::new();
    let line = one_line(text);
    let root = comrak::parse_document(&arena, &line, &options);
    let mut blocks = root.children();
    let paragraph = blocks.next()?;
    if blocks.next().is_some() || !matches!(paragraph.data.borrow().value, NodeValue::Paragraph) {
        return None;
    }
    let mut out = String::new();
    for node in paragraph.children() {
        write(node, &mut out);
    }
    Some(out)
}

/// Web, mail and relative addresses; never `javascript:`, `data:` or the
/// like.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        Some(colon) if !lower[..colon].contains(['/', '?', '#']) => {
            matches!(&lower[..colon], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Text for HTML: the five characters that could end text or an attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn write_html<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let children = |out: &mut String| {
        for child in node.children() {
            write_html(child, out);
        }
    };
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(text) => out.push_str(&escape_html(&text)),
        NodeValue::HtmlInline(raw) => out.push_str(&escape_html(&raw)),
        NodeValue::Code(code) => {
            out.push_str("<code>");
            out.push_str(&escape_html(&code.literal));
            out.push_str("</code>");
        }
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        NodeValue::Emph => wrap_html(out, "em", children),
        NodeValue::Strong => wrap_html(out, "strong", children),
        NodeValue::Strikethrough => wrap_html(out, "del", children),
        NodeValue::Link(link) | NodeValue::Image(link) if safe_url(&link.url) => {
            out.push_str("<a href=\"");
            out.push_str(&escape_html(link.url.trim()));
            out.push_str("\">");
            children(out);
            out.push_str("</a>");
        }
        _ => children(out),
    }
}

fn wrap_html(out: &mut String, tag: &str, children: impl FnOnce(&mut String)) {
    out.push_str(&format!("<{tag}>"));
    children(out);
    out.push_str(&format!("</{tag}>"));
}

fn write_markdown<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let children = |out: &mut String| {
        for child in node.children() {
            write_markdown(child, out);
        }
    };
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(text) => out.push_str(&escape_markdown(&text)),
        NodeValue::HtmlInline(raw) => out.push_str(&escape_markdown(&raw)),
        NodeValue::Code(code) => {
            // A fence longer than any run of backticks inside.
            let longest = code
                .literal
                .split(|c| c != '`')
                .map(str::len)
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest + 1);
            let pad = if code.literal.starts_with('`') || code.literal.ends_with('`') {
                " "
            } else {
                ""
            };
            let literal = code.literal.replace('|', "\\|");
            out.push_str(&format!("{fence}{pad}{literal}{pad}{fence}"));
        }
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        NodeValue::Emph => {
            out.push('*');
            children(out);
            out.push('*');
        }
        NodeValue::Strong => {
            out.push_str("**");
            children(out);
            out.push_str("**");
        }
        NodeValue::Strikethrough => {
            out.push_str("~~");
            children(out);
            out.push_str("~~");
        }
        NodeValue::Link(link) | NodeValue::Image(link) if safe_url(&link.url) => {
            out.push('[');
            children(out);
            out.push_str("](");
            for c in link.url.trim().chars() {
                match c {
                    '<' | '>' | '\\' | '|' | '(' | ')' => {
                        out.push_str(&format!("%{:02X}", c as u32))
                    }
                    c if c.is_whitespace() || c.is_control() => {
                        out.push_str(&format!("%{:02X}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push(')');
        }
        _ => children(out),
    }
}

fn write_plain<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(text) => out.push_str(&text),
        NodeValue::HtmlInline(raw) => out.push_str(&raw),
        NodeValue::Code(code) => out.push_str(&code.literal),
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        NodeValue::Link(link) | NodeValue::Image(link) => {
            let start = out.len();
            for child in node.children() {
                write_plain(child, out);
            }
            let url = link.url.trim();
            let shown = &out[start..];
            if !url.is_empty() && shown != url && shown != url.trim_start_matches("mailto:") {
                out.push_str(&format!(" ({url})"));
            }
        }
        _ => {
            for child in node.children() {
                write_plain(child, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_is_kept_in_each_outputs_own_way() {
        let title = "**Healthy** schools and _fit_ [pupils](https://example.org/x)";
        assert_eq!(
            html(title),
            "<strong>Healthy</strong> schools and <em>fit</em> <a href=\"https://example.org/x\">pupils</a>"
        );
        assert_eq!(
            markdown(title),
            "**Healthy** schools and *fit* [pupils](https://example.org/x)"
        );
        assert_eq!(
            plain(title),
            "Healthy schools and fit pupils (https://example.org/x)"
        );
    }

    #[test]
    fn nothing_active_gets_through() {
        for title in [
            "<script>x</script> [a](javascript:alert) ![i](https://e.org/i.png) a | b",
            "x <script>y</script> [a](javascript:alert) ![i](https://e.org/i.png) a | b",
        ] {
            let h = html(title);
            assert!(
                !h.contains("<script") && !h.contains("href=\"javascript"),
                "{h}"
            );
            assert!(!h.contains("<img"), "{h}");
            let m = markdown(title);
            assert!(
                !m.contains("<script") && !m.contains("[a](javascript"),
                "{m}"
            );
            assert!(m.contains("a \\| b"), "{m}");
            assert!(!m.contains("!["), "{m}");
        }
    }

    #[test]
    fn a_title_that_would_be_a_block_stays_text() {
        assert_eq!(html("1. Introduction"), "1. Introduction");
        assert_eq!(markdown("# Not a heading"), "\\# Not a heading");
        assert_eq!(plain("- a list?"), "- a list?");
        assert_eq!(html("Fish & chips <b>"), "Fish &amp; chips &lt;b&gt;");
        assert_eq!(plain("Fish & chips"), "Fish & chips");
    }
}
