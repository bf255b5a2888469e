//! A budget per document: caps on what one document may hold and on the
//! time its coding may take, so that one hostile or broken input (a run-on
//! page of numbers, a log file passed as an article) costs bounded time and
//! memory and is reported as failed with its reason, while the batch goes on.
//!
//! The caps are far above any news article (the longest of the bundled
//! corpora holds about 300 sentences) and below the sizes at which the
//! per-sentence rules, linear in the document for each sentence, would cost
//! seconds.

use std::time::{Duration, Instant};

/// What one document may cost. Set once by the caller and passed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub max_sentences: usize,
    pub max_tokens: usize,
    /// Number tokens: figures are what the toll and date rules weigh
    /// against each other, so a table of numbers is refused before them.
    pub max_figures: usize,
    /// Triggers, tolls, numbers, dates and places together.
    pub max_mentions: usize,
    /// Checked between stages.
    pub max_time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_sentences: 3_000,
            max_tokens: 30_000,
            max_figures: 2_000,
            max_mentions: 20_000,
            max_time: Duration::from_secs(20),
        }
    }
}

impl Budget {
    /// No caps: for callers that bound their inputs themselves.
    pub fn unlimited() -> Self {
        Budget {
            max_sentences: usize::MAX,
            max_tokens: usize::MAX,
            max_figures: usize::MAX,
            max_mentions: usize::MAX,
            max_time: Duration::MAX,
        }
    }
}

/// Why a document was not coded: which cap it passed, by how much.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverBudget {
    #[error("{count} sentences, over the cap of {max} for one document (split it into articles)")]
    Sentences { count: usize, max: usize },
    #[error("{count} tokens, over the cap of {max} for one document (split it into articles)")]
    Tokens { count: usize, max: usize },
    #[error("{count} figures (numbers), over the cap of {max} for one document (split it into articles)")]
    Figures { count: usize, max: usize },
    #[error("{count} mentions (numbers, dates, places, triggers), over the cap of {max} for one document: not news text?")]
    Mentions { count: usize, max: usize },
    #[error(
        "coding took longer than the {max:?} allowed for one document (stopped after {stage})"
    )]
    Time { max: Duration, stage: &'static str },
}

/// The budget of one document being coded: its caps and its start time.
pub struct Meter {
    budget: Budget,
    started: Instant,
}

impl Meter {
    pub fn start(budget: Budget) -> Self {
        Meter {
            budget,
            started: Instant::now(),
        }
    }

    /// Fails once the time is spent; `stage` names what just finished.
    pub fn check_time(&self, stage: &'static str) -> Result<(), OverBudget> {
        if self.started.elapsed() > self.budget.max_time {
            return Err(OverBudget::Time {
                max: self.budget.max_time,
                stage,
            });
        }
        Ok(())
    }

    /// After segmentation, before the rules that cost most per token.
    pub fn check_size(
        &self,
        sentences: usize,
        tokens: usize,
        figures: usize,
    ) -> Result<(), OverBudget> {
        let b = &self.budget;
        if figures > b.max_figures {
            return Err(OverBudget::Figures {
                count: figures,
                max: b.max_figures,
            });
        }
        if sentences > b.max_sentences {
            return Err(OverBudget::Sentences {
                count: sentences,
                max: b.max_sentences,
            });
        }
        if tokens > b.max_tokens {
            return Err(OverBudget::Tokens {
                count: tokens,
                max: b.max_tokens,
            });
        }
        Ok(())
    }

    pub fn check_mentions(&self, mentions: usize) -> Result<(), OverBudget> {
        if mentions > self.budget.max_mentions {
            return Err(OverBudget::Mentions {
                count: mentions,
                max: self.budget.max_mentions,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_name_what_was_passed() {
        let meter = Meter::start(Budget::default());
        assert!(meter.check_size(3_000, 30_000, 2_000).is_ok());
        let e = meter.check_size(3_001, 10, 0).unwrap_err();
        assert!(e.to_string().contains("3001 sentences"), "{e}");
        assert!(matches!(
            meter.check_size(1, 30_001, 0),
            Err(OverBudget::Tokens { .. })
        ));
        assert!(matches!(
            meter.check_size(1, 10, 2_001),
            Err(OverBudget::Figures { .. })
        ));
        assert!(matches!(
            meter.check_mentions(20_001),
            Err(OverBudget::Mentions { .. })
        ));
        assert!(meter.check_time("segment").is_ok());
        let spent = Meter::start(Budget {
            max_time: Duration::ZERO,
            ..Budget::default()
        });
        std::thread::sleep(Duration::from_millis(1));
        assert!(matches!(
            spent.check_time("segment"),
            Err(OverBudget::Time {
                stage: "segment",
                ..
            })
        ));
    }
}

/// Why a document was not coded: over its budget, or a bug in the pipeline
/// that one document set off and that stays with that document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotCoded {
    #[error(transparent)]
    OverBudget(#[from] OverBudget),
    #[error("the pipeline failed on this document ({0}); please report it with the input")]
    Panicked(String),
}

impl NotCoded {
    /// The message that names the document `name` and why it was not coded.
    pub fn about(&self, name: &str) -> String {
        match self {
            NotCoded::OverBudget(over) => format!("{name}: not coded: {over}"),
            NotCoded::Panicked(_) => format!("{name}: {self}"),
        }
    }
}

/// Run the coding of one document so that a panic in it becomes that
/// document's failure instead of taking the batch (and every document
/// coded beside it on other threads) down: what `extract`, `ingest` and the
/// Python package wrap each document in. The resources it reads are
/// immutable, so nothing is left half-changed by the unwinding.
pub fn isolated<T>(code: impl FnOnce() -> Result<T, OverBudget>) -> Result<T, NotCoded> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(code)) {
        Ok(coded) => Ok(coded?),
        Err(panic) => Err(NotCoded::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown cause".into()),
        )),
    }
}

#[cfg(test)]
mod isolation_tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_documents_failure_with_its_message() {
        let panicked = isolated::<()>(|| panic!("index out of bounds at token 7"));
        assert_eq!(
            panicked,
            Err(NotCoded::Panicked("index out of bounds at token 7".into()))
        );
        let formatted = isolated::<()>(|| panic!("{} tokens", 3));
        assert_eq!(formatted, Err(NotCoded::Panicked("3 tokens".into())));
        assert_eq!(isolated(|| Ok(5)), Ok(5));
        let over = OverBudget::Mentions { count: 9, max: 1 };
        assert_eq!(
            isolated::<()>(|| Err(over.clone())),
            Err(NotCoded::OverBudget(over))
        );
    }
}
