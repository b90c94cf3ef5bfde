//! The words a chart says, in the language of the page it is on.

/// What a chart says in words (its default title, axis label and `<desc>`)
/// in the language of the page it is on: the shortcode says it with the
/// theme's words; [`English`] says it as `themes/default/i18n/en.toml`
/// does.
pub trait Phrases {
    /// The text of `key` (a key of the theme's words) with each `{name}`
    /// replaced by its value.
    fn say(&self, key: &str, values: &[(&str, &str)]) -> String;
    /// A figure written the English way (`1,828.4 ms`) in the language's
    /// numbers.
    fn number(&self, text: &str) -> String;
}

/// A chart's words in English.
pub struct English;

impl English {
    /// The English text of every key a chart says.
    pub const WORDS: &[(&str, &str)] = &[
        ("results_title", "Benchmark results"),
        ("axis_log", ", log scale"),
        ("chart_axis_trend", "{axis}, by version"),
        (
            "chart_axis_change",
            "change in {metric} from the first version (%), by version",
        ),
        ("chart_title_trend", "{metric} across versions"),
        (
            "chart_title_change",
            "{metric} across versions, as change from the first",
        ),
        ("chart_unit", " in {unit}"),
        ("chart_log", ", on a log scale"),
        (
            "chart_desc",
            "Median {metric}{unit}, {better}{log}. {values}.",
        ),
        (
            "chart_desc_trend",
            "Median {metric}{unit} by version, {better}{log}. {values}.",
        ),
        (
            "chart_desc_change",
            "Change in median {metric} from each line's first version, in percent, by version, {better}. {values}.",
        ),
        ("lower_is_better", "lower is better"),
        ("higher_is_better", "higher is better"),
        ("neither_is_better", "neither higher nor lower is better"),
    ];
}

impl Phrases for English {
    fn say(&self, key: &str, values: &[(&str, &str)]) -> String {
        let text = Self::WORDS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, text)| text);
        fill(text, values)
    }

    fn number(&self, text: &str) -> String {
        text.to_string()
    }
}

/// `text` with each `{name}` of `values` replaced.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}
