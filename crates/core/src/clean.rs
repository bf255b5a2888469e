//! Stage 1: split the text into blocks and tell the story from the page
//! furniture: title, standfirst, photo caption (and its credit), dateline,
//! body, boilerplate, and headlines of other stories pasted into the body.
//! Nothing is deleted: removed blocks are annotations with a reason.

use std::sync::OnceLock;

use regex::Regex;

use crate::lexicon::{field, tsv_rows};
use crate::model::{Block, BlockKind, Document, DocumentFacts, RemovedReason};
use crate::text::{is_space, squash_spaces, trim_span};

struct BoilerplateRule {
    phrase: String,
    prefix: bool,
    reason: RemovedReason,
}

fn boilerplate_rules() -> &'static [BoilerplateRule] {
    static RULES: OnceLock<Vec<BoilerplateRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        tsv_rows(include_str!("../../../data/lexicon/boilerplate.tsv"))
            .map(|r| BoilerplateRule {
                phrase: field(&r, 0).to_lowercase(),
                prefix: field(&r, 1) == "prefix",
                reason: if field(&r, 2) == "related_headline" {
                    RemovedReason::RelatedHeadline
                } else {
                    RemovedReason::Boilerplate
                },
            })
            .collect()
    })
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// A photo credit at the end of a caption: "PHOTO: AFP", "(Photo: Reuters)".
fn credit_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"(?i)(\(\s*(?:photo|image|picture|file photo|photograph)\s*(?:credit)?\s*:[^)]{1,60}\)|\b(?:photo|image|picture|file photo|photograph)\s*(?:credit)?\s*:\s*[^.:]{1,60}|\((?:reuters|afp|ap|getty images|epa)(?:\s+photo)?\))\s*$")
    })
}

/// A dateline: "DAMASCUS:", "BEIRUT, Sept 5 (Reuters) -", "KABUL (AP) —".
fn dateline_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"^(?P<place>[\p{Lu}][\p{Lu}'’\-\. ]{1,40}?)(?:\s*,\s*(?P<extra>[\p{L}\p{N} ,\.]{1,40}?))?\s*(?:\((?P<agency>[^)]{1,30})\))?\s*(?::|[-–—]{1,2})(?:\s|$)")
    })
}

/// A publication line: "Published October 17, 2025", "Updated 4:12 PM
/// GMT+3, May 10, 2025", "Week of 13–19 October 2025 | Issued 20 October
/// 2025". The keyword opens the line or follows a separator; `date` runs
/// to the next separator.
fn published_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"(?i)(?:^|[|·•]\s*)(?:first\s+|last\s+)?(?:published|posted|updated|issued|dated|date)\b\s*:?\s*(?:on\s+)?(?P<date>[^|·•]{6,60})")
    })
}

/// The date text of a publication line, when `flat` is one: short, and the
/// keyword is followed by something with a four-digit year.
fn publication_date(flat: &str) -> Option<&str> {
    if flat.split(' ').count() > 20 {
        return None;
    }
    let date = published_re().captures(flat)?.name("date")?.as_str().trim();
    let has_year = date
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")));
    has_year.then_some(date)
}

/// A byline ("By our correspondent in Bamako", "By Olena Marchenko"): who
/// wrote the story, not what happened.
fn is_byline(flat: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"^(?i:by)\s+\S")).is_match(flat)
        && flat.split(' ').count() <= 10
        && !ends_sentence(flat)
}

/// A line that is only a date ("26 September 2024", "Tuesday, May 5,
/// 2020"): the story's date when it stands above the body.
fn is_date_line(flat: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"^(?:[A-Z][a-z]+day,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})(?:\s*[—–\-,|]\s*\d{1,2}[:.]\d{2}[^.]{0,20}\.?m?\.?)?$")
    })
    .is_match(flat.trim())
        || date_led_line(flat)
}

/// "October 16, 2025 10:52 PM GMT+5 Updated 3 hours ago": a date, then a
/// time or an update note, no sentence.
fn date_led_line(flat: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"^(?:[A-Z][a-z]+day,?\s+)?(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})\b")
    })
    .is_match(flat.trim())
        && flat.split(' ').count() <= 12
        && !flat.trim_end().ends_with('.')
}

