//! The template environment: templates compiled into the binary from
//! `templates/`, each overridable by a file of the same name in a plan
//! repository's `templates/` directory (or `--templates DIR`).

use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};

/// The default templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("plan.html", include_str!("../../templates/plan.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("plan.md", include_str!("../../templates/plan.md")),
    ("index.md", include_str!("../../templates/index.md")),
];

/// Free text as HTML: Markdown through comrak, with raw HTML escaped and
/// `javascript:` / `data:` links dropped, so plan text cannot inject markup.
pub fn markdown_html(text: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.render.r#unsafe = false;
    options.render.escape = true;
    comrak::markdown_to_html(text, &options)
}

/// Text for one cell of a Markdown table: one line, pipes escaped.
pub fn markdown_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The environment, with `overrides` searched before the built-in templates.
/// Only the known template names are ever loaded, so a template cannot reach
/// files outside the override directory.
pub fn environment(overrides: Option<PathBuf>) -> Environment<'static> {
    let mut env = Environment::new();
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
            if path.is_file() {
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("cannot read template {}: {e}", path.display()),
                    )
                });
            }
        }
        Ok(Some(built_in.to_string()))
    });
    env.add_filter("markdown", |text: Option<String>| {
        Value::from_safe_string(markdown_html(text.as_deref().unwrap_or("")))
    });
    env.add_filter("md_cell", |text: Option<String>| {
        markdown_cell(text.as_deref().unwrap_or(""))
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
    }

    #[test]
    fn markdown_cells_stay_in_their_column() {
        assert_eq!(markdown_cell("a | b\nc"), "a \\| b c");
    }
}
