//! Numbers and dates as a language writes them, from the Unicode CLDR data
//! compiled into ICU4X (`icu_decimal`, `icu_datetime`): `12,345.5` in English, `12 345,5`
//! in French (a narrow no-break space), `١٢٬٣٤٥٫٥` in Egyptian
//! Arabic (`ar-EG`; `ar` alone writes Latin digits, as CLDR says). The rest of
//! versus formats a number once, in plain digits with a `.` (as
//! [`crate::text::units`] does), and hands it here with the language's code.
//!
//! Thousands are grouped from five digits up in every language (ICU's
//! `Min2` strategy): `1234.5` stays whole, `12,345.5` is grouped, as
//! English pages always were. A language code ICU cannot read, or has no
//! data for, is written as English.

use std::cell::RefCell;
use std::collections::HashMap;

use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::Locale;

/// A number with `decimals` digits after the point, in `lang`'s way.
pub fn number(value: f64, decimals: usize, lang: &str) -> String {
    let plain = format!("{value:.decimals$}");
    // -0.00 is 0.00.
    let plain = match plain.strip_prefix('-') {
        Some(rest) if rest.trim_start_matches(['0', '.']).is_empty() => rest.to_string(),
        _ => plain,
    };
    digits(&plain, lang)
}

/// `plain` (`-12345.60`: an optional minus, digits, an optional `.` and
/// digits, as Rust's `{:.N}` writes them) in `lang`'s digits and
/// separators, its decimals kept. Anything else comes back unchanged.
pub fn digits(plain: &str, lang: &str) -> String {
    let Ok(decimal) = Decimal::try_from_str(plain) else {
        return plain.to_string();
    };
    with_formatter(lang, |f| match f {
        Some(f) => f.format(&decimal).to_string(),
        None => plain.to_string(),
    })
}

/// The day `day` (`YYYY-MM-DD`, anything after it ignored) written out in
/// `lang`, in the Gregorian calendar: `1 March 2025` is `March 1, 2025` in
/// English, `1 mars 2025` in French. A text that is not such a day comes
/// back as it is.
pub fn date(day: &str, lang: &str) -> String {
    let part = |range: std::ops::Range<usize>| day.get(range).and_then(|p| p.parse::<u8>().ok());
    let year = day.get(..4).and_then(|y| y.parse::<i32>().ok());
    let (Some(year), Some(month), Some(d)) = (year, part(5..7), part(8..10)) else {
        return day.to_string();
    };
    let Ok(date) = Date::try_new_gregorian(year, month, d) else {
        return day.to_string();
    };
    thread_local! {
        static MADE: RefCell<HashMap<String, Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>>> =
            RefCell::new(HashMap::new());
    }
    MADE.with(|made| {
        let mut made = made.borrow_mut();
        let f = made.entry(lang.to_string()).or_insert_with(|| {
            let locale = locale_or_english(lang)?;
            FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long()).ok()
        });
        match f {
            Some(f) => f.format(&date).to_string(),
            None => day.to_string(),
        }
    })
}

