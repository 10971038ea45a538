//! The template environment: templates compiled into the binary from
//! `templates/`, each overridable by a file of the same name in a plan
//! repository's `templates/` directory (or `--templates DIR`).

use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};

use crate::config::DEFAULT_MAX_FILE_BYTES;
use crate::load::guard::Guard;

/// The default templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("plan.html", include_str!("../../templates/plan.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("plan.md", include_str!("../../templates/plan.md")),
    ("index.md", include_str!("../../templates/index.md")),
];

/// Free text as HTML: Markdown through comrak, with raw HTML escaped,
/// `javascript:` / `data:` links dropped and images turned into links, so
/// plan text can inject no markup and make the page load nothing.
pub fn markdown_html(text: &str) -> String {
    markdown_html_under(text, None)
}

/// Free text as HTML, as [`markdown_html`], its headings set below a
/// heading of level `under` (the heading of the part of the page where the
/// text stands): the text's highest heading becomes `under + 1`, the others
/// keep their places below it, and none is more than one level below the
/// heading before it, so that the page's outline skips no level. Levels past
/// 6 stay 6. Without `under`, headings stay as written.
pub fn markdown_html_under(text: &str, under: Option<u8>) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.render.r#unsafe = false;
    options.render.escape = true;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, text, &options);
    for node in root.descendants() {
        let mut data = node.data.borrow_mut();
        if let comrak::nodes::NodeValue::Image(link) = &data.value {
            data.value = comrak::nodes::NodeValue::Link(link.clone());
        }
    }
    if let Some(under) = under {
        use comrak::nodes::NodeValue;
        let under = under.min(5);
        let headings: Vec<_> = root
            .descendants()
            .filter(|n| matches!(n.data.borrow().value, NodeValue::Heading(_)))
            .collect();
        let highest = headings
            .iter()
            .filter_map(|n| match &n.data.borrow().value {
                NodeValue::Heading(h) => Some(h.level),
                _ => None,
            })
            .min()
            .unwrap_or(1);
        let mut previous = under;
        for node in headings {
            if let NodeValue::Heading(h) = &mut node.data.borrow_mut().value {
                h.level = (h.level - highest + under + 1).min(previous + 1).min(6);
                previous = h.level;
            }
        }
    }
    let mut html = String::new();
    if comrak::format_html(root, &options, &mut html).is_err() {
        return String::new();
    }
    html
}

/// Plan text as literal Markdown on one line: every character Markdown or
/// HTML would act on is escaped, so that text can become no heading, list,
/// link, image, emphasis, table cell or markup, wherever it stands.
pub fn markdown_text(text: &str) -> String {
    markdown_inline(text, true)
}

/// Plan text for a Markdown table cell, where a line-start marker (`-`,
/// `1.`) means nothing and is left as written.
pub fn markdown_cell(text: &str) -> String {
    markdown_inline(text, false)
}

fn markdown_inline(text: &str, line_start: bool) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(line.len() + 8);
    let mut chars = line.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if crate::terminal::is_active(c) => out.push_str(&crate::terminal::escape(c)),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            // Block markers only count at the start of a line.
            '#' | '-' | '+' | '=' if first && line_start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        first = false;
    }
    // `1. ` or `1) ` at the start would open a numbered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if line_start && digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    out
}

/// How much work one template may do: a render past it stops with an error
/// instead of running for ever. The bundled templates use a small part of
/// it for the largest plans.
pub const FUEL: u64 = 200_000_000;

