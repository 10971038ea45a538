//! Bar charts as inline SVG: no JavaScript, readable in print, every bar
//! labelled with its figure so that nothing is shown by colour alone.

use rust_decimal::Decimal;

use crate::money::{Money, format_gbp};

const LABEL_WIDTH: i64 = 280;
const BAR_WIDTH: i64 = 420;
const ROW: i64 = 26;

/// Escapes text for SVG.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar's length in pixels, in proportion to the largest value.
fn length(value: Money, max: Money) -> Decimal {
    if max.is_zero() {
        return Decimal::ZERO;
    }
    (value * Decimal::from(BAR_WIDTH) / max).round_dp(1)
}

/// Labels longer than the label column are cut with an ellipsis; the
/// tables beside the chart carry the full names.
fn short(label: &str) -> String {
    const MAX: usize = 38;
    if label.chars().count() <= MAX {
        return label.to_string();
    }
    let cut: String = label.chars().take(MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

struct Bar<'a> {
    label: &'a str,
    /// Each bar of the row: value, CSS class, caption.
    parts: Vec<(Money, &'static str, String)>,
}

fn chart(title: &str, bars: &[Bar], legend: &[(&str, &str)]) -> String {
    let max = bars
        .iter()
        .flat_map(|b| b.parts.iter().map(|p| p.0))
        .max()
        .unwrap_or(Money::ZERO);
    let per_bar = bars.first().map_or(1, |b| b.parts.len().max(1) as i64);
    let row = ROW * per_bar + 8;
    let legend_height = if legend.is_empty() { 0 } else { 24 };
    let height = row * bars.len() as i64 + legend_height + 8;
    let width = LABEL_WIDTH + BAR_WIDTH + 120;
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = xml(title)
    );
    for (i, (class, text)) in legend.iter().enumerate() {
        let x = LABEL_WIDTH + i as i64 * 140;
        svg.push_str(&format!(
            "<rect class=\"{class}\" x=\"{x}\" y=\"4\" width=\"14\" height=\"14\"/>\
             <text x=\"{}\" y=\"16\">{}</text>",
            x + 20,
            xml(text)
        ));
    }
    for (i, bar) in bars.iter().enumerate() {
        let top = legend_height + row * i as i64 + 4;
        svg.push_str(&format!(
            "<text class=\"bar-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL_WIDTH - 8,
            top + ROW / 2 + 5 + (per_bar - 1) * ROW / 2,
            xml(&short(bar.label))
        ));
        for (j, (value, class, caption)) in bar.parts.iter().enumerate() {
            let y = top + j as i64 * ROW;
            let w = length(*value, max);
            svg.push_str(&format!(
                "<rect class=\"{class}\" x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{w}\" height=\"{}\"/>\
                 <text x=\"{}\" y=\"{}\">{}</text>",
                ROW - 6,
                Decimal::from(LABEL_WIDTH + 6) + w,
                y + ROW / 2 + 3,
                xml(caption)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A bar's length and caption: nothing drawn, and `unknown` said, for an
/// amount that is not known.
fn bar_part(amount: Option<Money>, caption: impl Fn(String) -> String) -> (Money, String) {
    match amount {
        Some(amount) => (amount, caption(format_gbp(amount))),
        None => (Money::ZERO, caption("unknown".into())),
    }
}

/// Money per ECM outcome: each outcome's title and amount, if known.
pub fn outcomes(outcomes: &[(&str, Option<Money>)]) -> String {
    let bars: Vec<Bar> = outcomes
        .iter()
        .map(|(title, amount)| {
            let (length, caption) = bar_part(*amount, |a| a);
            Bar {
                label: title,
                parts: vec![(length, "bar-outcome", caption)],
            }
        })
        .collect();
    chart("Budget by Every Child Matters outcome", &bars, &[])
}

/// Allocated against available, per funding source: each source's name,
/// stated amount and allocation (if known).
pub fn sources(sources: &[(&str, Option<Money>, Option<Money>)]) -> String {
    let bars: Vec<Bar> = sources
        .iter()
        .map(|(name, available, allocated)| Bar {
            label: name,
            parts: vec![
                (
                    available.unwrap_or(Money::ZERO),
                    "bar-available",
                    available.map_or_else(
                        || "not stated".to_string(),
                        |a| format!("{} available", format_gbp(a)),
                    ),
                ),
                {
                    let (length, caption) = bar_part(*allocated, |a| format!("{a} allocated"));
                    (length, "bar-allocated", caption)
                },
            ],
        })
        .collect();
    chart(
        "Allocated against available, per funding source",
        &bars,
        &[
            ("bar-available", "Available"),
            ("bar-allocated", "Allocated"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_proportional() {
        let outcomes = vec![
            ("Be <healthy>", Some(Money::from(100))),
            ("Stay safe", Some(Money::from(50))),
            ("Enjoy", None),
        ];
        let svg = super::outcomes(&outcomes);
        assert!(svg.contains("Be &lt;healthy&gt;"));
        assert!(svg.contains("width=\"420\""));
        assert!(svg.contains("width=\"210\""));
        assert!(!svg.contains("<script"));
        assert!(svg.contains(">unknown<"));
    }
}