/// Every number written as plain digits in `text` (`12.7x`, `3–5 ms`),
/// in `lang`'s way: for text a formatter wrote in English, such as a
/// range or a ratio. A number glued to letters or to another `.`
/// (`v20.1`, `x86`) is left as it is.
pub fn numbers_in(text: &str, lang: &str) -> String {
    if is_plain(lang) {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let word_before = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.');
        if c.is_ascii_digit() && !word_before {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',') {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let glued = i < bytes.len() && (bytes[i].is_ascii_alphabetic() && bytes[i] != b'x');
            let number = &text[start..i];
            if glued || number.ends_with(',') {
                out.push_str(number);
            } else {
                out.push_str(&digits(&number.replace(',', ""), lang));
            }
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Whether `lang` writes numbers as versus's plain English does, so text
/// needs no change (English, and codes ICU cannot read).
pub fn is_plain(lang: &str) -> bool {
    lang == "en" || lang.starts_with("en-") || Locale::try_from_str(lang).is_err()
}

/// The locale of `lang`, English for a code ICU cannot read.
fn locale_or_english(lang: &str) -> Option<Locale> {
    Locale::try_from_str(lang)
        .or_else(|_| Locale::try_from_str("en"))
        .ok()
}

/// Runs `with` on the formatter of `lang` (`None`: ICU cannot read the
/// code or has no data for it). Each thread makes a language's formatter
/// the first time it is asked for (ICU's formatters are not `Sync`).
fn with_formatter<T>(lang: &str, with: impl FnOnce(Option<&DecimalFormatter>) -> T) -> T {
    thread_local! {
        static MADE: RefCell<HashMap<String, Option<DecimalFormatter>>> = RefCell::new(HashMap::new());
    }
    MADE.with(|made| {
        let mut made = made.borrow_mut();
        let f = made.entry(lang.to_string()).or_insert_with(|| {
            let locale = locale_or_english(lang)?;
            let mut options = DecimalFormatterOptions::default();
            options.grouping_strategy = Some(GroupingStrategy::Min2);
            DecimalFormatter::try_new((&locale).into(), options).ok()
        });
        with(f.as_ref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_as_versus_always_wrote_it() {
        for (v, d, text) in [
            (1234.5, 1, "1234.5"),
            (12345.5, 1, "12,345.5"),
            (149_062.034, 2, "149,062.03"),
            (-0.0001, 2, "0.00"),
            (-12.25, 2, "-12.25"),
            (2.1, 0, "2"),
        ] {
            assert_eq!(number(v, d, "en"), text, "{v}");
            assert_eq!(number(v, d, "en-GB"), text, "{v}");
        }
    }

    #[test]
    fn french_groups_with_a_narrow_no_break_space() {
        assert_eq!(number(12345.5, 1, "fr"), "12\u{202f}345,5");
        assert_eq!(number(1234.5, 1, "fr"), "1234,5");
        assert_eq!(number(1_234_567.0, 0, "fr"), "1\u{202f}234\u{202f}567");
        assert_eq!(number(0.061, 3, "fr"), "0,061");
        assert_eq!(number(-3.5, 1, "fr"), "-3,5");
    }

    #[test]
    fn arabic_as_cldr_writes_it() {
        // Since CLDR 46, `ar` alone writes Latin digits (a left-to-right
        // mark keeps a minus before its number in right-to-left text);
        // Egypt and Saudi Arabia, or `-u-nu-arab`, write Arabic-Indic ones.
        assert_eq!(number(12345.5, 1, "ar"), "12,345.5");
        assert_eq!(number(-3.5, 1, "ar"), "\u{200e}-3.5");
        for lang in ["ar-EG", "ar-SA", "ar-u-nu-arab"] {
            assert_eq!(number(12345.5, 1, lang), "١٢٬٣٤٥٫٥", "{lang}");
        }
    }

    #[test]
    fn unknown_languages_are_written_as_english() {
        assert_eq!(number(12345.5, 1, "not a code"), "12,345.5");
        assert_eq!(digits("not a number", "fr"), "not a number");
    }

    #[test]
    fn dates_written_out() {
        assert_eq!(date("2025-03-01", "en"), "March 1, 2025");
        assert_eq!(date("2025-03-01T10:00:00Z", "fr"), "1 mars 2025");
        assert_eq!(date("2025-03-01", "ar"), "1 مارس 2025");
        assert_eq!(date("2025-03-01", "ar-EG"), "١ مارس ٢٠٢٥");
        assert_eq!(date("2025-13-01", "fr"), "2025-13-01");
        assert_eq!(date("soon", "fr"), "soon");
    }

    #[test]
    fn numbers_in_text() {
        assert_eq!(
            numbers_in("1.5–12,345.25 ms", "fr"),
            "1,5–12\u{202f}345,25 ms"
        );
        assert_eq!(numbers_in("12.7x faster", "fr"), "12,7x faster");
        assert_eq!(
            numbers_in("Node.js v20.1 on x86_64", "fr"),
            "Node.js v20.1 on x86_64"
        );
        assert_eq!(numbers_in("1.5 ms", "en"), "1.5 ms");
    }
}
