//! What the data shortcodes show, in the language of the page: the words
//! of benchmark tables (from the theme's words) and the numbers of tables,
//! charts and figures (through [`crate::text::locale`]). The stages before
//! write both in English; names (subjects, versions, benchmarks) are never
//! touched. For English, the text comes back as it was.

use serde_json::Value;

use crate::data::figure::Said;
use crate::data::stats::Verdict;
use crate::present::tables::MetricTable;
use crate::render::words::Words;
use crate::text::locale::numbers_in;

/// A chart's words ([`crate::present::chart::Phrases`]) in `lang`: the
/// theme's words and the language's numbers.
pub struct ChartWords<'a> {
    pub words: &'a Words,
    pub lang: &'a str,
}

impl crate::present::chart::Phrases for ChartWords<'_> {
    fn say(&self, key: &str, values: &[(&str, &str)]) -> String {
        self.words.fill(self.lang, key, values)
    }

    fn number(&self, text: &str) -> String {
        numbers_in(text, self.lang)
    }
}

/// `tables` with their words and numbers in `lang`.
pub fn tables(tables: &mut [MetricTable], words: &Words, lang: &str) {
    for t in tables {
        for r in t.benchmarks.iter_mut().flat_map(|b| &mut b.results) {
            if r.missing {
                r.median_text = words.get(lang, "missing").to_string();
            } else {
                r.median_text = numbers_in(&r.median_text, lang);
            }
            r.spread_text = numbers_in(&r.spread_text, lang);
            r.ratio_text = match (&r.ratio_words, r.ratio) {
                _ if r.best => words.get(lang, "best").to_string(),
                (Some((key, best)), Some(ratio)) => {
                    let ratio = crate::text::units::format_value(ratio);
                    format!(
                        "{} {}x {} {best}",
                        r.label,
                        numbers_in(&ratio, lang),
                        words.get(lang, key)
                    )
                }
                _ => words.get(lang, "no_ratio").to_string(),
            };
        }
        let summary: Vec<String> = t
            .summary
            .iter()
            .map(|s| {
                let geomean = match s.geomean {
                    Some(_) => numbers_in(&s.geomean_text, lang),
                    None => words.get(lang, "missing").to_string(),
                };
                let wins = numbers_in(&s.wins.to_string(), lang);
                let of = numbers_in(&s.benchmarks.to_string(), lang);
                let best_in = words.fill(lang, "best_in", &[("wins", &wins), ("count", &of)]);
                format!("{} {geomean} {best_in}", s.subject)
            })
            .collect();
        t.summary_text = summary.join(", ");
        t.better_text = words.get(lang, t.better.key()).to_string();
    }
}

/// The numbers a chart's layout shows in `lang` (its value axis's tick
/// labels and its bars' values, not the versions along a trend's axis),
/// and the words of its scale note (the chart stage says the rest through
/// [`ChartWords`]).
pub fn chart(layout: &mut Value, words: &Words, lang: &str) {
    let Value::Object(map) = layout else {
        return;
    };
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("scale_note", Value::String(text)) if !text.is_empty() => {
                *text = words.get(lang, "scale_linear").to_string();
            }
            ("ticks" | "y_ticks", Value::Array(items)) => numbers(items, &["label"], lang),
            ("bars", Value::Array(items)) => {
                numbers(items, &["label", "value"], lang);
                // The phone layout writes a best bar's mark into its value.
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(Value::String(value)) = item.get_mut("value")
                        && let Some(figure) = value.strip_suffix(" (best)")
                    {
                        *value = format!("{figure} {}", words.get(lang, "chart_best"));
                    }
                }
            }
            _ => {}
        }
    }
}

/// `fields` of each of `items` with their numbers in `lang`.
fn numbers(items: &mut [Value], fields: &[&str], lang: &str) {
    for item in items.iter_mut().filter_map(Value::as_object_mut) {
        for field in fields {
            if let Some(Value::String(text)) = item.get_mut(*field) {
                *text = numbers_in(text, lang);
            }
        }
    }
}

/// What a ratio figure or a verdict says ([`Said`]), in `lang`'s words and
/// numbers: `1.84x faster (95% CI 1.79–1.90)`, `level (within 3%)`.
pub fn said(said: &Said, words: &Words, lang: &str) -> String {
    let n = |text: &str| numbers_in(text, lang);
    let ratio = n(&said.ratio);
    let plain = match said.word {
        Some(word) => words.fill(lang, &format!("ratio_{word}"), &[("ratio", &ratio)]),
        None => words.fill(lang, "ratio", &[("ratio", &ratio)]),
    };
    let Some((low, high)) = &said.interval else {
        return plain;
    };
    let ci = words.fill(lang, "ci", &[("low", &n(low)), ("high", &n(high))]);
    let plain = match &said.metric {
        Some(metric) if said.verdict.is_some() => {
            words.fill(lang, "ratio_of", &[("said", &plain), ("metric", metric)])
        }
        _ => plain,
    };
    match said.verdict {
        None | Some(Verdict::Larger | Verdict::Smaller) => {
            words.fill(lang, "with_ci", &[("said", &plain), ("ci", &ci)])
        }
        Some(Verdict::Level) => words.fill(lang, "level", &[("band", &n(&said.band))]),
        Some(Verdict::Unclear) => words.fill(lang, "unclear", &[("ratio", &ratio), ("ci", &ci)]),
    }
}
