//! Search text: a page's prose split at its headings, code blocks left
//! out, as the search index reads it.

/// Plain text under one heading (code blocks left out).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct TextSection {
    /// The heading's id; `None` for the text before the first heading.
    pub id: Option<String>,
    pub heading: String,
    pub text: String,
}

/// Starts the section under a heading.
pub(super) fn start(sections: &mut Vec<TextSection>, id: &str, heading: String) {
    sections.push(TextSection {
        id: Some(id.to_string()),
        heading,
        text: String::new(),
    });
}

/// Adds prose to the text of the current section.
pub(super) fn add(sections: &mut [TextSection], text: &str) {
    if let Some(section) = sections.last_mut() {
        let t = text.trim();
        if !t.is_empty() {
            if !section.text.is_empty() && !section.text.ends_with(' ') {
                section.text.push(' ');
            }
            section.text.push_str(t);
        }
    }
}

/// Adds an inline code span to the text of the current section (a blank
/// one still separates the words around it).
pub(super) fn add_code(sections: &mut [TextSection], code: &str) {
    if let Some(section) = sections.last_mut() {
        if !section.text.is_empty() && !section.text.ends_with(' ') {
            section.text.push(' ');
        }
        section.text.push_str(code.trim());
    }
}
