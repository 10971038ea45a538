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
    };
    let _ = render::render(&compilation, &diagnostics, &request);
}
