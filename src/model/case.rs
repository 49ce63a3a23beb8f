//! Cases (a school, a person, a municipality) with typed attributes, and named document sets.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ids::{CaseId, DocumentId, SetId};

/// The type of an attribute; every case's value for it must have this type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// Free text (a municipality's name, a role).
    Text,
    /// A whole number (pupils, years of experience).
    Integer,
    /// A decimal number; a comma is read as the decimal point.
    Number,
    /// Yes or no (`true`/`false`, `yes`/`no`, `ja`/`nei`, `1`/`0`).
    Boolean,
    /// A calendar date written `YYYY-MM-DD`.
    Date,
}

impl AttributeType {
    /// Every type, in the order pickers list them.
    pub const ALL: [AttributeType; 5] = [
        Self::Text,
        Self::Integer,
        Self::Number,
        Self::Boolean,
        Self::Date,
    ];

    /// The lower-case name of the type, as written on the command line and in messages (`integer`).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Date => "date",
        }
    }

    /// Reads a type from its keyword, ignoring case (`int` is accepted for `integer`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.keyword() == lower || (lower == "int" && *t == Self::Integer))
    }

    /// Parses a value written by a user into this type.
    pub fn parse_value(self, text: &str) -> Result<AttributeValue, String> {
        let text = text.trim();
        match self {
            Self::Text => Ok(AttributeValue::Text(text.to_string())),
            Self::Integer => text
                .parse()
                .map(AttributeValue::Integer)
                .map_err(|_| format!("'{text}' is not a whole number")),
            Self::Number => text
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(AttributeValue::Number)
                .ok_or_else(|| format!("'{text}' is not a number")),
            Self::Boolean => match text.to_lowercase().as_str() {
                "true" | "yes" | "ja" | "1" => Ok(AttributeValue::Boolean(true)),
                "false" | "no" | "nei" | "0" => Ok(AttributeValue::Boolean(false)),
                _ => Err(format!("'{text}' is not true/false")),
            },
            Self::Date => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                time::Date::parse(text, format)
                    .map(|_| AttributeValue::Date(text.to_string()))
                    .map_err(|_| format!("'{text}' is not a date (YYYY-MM-DD)"))
            }
        }
    }

    /// Guesses the narrowest type that fits all the given values (for importing case tables).
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let non_empty: Vec<&str> = values
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .collect();
        for candidate in [Self::Integer, Self::Number, Self::Date, Self::Boolean] {
            if !non_empty.is_empty() && non_empty.iter().all(|v| candidate.parse_value(v).is_ok()) {
                return candidate;
            }
        }
        Self::Text
    }
}

/// An attribute's definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// The attribute's name, which is also its key in each case's attributes.
    pub name: String,
    /// The type every case's value for this attribute must have.
    #[serde(rename = "type")]
    pub kind: AttributeType,
}

/// A typed attribute value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AttributeValue {
    /// A value of a text attribute.
    Text(String),
    /// A value of an integer attribute.
    Integer(i64),
    /// A value of a number attribute (always finite).
    Number(f64),
    /// A value of a yes/no attribute.
    Boolean(bool),
    /// ISO date, `YYYY-MM-DD`.
    Date(String),
}

impl AttributeValue {
    /// The attribute type this value belongs to.
    pub fn kind(&self) -> AttributeType {
        match self {
            Self::Text(_) => AttributeType::Text,
            Self::Integer(_) => AttributeType::Integer,
            Self::Number(_) => AttributeType::Number,
            Self::Boolean(_) => AttributeType::Boolean,
            Self::Date(_) => AttributeType::Date,
        }
    }
}

impl std::fmt::Display for AttributeValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text(t) | Self::Date(t) => f.write_str(t),
            Self::Integer(i) => write!(f, "{i}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Boolean(b) => write!(f, "{b}"),
        }
    }
}

/// A case: the unit researchers compare (a school, a person, a municipality).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// The case's stable id.
    pub id: CaseId,
    /// The case's name, unique in the project regardless of upper or lower case.
    pub name: String,
    /// A free-text description; empty when none was given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Values by attribute name; each attribute must be defined, and the value must have its type.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeValue>,
    /// The documents that belong to this case (an interview with the person, notes from the school).
    #[serde(default)]
    pub documents: BTreeSet<DocumentId>,
}

/// A named set of documents (e.g. "Round 2 interviews").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSet {
    /// The set's stable id.
    pub id: SetId,
    /// The set's name.
    pub name: String,
    /// A free-text description; empty when none was given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The documents in the set.
    #[serde(default)]
    pub documents: BTreeSet<DocumentId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_by_type() {
        assert_eq!(
            AttributeType::Integer.parse_value(" 12 "),
            Ok(AttributeValue::Integer(12))
        );
        assert_eq!(
            AttributeType::Number.parse_value("3,5"),
            Ok(AttributeValue::Number(3.5))
        );
        assert_eq!(
            AttributeType::Boolean.parse_value("Ja"),
            Ok(AttributeValue::Boolean(true))
        );
        assert!(AttributeType::Date.parse_value("2022-02-30").is_err());
        assert!(AttributeType::Integer.parse_value("tolv").is_err());
    }

    #[test]
    fn inference_picks_the_narrowest_type() {
        assert_eq!(
            AttributeType::infer(["12", "", "40"]),
            AttributeType::Integer
        );
        assert_eq!(AttributeType::infer(["1.5", "2"]), AttributeType::Number);
        assert_eq!(
            AttributeType::infer(["LOG", "kontroll"]),
            AttributeType::Text
        );
        assert_eq!(AttributeType::infer(["2022-03-14"]), AttributeType::Date);
        assert_eq!(AttributeType::infer(["", ""]), AttributeType::Text);
    }
}
