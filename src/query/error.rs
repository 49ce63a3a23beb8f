//! Why a query cannot be run: a message, where in the query (a character position), and what was expected.

use std::fmt;

/// A query the user wrote cannot be parsed or planned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong, in words.
    pub message: String,
    /// The character position (0-based, in code points) where the problem is, when known.
    pub position: Option<usize>,
    /// What the parser expected there, when it knows ("a closing ')'", "a word").
    pub expected: Option<&'static str>,
}

impl QueryError {
    /// A problem with the query as a whole.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            position: None,
            expected: None,
        }
    }

    /// A problem at a character position.
    pub fn at(position: usize, message: impl Into<String>) -> Self {
        Self {
            position: Some(position),
            ..Self::new(message)
        }
    }

    /// Says what was expected at the position.
    pub fn expecting(mut self, expected: &'static str) -> Self {
        self.expected = Some(expected);
        self
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query: {}", self.message)?;
        if let Some(position) = self.position {
            write!(f, " (at character {})", position + 1)?;
        }
        if let Some(expected) = self.expected {
            write!(f, "; expected {expected}")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}
