//! Bar charts as HTML figures: each row's label and figures are text that
//! wraps and keeps its size at any width, and only the bars are drawn, as
//! small inline SVGs that stretch with the page. No JavaScript, readable in
//! print; every bar is labelled with its figure in words, so that nothing is
//! shown by colour alone, and no label is ever cut.

use rust_decimal::Decimal;

use crate::money::{Money, format_gbp};

/// Escapes text for HTML and SVG.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar's length, in percent of the longest.
fn length(value: Money, max: Money) -> Decimal {
    if max.is_zero() || value <= Money::ZERO {
        return Decimal::ZERO;
    }
    (value * Decimal::from(100) / max)
        .round_dp(1)
        .min(Decimal::from(100))
}

/// A bar as an SVG that fills its grid cell: drawn, not read (its figure is
/// the text beside it).
fn bar_svg(class: &str, percent: Decimal) -> String {
    format!(
        "<svg class=\"chart-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" \
         aria-hidden=\"true\" focusable=\"false\"><rect class=\"{class}\" width=\"{percent}\" height=\"10\"/></svg>"
    )
}

struct Bar<'a> {
    label: &'a str,
    /// Each bar of the row: value, CSS class, caption.
    parts: Vec<(Money, &'static str, Caption)>,
}

/// What a bar says: its amount, kept on one line, and words after it,
/// which may wrap.
struct Caption {
    amount: Option<String>,
    words: String,
}

/// A bar's length and caption: nothing drawn, and the amount said to be
/// unknown, for an amount that is not known.
fn caption(amount: Option<Money>, words: &str, unknown: &str) -> (Money, Caption) {
    match amount {
        Some(amount) => (
            amount,
            Caption {
                amount: Some(format_gbp(amount)),
                words: words.to_string(),
            },
        ),
        None => (
            Money::ZERO,
            Caption {
                amount: None,
                words: unknown.to_string(),
            },
        ),
    }
}

fn chart(title: &str, bars: &[Bar], legend: &[(&str, &str)]) -> String {
    let max = bars
        .iter()
        .flat_map(|b| b.parts.iter().map(|p| p.0))
        .max()
        .unwrap_or(Money::ZERO);
    let mut html = format!(
        "<figure class=\"chart\"><figcaption>{}</figcaption>",
        xml(title)
    );
    if !legend.is_empty() {
        html.push_str("<p class=\"chart-legend\">");
        for (i, (class, text)) in legend.iter().enumerate() {
            if i > 0 {
                html.push(' ');
            }
            html.push_str(&format!(
                "<span class=\"chart-key\"><svg class=\"chart-swatch\" viewBox=\"0 0 10 10\" \
                 aria-hidden=\"true\" focusable=\"false\"><rect class=\"{class}\" width=\"10\" \
                 height=\"10\"/></svg> {}</span>",
                xml(text)
            ));
        }
        html.push_str("</p>");
    }
    html.push_str("<ul class=\"chart-rows\">");
    for bar in bars {
        html.push_str(&format!(
            "<li><span class=\"chart-label\">{}</span><span class=\"chart-parts\">",
            xml(bar.label)
        ));
        for (value, class, caption) in &bar.parts {
            html.push_str(&bar_svg(class, length(*value, max)));
            html.push_str("<span class=\"chart-value\">");
            if let Some(amount) = &caption.amount {
                html.push_str(&format!("<span class=\"amount\">{}</span>", xml(amount)));
                if !caption.words.is_empty() {
                    html.push(' ');
                }
            }
            html.push_str(&xml(&caption.words));
            html.push_str("</span>");
        }
        html.push_str("</span></li>");
    }
    html.push_str("</ul></figure>");
    html
}

/// Money per ECM outcome: each outcome's title and amount, if known.
pub fn outcomes(outcomes: &[(&str, Option<Money>)]) -> String {
    let bars: Vec<Bar> = outcomes
        .iter()
        .map(|(title, amount)| {
            let (length, caption) = caption(*amount, "", "unknown");
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
        .map(|(name, available, allocated)| {
            let (available, available_caption) =
                caption(*available, "available", "available: not stated");
            let (allocated, allocated_caption) =
                caption(*allocated, "allocated", "allocated: unknown");
            Bar {
                label: name,
                parts: vec![
                    (available, "bar-available", available_caption),
                    (allocated, "bar-allocated", allocated_caption),
                ],
            }
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
    fn labels_are_escaped_whole_and_bars_proportional() {
        let outcomes = vec![
            ("Be <healthy>", Some(Money::from(100))),
            ("Stay safe", Some(Money::from(50))),
            ("Enjoy", None),
        ];
        let html = super::outcomes(&outcomes);
        assert!(html.contains(">Be &lt;healthy&gt;<"), "{html}");
        assert!(html.contains("<rect class=\"bar-outcome\" width=\"100\""));
        assert!(html.contains("<rect class=\"bar-outcome\" width=\"50\""));
        assert!(html.contains("<rect class=\"bar-outcome\" width=\"0\""));
        assert!(html.contains("<span class=\"chart-value\">unknown</span>"));
        assert!(html.contains("<span class=\"amount\">£100</span>"));
        assert!(!html.contains("<script"));
        assert_eq!(crate::render::inert::html(&html), None);
    }

    #[test]
    fn long_labels_are_never_cut() {
        let name = "Sure Start Grant – Cluster Co-ordination and Extended Services Start-up";
        let html = super::sources(&[
            (name, Some(Money::from(40_500)), Some(Money::from(10_125))),
            ("Other", None, None),
        ]);
        assert!(
            html.contains(&format!("<span class=\"chart-label\">{name}</span>")),
            "{html}"
        );
        assert!(!html.contains('…'));
        assert!(html.contains("<span class=\"amount\">£40,500</span> available"));
        assert!(html.contains("<rect class=\"bar-allocated\" width=\"25\""));
        assert!(html.contains(">available: not stated<"));
        assert!(html.contains(">allocated: unknown<"));
        // The bars are drawn for the eye only: their figures are the text.
        assert_eq!(
            html.matches("<svg").count(),
            html.matches("aria-hidden=\"true\"").count()
        );
    }
}