/// The environment, with `overrides` searched before the built-in templates.
/// Only the known template names are ever loaded, each through `guard` (so
/// a template that is a link out of the repository is refused) and within
/// the size limit of a plan file.
pub fn environment(overrides: Option<PathBuf>, guard: Guard) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    // Markdown and other text outputs end with a newline, as written.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_loader(move |name| {
        let Some((_, built_in)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            return Ok(None);
        };
        if let Some(dir) = &overrides {
            let path = dir.join(name);
            if std::fs::symlink_metadata(&path).is_ok() {
                return crate::load::read_text(&path, DEFAULT_MAX_FILE_BYTES, &guard)
                    .map(Some)
                    .map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("template {}", e.message()),
                        )
                    });
            }
        }
        Ok(Some(built_in.to_string()))
    });
    // `markdown(N)`: headings in the text go below the level-N heading of
    // the part of the page where it stands.
    env.add_filter("markdown", |text: Option<String>, under: Option<u8>| {
        Value::from_safe_string(markdown_html_under(text.as_deref().unwrap_or(""), under))
    });
    env.add_filter("md_text", |text: Option<String>| {
        markdown_text(text.as_deref().unwrap_or(""))
    });
    env.add_filter("md_cell", |text: Option<String>| {
        markdown_cell(text.as_deref().unwrap_or(""))
    });
    // Titles: inline Markdown (bold, italic, code, links) and nothing more.
    env.add_filter("inline", |text: Option<String>| {
        Value::from_safe_string(super::inline::html(text.as_deref().unwrap_or("")))
    });
    env.add_filter("md_inline", |text: Option<String>| {
        super::inline::markdown(text.as_deref().unwrap_or(""))
    });
    env
}

/// Where a repository keeps its own templates.
pub fn repository_templates(root: &Path) -> Option<PathBuf> {
    let dir = root.join("templates");
    dir.is_dir().then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cannot_inject_markup() {
        let html = markdown_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html;base64,PHNjcmlwdD4=) \
             <img src=x onerror=alert(1)> **bold**",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
        // An image would load from elsewhere when the page is opened: it
        // becomes a link.
        let html =
            markdown_html("![tracker](http://example.org/pixel.png) and ![x](//e.org/y.gif)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("<a href=\"http://example.org/pixel.png\">tracker</a>"),
            "{html}"
        );
    }

    fn levels(html: &str) -> Vec<char> {
        html.match_indices("<h")
            .filter_map(|(at, _)| html[at + 2..].chars().next())
            .filter(char::is_ascii_digit)
            .collect()
    }

    #[test]
    fn markdown_headings_go_below_the_heading_they_stand_under() {
        let text = "# Aims\n\ntext\n\n## How\n\n#### Detail\n\n# More\n\nSetext\n------\n";
        // As written, without a level.
        assert_eq!(levels(&markdown_html(text)), ['1', '2', '4', '1', '2']);
        // Under an h2: the highest becomes h3, and no level is skipped
        // (h4 to h6 would skip h5: it becomes h5).
        assert_eq!(
            levels(&markdown_html_under(text, Some(2))),
            ['3', '4', '5', '3', '4']
        );
        // Text whose highest heading is ## starts just below all the same.
        assert_eq!(
            levels(&markdown_html_under("## A\n\n### B\n", Some(3))),
            ['4', '5']
        );
        // A first heading deeper than the rest cannot skip either.
        assert_eq!(
            levels(&markdown_html_under("### A\n\n# B\n\n## C\n", Some(2))),
            ['3', '3', '4']
        );
        // Never past h6.
        assert_eq!(
            levels(&markdown_html_under("# A\n\n## B\n\n### C\n", Some(5))),
            ['6', '6', '6']
        );
        let html = markdown_html_under("# A <b>\n", Some(2));
        assert_eq!(html, "<h3>A &lt;b&gt;</h3>\n");
    }

    #[test]
    fn markdown_text_stays_text() {
        assert_eq!(markdown_text("a | b\nc"), "a \\| b c");
        assert_eq!(
            markdown_text("<script>x</script> ![i](http://e/x.png) [l](javascript:y)"),
            "&lt;script&gt;x&lt;/script&gt; !\\[i\\](http://e/x.png) \\[l\\](javascript:y)"
        );
        assert_eq!(
            markdown_text("# Heading\n## injected"),
            "\\# Heading ## injected"
        );
        assert_eq!(markdown_text("1. first"), "1\\. first");
        assert_eq!(
            markdown_text("**bold** _it_ `code`"),
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(
            markdown_text("Parents & carers &amp;"),
            "Parents & carers &amp;amp;"
        );
        assert_eq!(markdown_text("£1,020 (see 2.1)"), "£1,020 (see 2.1)");
        assert_eq!(markdown_cell("-£180 | 1. x"), "-£180 \\| 1. x");
    }
}
