//! Dates written in a document (« 30 mars 2021 », « 15/03/2021 », « March
//! 30, 2021 »), for the rules whose judgement depends on when the document
//! was written: a consultation launched before 1 October 2021 could still
//! apply the 2009 CCAG-TIC.

use regex::Regex;
use std::fmt;
use std::sync::LazyLock;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day, 1 to 31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1900..=2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then_some(Date { year, month, day })
    }
}

impl Date {
    /// The date as a sentence in `language` writes it: « 14 mai 2019 », « 14 May 2019 ».
    pub fn written(&self, language: crate::document::Language) -> String {
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let names = if language == crate::document::Language::Fr { FR } else { EN };
        let month = names.get(usize::from(self.month).saturating_sub(1)).copied().unwrap_or("");
        let day = if self.day == 1 && language == crate::document::Language::Fr {
            "1er".to_string()
        } else {
            self.day.to_string()
        };
        format!("{day} {month} {}", self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&[&str]; 12] = [
    &["janvier", "january", "jan"],
    &["février", "fevrier", "february", "feb"],
    &["mars", "march", "mar"],
    &["avril", "april", "apr"],
    &["mai", "may"],
    &["juin", "june", "jun"],
    &["juillet", "july", "jul"],
    &["août", "aout", "august", "aug"],
    &["septembre", "september", "sept", "sep"],
    &["octobre", "october", "oct"],
    &["novembre", "november", "nov"],
    &["décembre", "decembre", "december", "dec"],
];

/// Whether `word` names a month (French or English, full or abbreviated).
pub fn is_month(word: &str) -> bool {
    let word = word.to_lowercase();
    MONTHS.iter().any(|names| names.contains(&word.as_str()))
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let months: Vec<&str> = MONTHS.iter().flat_map(|m| m.iter().copied()).collect();
    let names = months.join("|");
    let p = format!(
        r"(?i)(?-u:\b)(?:(\d{{1,2}})(?:er)?\s+({names})\.?\s+(\d{{4}})|({names})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})|(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}}))(?-u:\b)"
    );
    // A constant pattern, checked by the tests below.
    #[allow(clippy::expect_used)]
    Regex::new(&p).expect("date regex is valid")
});

fn month(name: &str) -> Option<u8> {
    let name = name.to_lowercase();
    MONTHS.iter().position(|m| m.contains(&name.as_str())).and_then(|i| u8::try_from(i + 1).ok())
}

/// Every date written in `text`, in order.
pub fn dates(text: &str) -> impl Iterator<Item = Date> + '_ {
    DATE.captures_iter(text).filter_map(|c| {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u16>().ok());
        if let (Some(d), Some(m), Some(y)) = (num(1), c.get(2), num(3)) {
            Date::new(y, month(m.as_str())?, u8::try_from(d).ok()?)
        } else if let (Some(m), Some(d), Some(y)) = (c.get(4), num(5), num(6)) {
            Date::new(y, month(m.as_str())?, u8::try_from(d).ok()?)
        } else {
            let (d, m, y) = (num(7)?, num(8)?, num(9)?);
            Date::new(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
        }
    })
}

/// The latest date written in `text`: a document is written no earlier than
/// the latest date it cites.
pub fn latest(text: &str) -> Option<Date> {
    dates(text).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_english_and_numeric_dates() {
        let text = "arrêté du 16 septembre 2009 ; offres avant le 1er mars 2019 ; signed March 30, 2021; le 15/03/2018.";
        let found: Vec<String> = dates(text).map(|d| d.to_string()).collect();
        assert_eq!(found, vec!["2009-09-16", "2019-03-01", "2021-03-30", "2018-03-15"]);
        assert_eq!(latest(text).map(|d| d.to_string()), Some("2021-03-30".into()));
        assert_eq!(latest("le 45 mars 2021, article 2021, 3/2021"), None);
        assert_eq!(Date::parse_iso("2021-10-01"), Some(Date { year: 2021, month: 10, day: 1 }));
        assert_eq!(Date::parse_iso("2021-13-01"), None);
        let d = Date { year: 2019, month: 5, day: 1 };
        assert_eq!(d.written(crate::document::Language::Fr), "1er mai 2019");
        assert_eq!(d.written(crate::document::Language::En), "1 May 2019");
    }
}
