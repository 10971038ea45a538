//! Entry points for the fuzz targets in `fuzz/` and their regression tests:
//! each runs a stage of the pipeline on text held in memory. Any panic here
//! is a bug.

use std::path::Path;

use crate::compile;
use crate::decode::Decoder;
use crate::diagnostic::Diagnostics;
use crate::load;
use crate::render::{self, Format, Request};
use crate::report::{self, Style};
use crate::source::SourceMap;

/// Parses `text` as the file `name` and decodes it into a plan fragment.
pub fn load_and_decode(name: &str, text: &str) {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    if let Some((file, node)) =
        load::parse_text(Path::new(name), text.to_string(), &mut sources, &mut diags)
    {
        Decoder::new(&mut diags).file(&node, file);
    }
    let diagnostics = diags.into_sorted();
    report::human(&diagnostics, &sources, Style::Plain);
}

/// The YAML fast path against granit-parser: where the fast path reads a
/// text, the same events and spans.
pub fn yaml_fast_path(text: &str) {
    if let Err(why) = load::yaml::fast_path_agrees(text) {
        panic!("the YAML fast path and granit-parser part: {why}");
    }
}

/// Parses `text` as an amount and as a date, and formats what parses.
pub fn amount_and_date(text: &str) {
    if let Ok(value) = crate::money::parse(text) {
        crate::money::format_gbp(value);
        crate::money::format_plain(value);
    }
    if let Ok(date) = crate::date::parse(text) {
        date.display();
    }
}

/// The whole pipeline on one file: compile, report, summarise and render
/// (as a draft, so that plans with errors are rendered too).
pub fn whole_pipeline(name: &str, text: &str) {
    let as_of = jiff::civil::date(2008, 6, 30);
    let mut compilation = compile::compile_text(name, text, as_of);
    let diagnostics = std::mem::take(&mut compilation.diagnostics).into_sorted();
    report::human(&diagnostics, &compilation.sources, Style::Plain);
    report::json(&diagnostics, &compilation.sources);
    for plan in &compilation.plans {
        crate::summary::plan(plan, &compilation.framework);
    }
    let request = Request {
        formats: vec![Format::Html, Format::Markdown, Format::Csv],
        progress: indicatif::ProgressBar::hidden(),
        templates: None,
        revision: Some("fuzz".into()),
        // The preview shows every problem in place: the most to render.
        preview: true,
    };
    let _ = render::render(&compilation, &diagnostics, &request);
}

/// The report renderers on any text, with labels wherever the input puts
/// them, in every style: long lines, control characters, labels at the end
/// of the file. The first byte says how many labels, then four bytes per
/// label give its start and width; the rest is the file.
pub fn report(data: &[u8]) {
    use crate::codes::Code;
    use crate::diagnostic::Diagnostic;
    use crate::source::Span;
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(count % 8);
    let (heads, body) = rest.split_at((count * 4).min(rest.len()));
    let text = String::from_utf8_lossy(body).into_owned();
    let mut sources = SourceMap::default();
    let file = sources.add("plan.yaml".into(), text.clone());
    // Spans fall on character boundaries, as the pipeline's always do.
    let boundary = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let mut diagnostics: Vec<Diagnostic> = heads
        .chunks_exact(4)
        .map(|h| {
            let scale = text.len().max(1);
            let start = boundary(usize::from(u16::from_le_bytes([h[0], h[1]])) * scale / 65_536);
            let end = boundary(start + usize::from(u16::from_le_bytes([h[2], h[3]])));
            Diagnostic::new(
                Code::UnknownField,
                Span::new(file, start, end),
                "fuzz \u{1b}[2J",
            )
            .label("here\nthere")
            .help("help\u{7}")
        })
        .collect();
    if diagnostics.len() > 1 {
        let second = diagnostics[1].primary.span;
        diagnostics[0] = diagnostics[0].clone().with_secondary(second, "related");
    }
    for style in [Style::Plain, Style::Monochrome, Style::Fancy] {
        report::human(&diagnostics, &sources, style);
    }
    report::json(&diagnostics, &sources);
    report::github(&diagnostics, &sources);
    report::sarif(&diagnostics, &sources);
}