/// Clean a document: fills `doc.blocks` and the title, standfirst, caption
/// and dateline facts.
pub fn clean(doc: &mut Document) {
    let lines = split_lines(&doc.text);
    let mut cleaner = Cleaner {
        blocks: Vec::new(),
        body_started: false,
        seen_text_blocks: 0,
        n_lines: lines.len(),
    };
    for (li, &span) in lines.iter().enumerate() {
        cleaner.line(&doc.text, &mut doc.facts, li, span);
    }
    cleaner.standfirst_without_story(&mut doc.facts);
    doc.blocks = cleaner.blocks;
}

/// The blocks found so far, and where the reading is: before the story's
/// body or in it.
struct Cleaner {
    blocks: Vec<Block>,
    body_started: bool,
    seen_text_blocks: usize,
    n_lines: usize,
}

impl Cleaner {
    fn push(&mut self, span: [usize; 2], kind: BlockKind) {
        self.blocks.push(Block { span, kind });
    }

    /// Sort line `li`, the text `s..e`, into blocks.
    fn line(&mut self, text: &str, facts: &mut DocumentFacts, li: usize, (s, e): (usize, usize)) {
        let line = &text[s..e];
        let flat = squash_spaces(line);
        if self.head_matter(facts, [s, e], &flat) {
            return;
        }
        let words = flat.split(' ').count();
        // Title: the first line when more follow and it reads as a headline.
        if self.seen_text_blocks == 0
            && self.n_lines > 1
            && words <= 30
            && !ends_sentence(&flat)
            && dateline_re().find(&flat).is_none()
        {
            self.push([s, e], BlockKind::Title);
            facts.title = Some(flat);
            self.seen_text_blocks += 1;
            return;
        }
        self.seen_text_blocks += 1;
        if self.caption(text, facts, (s, e), line) {
            return;
        }
        if !self.body_started {
            if self.standfirst(facts, [s, e], &flat, words)
                || self.dateline(text, facts, (s, e), line)
            {
                return;
            }
        } else if looks_like_pasted_headline(&flat) && (li + 1 < self.n_lines || words <= 12) {
            // Not the last line, or a short one: a headline pasted into the body.
            self.push([s, e], BlockKind::Removed(RemovedReason::RelatedHeadline));
            return;
        }
        self.push([s, e], BlockKind::Body);
        self.body_started = true;
    }

    /// Boilerplate, and before the body a byline or a publication line:
    /// true when the line is one of them.
    fn head_matter(&mut self, facts: &mut DocumentFacts, span: [usize; 2], flat: &str) -> bool {
        if let Some(reason) = boilerplate(flat) {
            self.push(span, BlockKind::Removed(reason));
            return true;
        }
        if !self.body_started && self.seen_text_blocks > 0 && is_byline(flat) {
            self.push(span, BlockKind::Removed(RemovedReason::Byline));
            return true;
        }
        if !self.body_started && self.seen_text_blocks > 0 && is_date_line(flat) {
            if facts.published.is_none() {
                facts.published = Some(flat.to_string());
            }
            self.push(span, BlockKind::Published);
            return true;
        }
        if !self.body_started || facts.published.is_none() && self.blocks.len() < 8 {
            if let Some(date) = publication_date(flat) {
                if facts.published.is_none() {
                    facts.published = Some(date.to_string());
                }
                self.push(span, BlockKind::Published);
                return true;
            }
        }
        false
    }

    /// Caption: a block ending in a photo credit, before the story starts
    /// or anywhere as long as it carries a credit.
    fn caption(
        &mut self,
        text: &str,
        facts: &mut DocumentFacts,
        (s, e): (usize, usize),
        line: &str,
    ) -> bool {
        let Some(m) = credit_re().find(line) else {
            return false;
        };
        let (cs, ce) = trim_span(text, s, s + m.start());
        if ce > cs {
            self.push([cs, ce], BlockKind::Caption);
            facts
                .caption
                .get_or_insert_with(|| squash_spaces(&text[cs..ce]));
        }
        let (rs, re_) = trim_span(text, s + m.start(), e);
        self.push([rs, re_], BlockKind::Removed(RemovedReason::CaptionCredit));
        true
    }

