//! Stable entity ids: UUID v4 newtypes, printed and stored as upper-case REFI-QDA style GUIDs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// Parses a GUID the way other QDA tools write them: upper or lower case, with or without braces.
pub fn parse_guid(text: &str) -> Option<Uuid> {
    let trimmed = text.trim().trim_start_matches('{').trim_end_matches('}');
    Uuid::parse_str(trimmed).ok()
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// An id from a fixed 128-bit value (tests and reproducible sample data).
            pub fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut buf = Uuid::encode_buffer();
                f.write_str(self.0.hyphenated().encode_upper(&mut buf))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_guid(s).map(Self).ok_or_else(|| format!("'{s}' is not a GUID"))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// An imported source document.
    DocumentId
);
id_type!(
    /// A code in the codebook.
    CodeId
);
id_type!(
    /// One coded passage.
    CodingId
);
id_type!(
    /// A memo.
    MemoId
);
id_type!(
    /// A case (a school, a person, a municipality).
    CaseId
);
id_type!(
    /// A named set of documents.
    SetId
);
id_type!(
    /// A coder (a named user of the project).
    CoderId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_round_trips_in_upper_case() {
        let id = CodeId::new();
        let text = id.to_string();
        assert_eq!(text, text.to_uppercase());
        assert_eq!(text.len(), 36);
        assert_eq!(text.parse::<CodeId>().ok(), Some(id));
    }

    #[test]
    fn braces_and_lower_case_are_accepted() {
        let id: CodeId = "{a1b2c3d4-0000-4000-8000-00000000000f}"
            .parse()
            .expect("guid");
        assert_eq!(id.to_string(), "A1B2C3D4-0000-4000-8000-00000000000F");
        assert!("not-a-guid".parse::<CodeId>().is_err());
    }
}
