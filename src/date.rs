//! Dates as plans write them: a day, a month, a calendar year or a UK
//! financial year. Each is a range of days, so "Sept 2007" as a start means
//! 1 September and as an end means 30 September.

use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Day,
    Month,
    Year,
    FinancialYear,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateSpec {
    pub first: Date,
    pub last: Date,
    pub precision: Precision,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    pub suggestion: Option<String>,
}

impl DateSpec {
    fn day(date: Date) -> Self {
        DateSpec {
            first: date,
            last: date,
            precision: Precision::Day,
        }
    }

    fn month(year: i16, month: i8) -> Option<Self> {
        let first = Date::new(year, month, 1).ok()?;
        Some(DateSpec {
            first,
            last: first.last_of_month(),
            precision: Precision::Month,
        })
    }

    fn calendar_year(year: i16) -> Option<Self> {
        Some(DateSpec {
            first: Date::new(year, 1, 1).ok()?,
            last: Date::new(year, 12, 31).ok()?,
            precision: Precision::Year,
        })
    }

    fn financial_year(start_year: i16) -> Option<Self> {
        Some(DateSpec {
            first: Date::new(start_year, 4, 1).ok()?,
            last: Date::new(start_year.checked_add(1)?, 3, 31).ok()?,
            precision: Precision::FinancialYear,
        })
    }

