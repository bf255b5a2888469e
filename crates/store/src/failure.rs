//! An input that cannot be coded: the message reported to the user (naming
//! the input and saying why), and a short reason that the summary counts.

use warcoder_core::source::InputError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// A short, fixed phrase: "truncated WARC record", "empty input", ...
    pub reason: &'static str,
    pub message: String,
}

impl Failure {
    pub fn new(reason: &'static str, message: String) -> Self {
        Failure { reason, message }
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        let reason = match e {
            InputError::Io { .. } => "unreadable input",
            InputError::Empty { .. } => "empty input",
            InputError::Binary { .. } => "binary input",
            InputError::TooLarge { .. } => "document over the size cap",
            InputError::Record { .. } => "bad JSONL record",
        };
        Failure::new(reason, e.to_string())
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