    /// Standfirst: the line after the title, a summary without a full stop.
    fn standfirst(
        &mut self,
        facts: &mut DocumentFacts,
        span: [usize; 2],
        flat: &str,
        words: usize,
    ) -> bool {
        let found = facts.title.is_some()
            && facts.standfirst.is_none()
            && self
                .blocks
                .iter()
                .filter(|b| b.kind != BlockKind::Title && !matches!(b.kind, BlockKind::Removed(_)))
                .count()
                == 0
            && words <= 60
            && !ends_sentence(flat)
            && dateline_re().find(flat).is_none();
        if found {
            self.push(span, BlockKind::Standfirst);
            facts.standfirst = Some(flat.to_string());
        }
        found
    }

    /// A standfirst with no story after it (a news brief: a headline and
    /// one paragraph without a final full stop) is the story: it summarises
    /// nothing, so it is read as body and its events count.
    fn standfirst_without_story(&mut self, facts: &mut DocumentFacts) {
        if self.blocks.iter().any(|b| b.kind == BlockKind::Body) {
            return;
        }
        if let Some(b) = self
            .blocks
            .iter_mut()
            .find(|b| b.kind == BlockKind::Standfirst)
        {
            b.kind = BlockKind::Body;
            facts.standfirst = None;
        }
    }

    /// A dateline ("KABUL, Oct 3 (Reuters) -"): its place, and the rest
    /// of the line opens the body.
    fn dateline(
        &mut self,
        text: &str,
        facts: &mut DocumentFacts,
        (s, e): (usize, usize),
        line: &str,
    ) -> bool {
        let Some(c) = dateline_re().captures(line) else {
            return false;
        };
        let place = c.name("place").map_or("", |m| m.as_str());
        if !is_dateline_place(place) {
            return false;
        }
        let m = c.get(0).expect("whole match");
        let (ds, de) = trim_span(text, s, s + m.end());
        self.push([ds, de], BlockKind::Dateline);
        facts.dateline = Some(title_case(place.trim()));
        facts.dateline_span = Some([ds, de]);
        let (bs, be) = trim_span(text, s + m.end(), e);
        if be > bs {
            self.push([bs, be], BlockKind::Body);
            self.body_started = true;
        }
        true
    }
}

/// Non-empty lines (trimmed of Unicode spaces) as spans.
fn split_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' || c == '\u{2029}' {
            push_line(text, start, i, &mut out);
            start = i + c.len_utf8();
        }
    }
    push_line(text, start, text.len(), &mut out);
    out
}

fn push_line(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let (s, e) = trim_span(text, s, e);
    if e > s && text[s..e].chars().any(|c| !is_space(c)) {
        out.push((s, e));
    }
}

fn boilerplate(flat: &str) -> Option<RemovedReason> {
    let lower = flat.to_lowercase();
    let bare = lower.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ':');
    boilerplate_rules()
        .iter()
        .find(|r| {
            if r.prefix {
                lower.starts_with(&r.phrase)
            } else {
                bare == r.phrase
            }
        })
        .map(|r| r.reason)
}

fn ends_sentence(flat: &str) -> bool {
    flat.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', '\'', ')', ':', ';'])
}

/// A headline of another story pasted into the body: no sentence-final
/// punctuation, short, several words.
fn looks_like_pasted_headline(flat: &str) -> bool {
    let words = flat.split(' ').count();
    (3..=25).contains(&words) && !ends_sentence(flat) && !flat.trim_end().ends_with(',')
}

