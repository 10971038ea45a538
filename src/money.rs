//! Amounts of money: exact decimals, parsed strictly.
//!
//! A typo in a figure must never pass silently, so only clean numbers are
//! accepted (`1020`, `4462.20`, `£62,150`). For anything else the error
//! carries the number the writer probably meant.

use std::str::FromStr;

use rust_decimal::Decimal;

pub type Money = Decimal;

/// Amounts above this are always typos (one hundred billion pounds).
const MAX_AMOUNT: i64 = 100_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a clean number; `suggestion` is what it probably means.
    Unclean {
        suggestion: Option<Decimal>,
    },
    Negative {
        value: Decimal,
    },
    TooManyDecimals {
        value: Decimal,
    },
    OutOfRange,
    /// A number in a form that is not an amount: hexadecimal, octal or
    /// binary, infinity or not-a-number. `form` names it.
    NotDecimal {
        form: &'static str,
    },
}

/// Number forms a TOML or YAML parser accepts that are never amounts.
fn non_decimal_form(text: &str) -> Option<&'static str> {
    let t = text
        .trim()
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase();
    if t.starts_with("0x") {
        Some("a hexadecimal number")
    } else if t.starts_with("0o") {
        Some("an octal number")
    } else if t.starts_with("0b") {
        Some("a binary number")
    } else if matches!(t.as_str(), "inf" | ".inf" | "infinity") {
        Some("infinity")
    } else if matches!(t.as_str(), "nan" | ".nan") {
        Some("not a number (nan)")
    } else {
        None
    }
}

/// Parses an amount as written in a plan file.
pub fn parse(text: &str) -> Result<Money, MoneyError> {
    if let Some(form) = non_decimal_form(text) {
        return Err(MoneyError::NotDecimal { form });
    }
    let trimmed = text.trim();
    let unsigned = trimmed.strip_prefix('-').map(str::trim_start);
    let body = unsigned.unwrap_or(trimmed);
    let body = body.strip_prefix('£').unwrap_or(body).trim_start();
    let Some(value) = clean_number(body) else {
        return Err(MoneyError::Unclean {
            suggestion: suggest(trimmed),
        });
    };
    // `-0` is zero: no sign survives into outputs.
    let value = if unsigned.is_some() && !value.is_zero() {
        -value
    } else {
        value
    };
    check_value(value)
}

fn check_value(value: Decimal) -> Result<Money, MoneyError> {
    if value.abs() > Decimal::from(MAX_AMOUNT) {
        return Err(MoneyError::OutOfRange);
    }
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MoneyError::Negative { value });
    }
    if value.scale() > 2 {
        return Err(MoneyError::TooManyDecimals { value });
    }
    Ok(value)
}

/// Digits, optionally grouped by thousands with commas, then an optional
/// decimal part. `None` for anything else.
fn clean_number(body: &str) -> Option<Decimal> {
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    if let Some(f) = fraction
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    if digits.trim_start_matches('0').len() > 12 {
        // Past a hundred billion pounds; certainly out of range.
        return Some(Decimal::from(MAX_AMOUNT) + Decimal::ONE);
    }
    // More than two places, even zeros, is not an amount in pounds and
    // pence (`£1.000` may be a thousand written with a dot). Past three
    // places only the first three are kept, enough for the message, and the
    // amount is never rounded.
    let written = fraction.unwrap_or("");
    let fraction = if written.len() > 3 {
        let mut kept = written[..3].to_string();
        if kept.ends_with('0') {
            kept.replace_range(2..3, "1");
        }
        kept
    } else {
        written.to_string()
    };
    let text = if fraction.is_empty() {
        digits
    } else {
        format!("{digits}.{fraction}")
    };
    Decimal::from_str_exact(&text).ok()
}

/// The number a messy amount probably means: `£7,,000` → 7000,
/// `£36'000` → 36000, `15k` → 15000, `£6.3 million` → 6300000,
/// `about 5000` → 5000, `1e6` → 1000000.
fn suggest(text: &str) -> Option<Decimal> {
    let mut s = text.to_lowercase();
    for word in [
        "about",
        "approx.",
        "approx",
        "approximately",
        "circa",
        "c.",
        "~",
        "gbp",
    ] {
        s = s.replace(word, " ");
    }
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '£' | ',' | '\'' | '’' | '_' | ' ' | '(' | ')'))
        .collect();
    let (number, multiplier) = [
        ("million", 1_000_000),
        ("mn", 1_000_000),
        ("m", 1_000_000),
        ("bn", 1_000_000_000),
        ("k", 1_000),
    ]
    .iter()
    .find_map(|(suffix, m)| s.strip_suffix(suffix).map(|n| (n.to_string(), *m)))
    .unwrap_or((s.clone(), 1));
    let value = if let Some((mantissa, exponent)) = number.split_once('e') {
        let mantissa = Decimal::from_str(mantissa).ok()?;
        let exponent: u32 = exponent.parse().ok()?;
        if exponent > 12 {
            return None;
        }
        mantissa.checked_mul(Decimal::from(10i64.checked_pow(exponent)?))?
    } else {
        Decimal::from_str(&number).ok()?
    };
    let value = value.checked_mul(Decimal::from(multiplier))?.normalize();
    check_value(value).ok()
}

