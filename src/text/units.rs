//! Units of measurement: which ones convert into each other (ms and s do,
//! ms and MB do not), and the unit to show a set of values in.

/// A family of convertible units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Time,
    Bytes,
}

/// Units known to versus: name, family, size in the family's base
/// (seconds, bytes), and whether values are shown in it (the others, aliases
/// and decimal sizes, are only read). Ordered from small to large within a
/// family.
const UNITS: &[(&str, Family, f64, bool)] = &[
    ("ns", Family::Time, 1e-9, true),
    ("us", Family::Time, 1e-6, false),
    ("µs", Family::Time, 1e-6, true),
    ("ms", Family::Time, 1e-3, true),
    ("s", Family::Time, 1.0, true),
    ("min", Family::Time, 60.0, false),
    ("B", Family::Bytes, 1.0, true),
    ("KiB", Family::Bytes, 1024.0, true),
    ("kB", Family::Bytes, 1e3, false),
    ("KB", Family::Bytes, 1e3, false),
    ("MiB", Family::Bytes, 1_048_576.0, true),
    ("MB", Family::Bytes, 1e6, false),
    ("GiB", Family::Bytes, 1_073_741_824.0, true),
    ("GB", Family::Bytes, 1e9, false),
];

pub fn lookup(unit: &str) -> Option<(Family, f64)> {
    UNITS
        .iter()
        .find(|(u, ..)| *u == unit)
        .map(|(_, f, k, _)| (*f, *k))
}

