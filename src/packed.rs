//! Text kept compressed in memory. A build keeps every page's rendered body
//! and prose until the site-wide files (print.html, the search index) are
//! written; compressed, they take a fraction of the room.

/// A string compressed with LZ4 (block format, its length in front).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packed(Box<[u8]>);

impl Packed {
    pub fn new(text: &str) -> Self {
        Self(lz4_flex::block::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text again. Only [`Packed::new`] makes the bytes, so they always
    /// decompress to valid UTF-8; should that ever fail, the text would be
    /// lost, which must be loud (an empty string would hide it): a panic.
    pub fn unpack(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let bytes = lz4_flex::block::decompress_size_prepended(&self.0)
            .unwrap_or_else(|e| panic!("corrupt packed text: {e}"));
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("corrupt packed text: {e}"))
    }

    /// Compressed size in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

impl From<&str> for Packed {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let long = "<span class=\"l3\">x</span>".repeat(500);
        for text in ["", "a", "<p>héllo</p>\n", long.as_str()] {
            assert_eq!(Packed::new(text).unpack(), text);
        }
        assert_eq!(Packed::default().unpack(), "");
        assert!(Packed::new(&long).len() * 5 < long.len());
    }
}
