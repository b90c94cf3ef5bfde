//! Dates as authors write them, in front matter and in benchmark metadata.

use serde::{Deserialize, Deserializer, Serialize};

/// A date or date-time from front matter: TOML's native dates and YAML or
/// TOML strings alike, checked to start with `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Date(pub String);

impl Date {
    /// The calendar day, `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        &self.0[..10]
    }

    pub fn parse(text: &str) -> Result<Self, NotADate> {
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
            Err(NotADate(text.to_string()))
        }
    }
}

/// A text that does not start with a `YYYY-MM-DD` day (or has more than a
/// time after it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: write it as YYYY-MM-DD")]
pub struct NotADate(pub String);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_with_or_without_a_time_is_a_date() {
        for ok in ["2024-05-01", "2024-05-01T10:30:00Z", "2024-05-01 10:30"] {
            assert_eq!(
                Date::parse(ok).map(|d| d.day().to_string()).as_deref(),
                Ok("2024-05-01")
            );
        }
        for bad in ["May 1", "2024-13-01", "2024-05-01 noon", "2024-5-1"] {
            assert_eq!(
                Date::parse(bad).map_err(|e| e.to_string()),
                Err(format!("`{bad}` is not a date: write it as YYYY-MM-DD"))
            );
        }
    }
}