/// The display unit for values (in base units of `family`): the largest
/// unit in which the smallest value is still at least 1.
pub fn display_unit(family: Family, base_values: &[f64]) -> (&'static str, f64) {
    let min = base_values
        .iter()
        .copied()
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let units: Vec<_> = UNITS
        .iter()
        .filter(|(_, f, _, shown)| *f == family && *shown)
        .collect();
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

/// Decimals a median and range measured by `versus bench` are shown with:
/// about three significant digits of the median, no more than the spread
/// of the samples resolves (see [`spread_decimals`]), and never more than
/// `written`. `values` are the samples, sorted.
pub fn measured_decimals(values: &[f64], median: f64, written: usize) -> usize {
    let spread = match values {
        [lo, .., hi] => spread_decimals(hi - lo, written),
        _ => None,
    };
    let significant = significant_decimals(median, 3);
    [Some(written), spread, significant]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(written)
}

/// Decimals that show `v` with `n` significant digits (none from 100 up,
/// for three); `None` for zero, which has no significant digits.
fn significant_decimals(v: f64, n: i32) -> Option<usize> {
    if v == 0.0 || !v.is_finite() {
        return None;
    }
    let e = v.abs().log10().floor() as i32;
    let d = usize::try_from(n - 1 - e).unwrap_or(0).min(12);
    // 99.96 at one decimal is 100.0: one digit too many.
    let shown: f64 = format!("{:.d$}", v.abs()).parse().unwrap_or(v.abs());
    Some(if shown >= 10f64.powi(e + 1) {
        d.saturating_sub(1)
    } else {
        d
    })
}

/// The decimal place of the first digit at which samples `width` apart
/// (written with `written` decimals) disagree, or the place after it when
/// the width starts with a 1 or a 2 (as uncertainties are usually
/// rounded): `47.5` → 0 decimals, `0.4` → 1, `1.5` → 1, `0.0012` → 4.
/// `None` when all samples are equal.
fn spread_decimals(width: f64, written: usize) -> Option<usize> {
    // In units of the last digit written, as an exact whole number.
    let units = (width.abs() * 10f64.powi(i32::try_from(written).unwrap_or(12))).round();
    if units < 1.0 || !units.is_finite() {
        return None;
    }
    if units >= 1e17 {
        return Some(0);
    }
    let units = units as u64;
    let digits = units.ilog10();
    let lead = units / 10u64.pow(digits);
    let place = i64::try_from(written).unwrap_or(12) - i64::from(digits) + i64::from(lead < 3);
    Some(usize::try_from(place).unwrap_or(0))
}

/// Whether medians `a` and `b`, shown with `da` and `db` decimals, show
/// the ratio of the larger to the smaller that [`format_value`] writes:
/// dividing the numbers shown gives it to within one in its last digit.
/// `0.6` and `0.6` (1.00) do not show `1.08`, `0.61` and `0.66` (1.082)
/// do, and so do `847.8` and `345.3` (2.4552) for `2.45`. Always true when
/// a median is not above zero (there is no ratio).
pub fn ratio_agrees(a: f64, da: usize, b: f64, db: usize) -> bool {
    if a <= 0.0 || b <= 0.0 {
        return true;
    }
    let shown = |v: f64, d: usize| -> f64 { format!("{v:.d$}").parse().unwrap_or(v) };
    let (sa, sb) = (shown(a, da), shown(b, db));
    if sa <= 0.0 || sb <= 0.0 {
        return false;
    }
    let (ratio, from_shown) = if a >= b {
        (a / b, sa / sb)
    } else {
        (b / a, sb / sa)
    };
    let written = format_value(ratio);
    let Ok(t) = written.replace(',', "").parse::<f64>() else {
        return true;
    };
    let last = written.split_once('.').map_or(0, |(_, f)| f.len());
    let unit = 10f64.powi(-i32::try_from(last).unwrap_or(9));
    (from_shown - t).abs() <= unit * (1.0 + 1e-9)
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

    /// Samples as `versus bench` writes them (sorted here), with the
    /// decimals written, and the median and range they are shown as.
    #[test]
    fn measured_precision_follows_the_spread() {
        let cases: &[(&[f64], usize, &str, &str)] = &[
            // A 47 ms spread: whole milliseconds.
            (&[227.2862, 234.5537, 274.7618], 4, "235", "227–275"),
            // One run: three significant digits.
            (&[1.2690], 4, "1.27", ""),
            (&[0.061234], 6, "0.0612", ""),
            (&[12345.6789], 4, "12,346", ""),
            // A spread of 1.1 starts with a 1: one digit more.
            (&[40.8123, 41.5432, 42.3001], 4, "41.5", "40.8–42.3"),
            // A tight spread keeps three significant digits, no more.
            (&[69.9131, 69.9135, 69.9139], 4, "69.9", "69.9–69.9"),
            // A wide one allows fewer.
            (&[0.4512, 0.6123, 0.8011], 4, "0.6", "0.5–0.8"),
            (&[0.5512, 0.6123, 0.7011], 4, "0.61", "0.55–0.70"),
            (&[0.5812, 0.6123, 0.6531], 4, "0.61", "0.58–0.65"),
            (&[0.6012, 0.6123, 0.6231], 4, "0.612", "0.601–0.623"),
            // Never more decimals than written.
            (&[182.0, 186.0, 190.0], 0, "186", "182–190"),
            (&[1.5, 1.5], 1, "1.5", "1.5–1.5"),
            // Equal samples: three significant digits.
            (&[3.25, 3.25, 3.25], 2, "3.25", "3.25–3.25"),
            // 99.96 is 100 with three significant digits, not 100.0.
            (&[99.96], 2, "100", ""),
            // Zero has no significant digits: the spread decides.
            (&[-0.0312, 0.0, 0.0417], 4, "0.00", "-0.03–0.04"),
        ];
        for &(values, written, median, range) in cases {
            let m = values[values.len() / 2];
            let d = measured_decimals(values, m, written);
            let range_shown = if values.len() > 1 {
                format!(
                    "{}–{}",
                    format_fixed(values[0], d),
                    format_fixed(values[values.len() - 1], d)
                )
            } else {
                String::new()
            };
            assert_eq!(
                (format_fixed(m, d).as_str(), range_shown.as_str()),
                (median, range),
                "{values:?} written with {written} decimals"
            );
        }
    }

    #[test]
    fn ratios_agree_with_the_medians_shown() {
        // 0.6123 and 0.6613 are 1.08x apart.
        assert!(!ratio_agrees(0.6123, 1, 0.6613, 1), "0.6 and 0.7");
        assert!(ratio_agrees(0.6123, 2, 0.6613, 2), "0.61 and 0.66");
        assert!(!ratio_agrees(0.6123, 0, 0.6613, 0), "1 and 1, or 0");
        // The larger median shown smaller is a disagreement too.
        assert!(!ratio_agrees(1.04, 0, 1.031, 2));
        assert!(ratio_agrees(235.0, 0, 0.612, 3));
        // 847.7673 / 345.3357 is 2.4549, shown 2.45; 847.8 / 345.3 is
        // 2.4552: within one in the last digit.
        assert!(ratio_agrees(847.7673, 1, 345.3357, 1));
        // 848 / 345 is 2.458, within 0.01 of 2.45 too; 848 / 346 is 2.451.
        assert!(ratio_agrees(847.7673, 0, 345.3357, 0));
        // 15.2x: 186 / 12 is 15.5, three in the last digit away.
        assert!(!ratio_agrees(186.0, 0, 12.2, 0));
        assert!(ratio_agrees(186.0, 0, 12.2, 1));
        // 1.54 and 1.46 shown as 2 and 1: 2.00 is not 1.05.
        assert!(!ratio_agrees(1.54, 0, 1.46, 0));
        assert!(ratio_agrees(0.0, 0, 5.0, 0), "no ratio to disagree with");
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
