//! Dates as authors write them, in front matter and in benchmark metadata.

use serde::{Deserialize, Deserializer, Serialize};

/// A date or date-time from front matter: TOML's native dates and YAML or
/// TOML strings alike, checked to start with `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date(pub String);

impl Date {
    /// The calendar day, `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        &self.0[..10]
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let b = text.as_bytes();
        let shape_ok = b.len() >= 10
            && b[..10].iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        let month = text
            .get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(0);
        let day = text
            .get(8..10)
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(0);
        // After the day, only a time: `T10:30:00Z`, ` 10:30`, `+02:00`.
        let time_ok = text.get(10..).is_some_and(|rest| {
            rest.is_empty()
                || (rest.starts_with(['T', 't', ' '])
                    && rest[1..].chars().all(|c| {
                        c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z' | 'z')
                    }))
        });
        if shape_ok && time_ok && (1..=12).contains(&month) && (1..=31).contains(&day) {
            Ok(Date(text.to_string()))
        } else {
            Err(format!("`{text}` is not a date: write it as YYYY-MM-DD"))
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date such as 2024-05-01")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            // TOML's native date-time arrives as a one-entry map.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let entry: Option<(String, String)> = map.next_entry()?;
                match entry {
                    Some((_, dt)) => Date::parse(&dt).map_err(serde::de::Error::custom),
                    None => Err(serde::de::Error::custom("empty date")),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}