    /// As written in reports: `1 Sep 2007`, `Sep 2007`, `2009`, `2009/10`.
    pub fn display(&self) -> String {
        match self.precision {
            Precision::Day => self.first.strftime("%-d %b %Y").to_string(),
            Precision::Month => self.first.strftime("%b %Y").to_string(),
            Precision::Year => self.first.year().to_string(),
            Precision::FinancialYear => {
                format!(
                    "{}/{:02}",
                    self.first.year(),
                    (self.first.year() + 1).rem_euclid(100)
                )
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let index = full
        .iter()
        .position(|m| m.starts_with(&word))
        .or_else(|| MONTHS.iter().position(|m| *m == word))?;
    i8::try_from(index + 1).ok()
}

/// `07` → 2007, `2007` → 2007.
fn year_number(text: &str) -> Option<i16> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i16 = text.parse().ok()?;
    match text.len() {
        2 => Some(2000 + n),
        4 if (1900..=2200).contains(&n) => Some(n),
        _ => None,
    }
}

/// A month a season may mean, and why.
type Reading = (i8, &'static str);

/// The month a season most likely means in a school plan, why, and the
/// other reading where there is one (the summer term, or the holiday).
fn season_month(word: &str) -> Option<(i8, &'static str, Option<Reading>)> {
    match word.to_lowercase().as_str() {
        "autumn" | "fall" => Some((9, "the autumn term starts in September", None)),
        "spring" => Some((1, "the spring term starts in January", None)),
        "summer" => Some((
            4,
            "the summer term starts in April",
            Some((7, "the summer holiday starts in July")),
        )),
        "winter" => Some((12, "winter starts in December", None)),
        _ => None,
    }
}

pub fn parse(text: &str) -> Result<DateSpec, DateError> {
    let t = text.trim();
    let fail = |message: String, suggestion: Option<String>| DateError {
        message,
        suggestion,
    };
    if let Some(spec) = parse_iso(t)? {
        return Ok(spec);
    }
    let t_fy = t
        .strip_prefix("FY")
        .or_else(|| t.strip_prefix("fy"))
        .unwrap_or(t)
        .trim();
    if let Some((a, b)) = t_fy.split_once('/')
        && let (Some(start), Some(end)) = (year_number(a.trim()), b.trim().parse::<i16>().ok())
    {
        let end_matches = match b.trim().len() {
            2 => (start + 1).rem_euclid(100) == end,
            4 => start + 1 == end,
            _ => false,
        };
        if end_matches && let Some(spec) = DateSpec::financial_year(start) {
            return Ok(spec);
        }
        return Err(fail(
            format!("`{t}` is not a UK financial year"),
            Some(format!(
                "a financial year runs April to March: write `{start}/{:02}`",
                (start + 1).rem_euclid(100)
            )),
        ));
    }
    if let Some(year) = year_number(t).filter(|_| t.len() == 4)
        && let Some(spec) = DateSpec::calendar_year(year)
    {
        return Ok(spec);
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if let [word, year] = words.as_slice()
        && let Some(year) = year_number(year)
    {
        if let Some(month) = month_number(word)
            && let Some(spec) = DateSpec::month(year, month)
        {
            return Ok(spec);
        }
        if let Some((month, why, other)) = season_month(word) {
            let or = other.map_or_else(String::new, |(month, why)| {
                format!(", or `{year}-{month:02}` if it means the holiday ({why})")
            });
            return Err(fail(
                format!("`{t}` is a season, not a date"),
                Some(format!(
                    "write a month, e.g. `{year}-{month:02}` ({why}){or}, and keep `{t}` in the timescale's `text`"
                )),
            ));
        }
    }
    if let [day, word, year] = words.as_slice()
        && let (Ok(day), Some(month), Some(year)) = (
            day.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<i8>(),
            month_number(word),
            year_number(year),
        )
    {
        return Date::new(year, month, day).map(DateSpec::day).map_err(|_| {
            fail(
                format!("`{t}` is not a real date"),
                Some(format!(
                    "that month has {} days",
                    Date::new(year, month, 1).map_or(31, |d| d.days_in_month())
                )),
            )
        });
    }
    Err(fail(
        format!("`{t}` is not a date planc understands"),
        Some(
            "write `2007-09-01`, `2007-09`, `Sept 2007`, `2009` or a financial year `2009/10`; \
             put free text such as `throughout the year` in the timescale's `text`"
                .into(),
        ),
    ))
}

/// `2007-09-01` or `2007-09`. `Ok(None)` when the text is not of that shape.
fn parse_iso(t: &str) -> Result<Option<DateSpec>, DateError> {
    let parts: Vec<&str> = t.split('-').collect();
    let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(numeric) || parts[0].len() != 4 {
        return Ok(None);
    }
    let year: i16 = parts[0].parse().unwrap_or(0);
    let month: i8 = parts[1].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(DateError {
            message: format!("`{t}` has month {month}, and months run from 1 to 12"),
            suggestion: None,
        });
    }
    if parts.len() == 2 {
        return Ok(DateSpec::month(year, month));
    }
    let day: i8 = parts[2].parse().unwrap_or(0);
    match Date::new(year, month, day) {
        Ok(date) => Ok(Some(DateSpec::day(date))),
        Err(_) => {
            let days = Date::new(year, month, 1).map_or(31, |d| d.days_in_month());
            Err(DateError {
                message: format!("`{t}` is not a real date: that month has {days} days"),
                suggestion: Some(format!("did you mean `{year}-{month:02}-{days:02}`?")),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> (String, String) {
        let spec = parse(text).unwrap();
        (spec.first.to_string(), spec.last.to_string())
    }

    #[test]
    fn forms_plans_use() {
        assert_eq!(
            range("2007-09-01"),
            ("2007-09-01".into(), "2007-09-01".into())
        );
        assert_eq!(
            range("Sept 2007"),
            ("2007-09-01".into(), "2007-09-30".into())
        );
        assert_eq!(range("Sep 07"), ("2007-09-01".into(), "2007-09-30".into()));
        assert_eq!(
            range("Feb 2008"),
            ("2008-02-01".into(), "2008-02-29".into())
        );
        assert_eq!(
            range("March 2008"),
            ("2008-03-01".into(), "2008-03-31".into())
        );
        assert_eq!(range("2009-02"), ("2009-02-01".into(), "2009-02-28".into()));
        assert_eq!(range("2011"), ("2011-01-01".into(), "2011-12-31".into()));
        assert_eq!(range("2009/10"), ("2009-04-01".into(), "2010-03-31".into()));
        assert_eq!(
            range("FY2009/2010"),
            ("2009-04-01".into(), "2010-03-31".into())
        );
        assert_eq!(
            range("1 September 2007"),
            ("2007-09-01".into(), "2007-09-01".into())
        );
    }

    #[test]
    fn bad_dates_say_why() {
        let err = parse("2009-02-30").unwrap_err();
        assert!(err.message.contains("28 days"), "{}", err.message);
        assert_eq!(
            err.suggestion.as_deref(),
            Some("did you mean `2009-02-28`?")
        );
        let err = parse("Autumn 2007").unwrap_err();
        assert!(err.message.contains("season"));
        assert!(err.suggestion.unwrap().contains("2007-09"));
        assert!(
            parse("2009/11")
                .unwrap_err()
                .message
                .contains("financial year")
        );
        assert!(parse("2009-13").is_err());
        assert!(parse("throughout the year").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn display_matches_precision() {
        assert_eq!(parse("2007-09-01").unwrap().display(), "1 Sep 2007");
        assert_eq!(parse("Sept 2007").unwrap().display(), "Sep 2007");
        assert_eq!(parse("2009/10").unwrap().display(), "2009/10");
    }
}