/// `£62,150` or `£4,462.20`: whole pounds without pence, pence when there
/// are any.
pub fn format_gbp(value: Money) -> String {
    let negative = value.is_sign_negative() && !value.is_zero();
    let value = value.abs().round_dp(2);
    let pence = value.fract() != Decimal::ZERO;
    let text = if pence {
        format!("{:.2}", value)
    } else {
        format!("{}", value.trunc())
    };
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}£{grouped}.{f}"),
        None => format!("{sign}£{grouped}"),
    }
}

/// A plain decimal for machine-readable output: `4462.20`, `62150.00`.
pub fn format_plain(value: Money) -> String {
    let value = if value.is_zero() {
        Decimal::ZERO
    } else {
        value
    };
    format!("{:.2}", value.round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn clean_amounts() {
        assert_eq!(parse("1020"), Ok(d("1020")));
        assert_eq!(parse("£62,150"), Ok(d("62150")));
        assert_eq!(parse("£4,462.20"), Ok(d("4462.20")));
        assert_eq!(parse("0"), Ok(d("0")));
        assert_eq!(parse(" 1,000,000 "), Ok(d("1000000")));
        assert_eq!(parse("0.10"), Ok(d("0.10")));
        assert_eq!(parse("5.00"), Ok(d("5")));
    }

    #[test]
    fn messy_amounts_suggest_what_they_mean() {
        let unclean = |s: &str| match parse(s) {
            Err(MoneyError::Unclean { suggestion }) => suggestion,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(unclean("£7,,000"), Some(d("7000")));
        assert_eq!(unclean("£36’000"), Some(d("36000")));
        assert_eq!(unclean("£36'000"), Some(d("36000")));
        assert_eq!(unclean("15k"), Some(d("15000")));
        assert_eq!(unclean("£37K"), Some(d("37000")));
        assert_eq!(unclean("£6.3 million"), Some(d("6300000")));
        assert_eq!(unclean("about 5000"), Some(d("5000")));
        assert_eq!(unclean("1e6"), Some(d("1000000")));
        assert_eq!(unclean("1,00"), Some(d("100")));
        assert_eq!(unclean("twelve"), None);
        assert_eq!(unclean(""), None);
        assert_eq!(unclean("."), None);
    }

    #[test]
    fn negative_too_precise_and_huge_amounts() {
        assert_eq!(parse("-5"), Err(MoneyError::Negative { value: d("-5") }));
        assert_eq!(
            parse("0.001"),
            Err(MoneyError::TooManyDecimals { value: d("0.001") })
        );
        assert_eq!(
            parse("99999999999999999999999999999"),
            Err(MoneyError::OutOfRange)
        );
        assert_eq!(parse("100000000001"), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn nothing_is_rounded_away_or_signed_zero() {
        // 31 significant digits: too precise, never rounded to £100.
        assert_eq!(
            parse("100.000000000000000000000000001")
                .map_err(|e| matches!(e, MoneyError::TooManyDecimals { .. })),
            Err(true)
        );
        assert_eq!(parse("0000000000000000000000000000001"), Ok(d("1")));
        assert_eq!(
            parse("1234567890123456789012345678901"),
            Err(MoneyError::OutOfRange)
        );
        assert!(matches!(
            parse("5.000000000000000000000000000000"),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        // A thousand written with a dot is not one pound.
        assert!(matches!(
            parse("£1.000"),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        let zero = parse("-0").unwrap();
        assert!(!zero.is_sign_negative());
        assert_eq!(format_plain(zero), "0.00");
        assert_eq!(format_plain(-Decimal::ZERO), "0.00");
    }

    #[test]
    fn number_forms_that_are_not_amounts() {
        for (text, form) in [
            ("0x10", "a hexadecimal number"),
            ("0o777", "an octal number"),
            ("0b1000", "a binary number"),
            ("inf", "infinity"),
            ("-inf", "infinity"),
            ("nan", "not a number (nan)"),
            (".nan", "not a number (nan)"),
        ] {
            assert_eq!(parse(text), Err(MoneyError::NotDecimal { form }), "{text}");
        }
    }

    #[test]
    fn formatting() {
        assert_eq!(format_gbp(d("62150")), "£62,150");
        assert_eq!(format_gbp(d("4462.2")), "£4,462.20");
        assert_eq!(format_gbp(d("0")), "£0");
        assert_eq!(format_gbp(d("-1000")), "-£1,000");
        assert_eq!(format_gbp(d("190358")), "£190,358");
        assert_eq!(format_plain(d("62150")), "62150.00");
    }
}
