//! Units of measurement: which ones convert into each other (ms and s do,
//! ms and MB do not), and the unit to show a set of values in.

/// A family of convertible units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Time,
    Bytes,
}

/// Units known to versus, with their family and size in the family's base
/// (seconds, bytes). Ordered from small to large within a family.
const UNITS: &[(&str, Family, f64)] = &[
    ("ns", Family::Time, 1e-9),
    ("us", Family::Time, 1e-6),
    ("µs", Family::Time, 1e-6),
    ("ms", Family::Time, 1e-3),
    ("s", Family::Time, 1.0),
    ("min", Family::Time, 60.0),
    ("B", Family::Bytes, 1.0),
    ("KiB", Family::Bytes, 1024.0),
    ("kB", Family::Bytes, 1e3),
    ("KB", Family::Bytes, 1e3),
    ("MiB", Family::Bytes, 1_048_576.0),
    ("MB", Family::Bytes, 1e6),
    ("GiB", Family::Bytes, 1_073_741_824.0),
    ("GB", Family::Bytes, 1e9),
];

/// The units a value is shown in, per family (no aliases).
const DISPLAY: &[(&str, Family, f64)] = &[
    ("ns", Family::Time, 1e-9),
    ("µs", Family::Time, 1e-6),
    ("ms", Family::Time, 1e-3),
    ("s", Family::Time, 1.0),
    ("B", Family::Bytes, 1.0),
    ("KiB", Family::Bytes, 1024.0),
    ("MiB", Family::Bytes, 1_048_576.0),
    ("GiB", Family::Bytes, 1_073_741_824.0),
];

pub fn lookup(unit: &str) -> Option<(Family, f64)> {
    UNITS
        .iter()
        .find(|(u, _, _)| *u == unit)
        .map(|(_, f, k)| (*f, *k))
}

/// The display unit for values (in base units of `family`): the largest
/// unit in which the smallest value is still at least 1.
pub fn display_unit(family: Family, base_values: &[f64]) -> (&'static str, f64) {
    let min = base_values
        .iter()
        .copied()
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let units: Vec<_> = DISPLAY.iter().filter(|(_, f, _)| *f == family).collect();
    let mut chosen = units[0];
    for u in &units {
        if min.is_finite() && min / u.2 >= 1.0 {
            chosen = u;
        }
    }
    (chosen.0, chosen.2)
}

/// The name a unit is shown by (`us` is shown as `µs`).
pub fn display_name(unit: &str) -> &str {
    match unit {
        "us" => "µs",
        u => u,
    }
}

/// Formats a number with `decimals` decimals, grouping the thousands of
/// numbers from 10,000 up (`149,062.03`).
pub fn format_fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_string()
    } else {
        s
    };
    if v.abs() >= 10_000.0 {
        group_thousands(&s)
    } else {
        s
    }
}

/// Formats a number with about three significant digits.
pub fn format_value(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let a = v.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // Enough decimals for three significant digits.
        (2.0 - a.log10().floor()).clamp(2.0, 9.0) as usize
    };
    let s = format!("{v:.decimals$}");
    if a >= 10_000.0 {
        group_thousands(&s)
    } else {
        s
    }
}

fn group_thousands(s: &str) -> String {
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// Where `text` states what looks like a measured figure: a number with a
/// unit of time, size, throughput or a percentage (`102 ms`, `1,304ms`,
/// `43.5 MiB`, `80,793 req/s`, `12%`), or a ratio (`12.7x`, `3×`). What
/// `versus check` asks to take from results data on pages that show some.
pub fn measured_looking(text: &str) -> Vec<std::ops::Range<usize>> {
    use std::sync::OnceLock;
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"(?:^|[^\w.\-/@])(\d+(?:[.,]\d+)*(?:[ \u{a0}\u{202f}]?(?:ns|µs|us|ms|s|min|req/s|KiB|MiB|GiB|kB|KB|MB|GB|B|%)|[x×]))(?:$|[^\w/])",
        )
        .ok()
    });
    let Some(re) = re else { return Vec::new() };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = re.captures_at(text, at) {
        let Some(m) = c.get(1) else { break };
        out.push(m.range());
        // The character after the figure may start the next one.
        at = m.end();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_readable_units() {
        assert_eq!(display_unit(Family::Time, &[0.0118, 0.182]).0, "ms");
        assert_eq!(display_unit(Family::Time, &[1.5, 30.0]).0, "s");
        assert_eq!(display_unit(Family::Time, &[0.0000005]).0, "ns");
        assert_eq!(display_unit(Family::Bytes, &[40_000_000.0]).0, "MiB");
    }

    #[test]
    fn finds_figures_in_prose() {
        let found = |t: &str| -> Vec<String> {
            measured_looking(t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect()
        };
        assert_eq!(
            found("took 102 ms, 1,304ms and 12.7x; 80,793 req/s at 43.5 MiB (12%)."),
            [
                "102 ms",
                "1,304ms",
                "12.7x",
                "80,793 req/s",
                "43.5 MiB",
                "12%"
            ]
        );
        assert!(found("fib(35) on x86_64 with -d5s, Python 3.12, 100 connections, 5 seconds, v20.1 2026-11-26").is_empty());
        assert_eq!(found("1 s 2 s"), ["1 s", "2 s"]);
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(format_value(11.8), "11.8");
        assert_eq!(format_value(182.0), "182");
        assert_eq!(format_value(1.234), "1.23");
        assert_eq!(format_value(0.01234), "0.0123");
        assert_eq!(format_value(123456.0), "123,456");
        assert_eq!(format_fixed(159.97, 2), "159.97");
        assert_eq!(format_fixed(149062.034, 2), "149,062.03");
        assert_eq!(format_fixed(2.1, 0), "2");
        assert_eq!(format_fixed(-0.0001, 2), "0.00");
    }
}