/// Place names in datelines are written in capitals.
fn is_dateline_place(place: &str) -> bool {
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut out = String::new();
            let mut first = true;
            for c in w.chars() {
                if first {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                first = !c.is_alphabetic();
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InputMeta, SpanBasis};

    fn cleaned(text: &str) -> Document {
        let mut d = Document::new(
            String::new(),
            text.to_string(),
            SpanBasis::Input,
            InputMeta::default(),
        );
        clean(&mut d);
        d
    }

    #[test]
    fn single_paragraph_is_body() {
        let d = cleaned("On 3 March, gunmen killed two farmers in Kaduna.");
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].kind, BlockKind::Body);
        assert!(d.facts.title.is_none());
    }

    #[test]
    fn standfirst_is_the_story_when_nothing_follows_it() {
        // A news brief: a headline and one paragraph without a final full stop.
        let brief = "Latest news from Nigeria\n\nOn 3 March, gunmen killed two farmers in Kaduna (sic)\n\nShare this article\n";
        let d = cleaned(brief);
        assert_eq!(d.facts.title.as_deref(), Some("Latest news from Nigeria"));
        assert!(d.facts.standfirst.is_none());
        let body = d.blocks.iter().find(|b| b.kind == BlockKind::Body).unwrap();
        assert_eq!(
            d.slice(body.span),
            "On 3 March, gunmen killed two farmers in Kaduna (sic)"
        );
        // With a story after it, it stays the standfirst.
        let d = cleaned(
            "Farmers killed\n\nGunmen strike again in Kaduna\n\nGunmen killed two farmers.\n",
        );
        assert_eq!(
            d.facts.standfirst.as_deref(),
            Some("Gunmen strike again in Kaduna")
        );
    }

    #[test]
    fn wire_dateline_with_date_and_agency() {
        let d = cleaned(
            "Blast kills five\n\nBEIRUT, Sept 5 (Reuters) - A bomb exploded in the city.\n",
        );
        assert_eq!(d.facts.title.as_deref(), Some("Blast kills five"));
        assert_eq!(d.facts.dateline.as_deref(), Some("Beirut"));
        let body = d.blocks.iter().find(|b| b.kind == BlockKind::Body).unwrap();
        assert_eq!(d.slice(body.span), "A bomb exploded in the city.");
    }

    #[test]
    fn publication_lines_are_metadata() {
        let d = cleaned("Toll rises to 13\n\nTHE INDUS CHRONICLE\nPublished October 17, 2025 | Updated about 2 hours ago\n\nDERA ISMAIL KHAN: The toll rose.\n");
        assert_eq!(d.facts.published.as_deref(), Some("October 17, 2025"));
        assert!(d.blocks.iter().any(|b| b.kind == BlockKind::Published));
        let d = cleaned(
            "Brief\nWeek of 13–19 October 2025 | Issued 20 October 2025\n\nAttacks rose.\n",
        );
        assert_eq!(d.facts.published.as_deref(), Some("20 October 2025"));
        // A story sentence that mentions an update is not a publication line.
        let d = cleaned("Police updated the toll on Friday to 13, up from 11 on 3 March 2024.");
        assert!(d.facts.published.is_none());
    }

    #[test]
    fn byline_and_date_line_stand_above_the_dateline() {
        let d = cleaned("Army convoy ambushed\n\nBy our correspondent in Bamako\n26 September 2024\n\nBAMAKO - Fighters ambushed a convoy on Tuesday.\n");
        assert_eq!(d.facts.dateline.as_deref(), Some("Bamako"));
        assert_eq!(d.facts.published.as_deref(), Some("26 September 2024"));
        assert!(d
            .blocks
            .iter()
            .any(|b| b.kind == BlockKind::Removed(RemovedReason::Byline)));
        let d = cleaned("Drone attack on station\n\nThursday, October 2, 2025 — 3:47 p.m.\n\nCALI, Colombia — Two officers were killed.\n");
        assert_eq!(d.facts.dateline.as_deref(), Some("Cali"));
        // A story sentence starting with "By" is no byline.
        let d = cleaned("By Tuesday evening, the toll had risen to 12.");
        assert!(d.blocks.iter().all(|b| b.kind == BlockKind::Body));
    }

    #[test]
    fn caption_credit_and_related_headline_removed() {
        let text = "Title here\n\nSoldiers at the scene on Monday. (Photo: Reuters)\n\nKABUL: A bomb exploded.\n\nTaliban vow more attacks on cities\n\nPolice said two died.\nAdvertisement\n";
        let d = cleaned(text);
        let removed: Vec<&str> = d
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Removed(_)))
            .map(|b| d.slice(b.span))
            .collect();
        assert_eq!(
            removed,
            [
                "(Photo: Reuters)",
                "Taliban vow more attacks on cities",
                "Advertisement"
            ]
        );
        assert_eq!(
            d.facts.caption.as_deref(),
            Some("Soldiers at the scene on Monday.")
        );
    }
}
