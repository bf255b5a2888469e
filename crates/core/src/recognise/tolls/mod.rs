//! Casualty figures: a number joined to what it counts ("at least four
//! people were killed", "killed at least 48", "left five dead", "a toll of
//! three dead", "the death toll rose to 7", "no one was hurt"). Hypothetical
//! figures ("could have killed dozens") are not tolls.

pub mod words;

use super::Sentence;
use crate::model::{Document, NumberMention, Quantity, TokenKind, Toll, TollKind};
use words::TollWords;
use words::WordClass::*;

/// Figures in sentence `s` that count casualties.
pub fn find_tolls(
    doc: &Document,
    s: usize,
    numbers: &[NumberMention],
    words: &TollWords,
) -> Vec<Toll> {
    let c = Sentence::new(doc, s);
    let mut out = Vec::new();
    // Figures joined into one list ("4 militia members and 3 militants were
    // killed") count together; the later ones are consumed by the first.
    let mut consumed = vec![false; numbers.len()];
    // "a man and his 2 bodyguards were killed": lists of victims count first.
    let lists = list_tolls(c, words, numbers);
    for (ni, n) in numbers.iter().enumerate() {
        let a = n.tokens.0;
        if consumed[ni]
            || lists.iter().any(|t| a >= t.tokens.0 && a < t.tokens.1)
            || counted_elsewhere(c, n.tokens)
        {
            continue;
        }
        out.extend(figure_tolls(c, words, numbers, ni, &mut consumed));
    }
    out.extend(lists);
    out.extend(negated_tolls(c, words));
    let people = person_tolls(c, words, &out);
    out.extend(people);
    out
}

/// A figure that is part of a count given elsewhere, not a toll of its own.
fn counted_elsewhere(c: Sentence, (a, b): (usize, usize)) -> bool {
    let (first, last) = (c.first, c.last);
    let key = |i| c.key(i);
    // "3 policemen (2 according to Taliban sources) were killed": the
    // figure another source gives, in brackets, is no toll of its own.
    (a > first
        && key(a - 1) == "("
        && (b..(b + 3).min(last)).any(|i| matches!(key(i), "according" | "per")))
    // "12 militants including 2 commanders were killed": a subset, already counted.
    || (a > first && matches!(key(a - 1), "including" | "whom" | "among"))
    // "one of the bodies was that of the bomber", "three of the dead were
    // children": a part of a toll already counted. ("Two of the wounded
    // died" is not: the wounded were not counted as dead.)
    || (key(b) == "of"
        && matches!(key(b + 1), "the" | "these" | "those")
        && matches!(
            key(b + 2),
            "dead" | "bodies" | "deceased" | "victims" | "fatalities"
        )
        // "One of the victims died later": the victims were not all dead.
        && !(key(b + 2) == "victims"
            && (b + 3..(b + 6).min(last))
                .any(|i| matches!(key(i), "died" | "succumbed" | "later"))))
}

/// The toll figure `ni` states, read forward ("N [people] [were] killed")
/// and backward ("killed [at least] N", "the toll rose to N"); before it,
/// the dead of "N were kidnapped and later killed". Nothing when the figure
/// counts no casualties, only part of a toll given elsewhere, or a
/// hypothetical one ("could have killed dozens").
fn figure_tolls(
    c: Sentence,
    words: &TollWords,
    numbers: &[NumberMention],
    ni: usize,
    consumed: &mut [bool],
) -> Vec<Toll> {
    let (a, b) = numbers[ni].tokens;
    let mut f = Forward::new(&numbers[ni]);
    f.read(c, words, numbers, consumed);
    if f.subset {
        return Vec::new();
    }
    let Some((start, update)) = read_backward(c, words, (a, b), &mut f) else {
        return Vec::new();
    };
    let Some(kind) = f.kind else {
        return Vec::new();
    };
    let (first, last) = (c.first, c.last);
    let key = |i| c.key(i);
    let end = f.end.max(b).max(f.who_end);
    let mut out = Vec::new();
    if let (Some(e), false) = (f.then_dead, kind == TollKind::Killed) {
        out.push(plain_toll(
            c.doc,
            c.index,
            (start, e),
            TollKind::Killed,
            f.quantity.clone(),
            f.who.clone(),
        ));
    }
    let toks = c.tokens();
    out.push(Toll {
        span: [toks[start].span[0], toks[end - 1].span[1]],
        tokens: (start, end),
        sentence: c.index,
        kind,
        quantity: f.quantity,
        who: f.who,
        source: None,
        update,
        initial: (first..last)
            .any(|i| matches!(key(i), "initially" | "earlier" | "previously" | "first")),
        additive: f.additive
            || (a.saturating_sub(2).max(first)..a).any(|i| matches!(key(i), "also" | "another")),
        cumulative: (a.saturating_sub(4).max(first)..a).any(|i| words.is(key(i), Cumulative))
            || (b..end.max(b)).any(|i| matches!(key(i), "total"))
            || running_total_sentence(c, words),
    });
    out
}

/// What one token does to the forward reading of a figure.
enum Flow {
    /// The reading ends here.
    Stop,
    /// The reading moved on by itself (past brackets, an aside, a name).
    Moved,
    /// The token was read: on to the next.
    Next,
}

/// The forward reading of one figure: "N [people] [were] killed".
struct Forward {
    /// The figure's tokens.
    a: usize,
    b: usize,
    quantity: Quantity,
    who: Option<String>,
    kind: Option<TollKind>,
    /// The end of the words that say what was counted.
    end: usize,
    /// The token being read.
    j: usize,
    /// The span covers who was counted ("killing five civilians").
    who_end: usize,
    /// "were kidnapped and later killed": the end of "and later killed".
    then_dead: Option<usize>,
    additive: bool,
    /// "were among the martyred": part of a toll given elsewhere.
    subset: bool,
    /// The reading stops here, moved on by what it skips.
    limit: usize,
    skipped_aside: bool,
    unknown_words: usize,
}

impl Forward {
    fn new(n: &NumberMention) -> Self {
        let (a, b) = n.tokens;
        Forward {
            a,
            b,
            quantity: n.quantity.clone(),
            who: None,
            kind: None,
            end: b,
            j: b,
            who_end: b,
            then_dead: None,
            additive: false,
            subset: false,
            limit: b + 9,
            skipped_aside: false,
            unknown_words: 0,
        }
    }

    fn read(
        &mut self,
        c: Sentence,
        words: &TollWords,
        numbers: &[NumberMention],
        consumed: &mut [bool],
    ) {
        while self.j < c.last && self.j < self.limit {
            let flow = self
                .counted(c, words, numbers)
                .or_else(|| self.aside(c, words, numbers, consumed))
                .unwrap_or_else(|| self.describes(c, words));
            match flow {
                Flow::Stop => break,
                Flow::Moved => continue,
                Flow::Next => self.j += 1,
            }
        }
    }

    /// What the figure counts ("lost their lives", "to death", "killed"),
    /// or a sign that it counts no casualties ("two death threats", "100
    /// residents lynched two men").
    fn counted(
        &mut self,
        c: Sentence,
        words: &TollWords,
        numbers: &[NumberMention],
    ) -> Option<Flow> {
        let key = |i| c.key(i);
        let (a, b, j) = (self.a, self.b, self.j);
        let w = key(j);
        let found = |f: &mut Self, end: usize| {
            f.kind = Some(TollKind::Killed);
            f.end = end;
            Some(Flow::Stop)
        };
        if w == "lost" && key(j + 1) == "their" && key(j + 2) == "lives" {
            return found(self, j + 3);
        }
        // "shot two men to death" (not "sentenced three men to death").
        if w == "to"
            && key(j + 1) == "death"
            && !matches!(key(a.wrapping_sub(1)), "sentenced" | "condemned" | "by")
            && !(b..j).any(|i| key(i) == "and")
        {
            return found(self, j + 2);
        }
        // "were fatally shot", "were fatally assaulted".
        if w == "fatally"
            && c.tokens()
                .get(j + 1)
                .is_some_and(|t| t.kind == TokenKind::Word)
        {
            return found(self, j + 2);
        }
        // "two death threats", "a death sentence": no toll; "1 death"
        // only right after its figure.
        if w == "death" && j != b {
            return Some(Flow::Stop);
        }
        if w == "death"
            && matches!(
                key(j + 1),
                "threat" | "threats" | "sentence" | "sentences" | "squad" | "penalty" | "row"
            )
        {
            return Some(Flow::Stop);
        }
        // "3 policemen (2 according to ...) were killed": skip the brackets.
        if w == "(" {
            return Some(match (j + 1..c.last.min(j + 12)).find(|&k| key(k) == ")") {
                Some(k) => {
                    self.j = k + 1;
                    self.limit = self.limit.max(self.j + 5);
                    Flow::Moved
                }
                None => Flow::Stop,
            });
        }
        // "100 residents lynched two armed men": the figure counts the
        // killers, not the killed.
        if matches!(
            w,
            "lynched" | "assassinated" | "executed" | "murdered" | "beheaded" | "massacred"
        ) && (numbers.iter().any(|m| m.tokens.0 == j + 1)
            || matches!(key(j + 1), "a" | "an" | "the" | "his" | "her" | "their"))
        {
            return Some(Flow::Stop);
        }
        let k = words.counted(w)?;
        // "two of the wounded died": the wounded are who, "died" what.
        if key(j.wrapping_sub(1)) == "the" && matches!(k, TollKind::Injured) {
            self.who
                .get_or_insert_with(|| c.doc.slice(c.tokens()[j].span).to_string());
            self.j += 1;
            return Some(Flow::Moved);
        }
        // "48 killed and dozens wounded": the figure counts the first.
        self.kind = Some(k);
        self.end = j + 1;
        // "were kidnapped and later killed", "were wounded and
        // later died": the same people, dead.
        if k != TollKind::Killed {
            if let Some(e) = then_killed(c.doc, words, j + 1, c.last) {
                self.then_dead = Some(e);
            }
        }
        Some(Flow::Stop)
    }

    /// Words between the figure and what it counts that the reading steps
    /// over: an aside, a subset, another figure of the same list, quotes.
    fn aside(
        &mut self,
        c: Sentence,
        words: &TollWords,
        numbers: &[NumberMention],
        consumed: &mut [bool],
    ) -> Option<Flow> {
        let key = |i| c.key(i);
        let (b, j, last) = (self.b, self.j, c.last);
        let toks = c.tokens();
        let w = key(j);
        if w == "," {
            // Skip one parenthetical (", nine of them children,").
            return Some(match (j + 1..last.min(j + 7)).find(|&k| key(k) == ",") {
                Some(k) if !self.skipped_aside => {
                    self.skipped_aside = true;
                    self.j = k + 1;
                    self.limit = self.j + 5;
                    Flow::Moved
                }
                _ => Flow::Stop,
            });
        }
        // "Five policemen ... were among the martyred": part of a toll
        // given elsewhere, not a toll of its own.
        if w == "among" && key(j + 1) == "the" && words.counted(key(j + 2)).is_some() {
            self.subset = true;
            return Some(Flow::Stop);
        }
        if w == "including" || (w == "among" && key(j + 1) == "them") {
            // "12 militants including 2 commanders were killed": skip the subset.
            let mut k = j + 1;
            while k < last
                && k < j + 6
                && words.counted(key(k)).is_none()
                && !matches!(key(k), "were" | "was" | "had" | "have" | "," | "lost")
            {
                k += 1;
            }
            self.j = k;
            self.limit = self.limit.max(k + 4);
            return Some(Flow::Moved);
        }
        if w == "and" {
            // A list of figures: "4 militia members and 3 militants were killed".
            if let Some(mi) = numbers.iter().position(|m| m.tokens.0 == j + 1) {
                let m = &numbers[mi];
                self.quantity.low += m.quantity.low;
                self.quantity.high += m.quantity.high;
                self.quantity.qualifier = self.quantity.qualifier.or(m.quantity.qualifier);
                consumed[mi] = true;
                self.j = m.tokens.1;
                self.limit = self.limit.max(self.j + 6);
                return Some(Flow::Moved);
            }
        }
        if w == "also" {
            self.additive = true;
        }
        // "20 friends of a man who died": the relative clause tells of
        // the one man, not of the figure.
        if w == "who" && (b..j).any(|x| matches!(key(x), "a" | "an")) {
            return Some(Flow::Stop);
        }
        // "56 BH/IS fighters": a slash between names.
        if w == "/"
            && toks[j - 1].kind == TokenKind::Word
            && toks.get(j + 1).is_some_and(|t| t.kind == TokenKind::Word)
        {
            self.j += 1;
            return Some(Flow::Moved);
        }
        // "1 'Arbaki' was killed": quotation marks around a term.
        if matches!(w, "'" | "\"" | "‘" | "’" | "“" | "”") {
            self.j += 1;
            return Some(Flow::Moved);
        }
        None
    }

    /// Words that say who was counted ("7 Taliban militants", "five
    /// civilians") or the few plain words a reading may pass.
    fn describes(&mut self, c: Sentence, words: &TollWords) -> Flow {
        let doc = c.doc;
        let j = self.j;
        let w = c.key(j);
        if let Some(actor) = crate::model::of_sentence(&doc.actors, doc.tokens[j].sentence)
            .iter()
            .find(|a| j >= a.tokens.0 && j < a.tokens.1)
        {
            // "7 Taliban militants were killed": the actor is who was counted.
            self.who
                .get_or_insert_with(|| doc.slice(actor.span).to_string());
            if !self.skipped_aside {
                self.who_end = self.who_end.max(actor.tokens.1);
            }
            self.j = actor.tokens.1;
            return Flow::Moved;
        }
        if words.is(w, Victim) {
            self.who
                .get_or_insert_with(|| doc.slice(doc.tokens[j].span).to_string());
            if !self.skipped_aside {
                self.who_end = self.who_end.max(j + 1);
            }
        } else if !words.is(w, Filler) {
            // "1 religious scholar and teacher was killed": a few plain
            // words may describe who was counted; units and names may not.
            let t = &doc.tokens[j];
            // Names may qualify who was counted ("Ten GNA soldiers",
            // "2 NDS members", "3 Fulani were killed").
            let plain = t.kind == TokenKind::Word && !words.is(w, Unit);
            self.unknown_words += 1;
            if !plain || self.unknown_words > 3 {
                return Flow::Stop;
            }
        }
        Flow::Next
    }
}

/// Backward from figure `(a, b)`: "killed [at least] N", "left N dead",
/// "claim N lives", "toll rose to N". The toll's first token and whether
/// it updates an earlier figure; None when a modal makes it hypothetical
/// ("could have killed dozens").
fn read_backward(
    c: Sentence,
    words: &TollWords,
    (a, b): (usize, usize),
    f: &mut Forward,
) -> Option<(usize, bool)> {
    let first = c.first;
    let key = |i| c.key(i);
    if a <= first {
        return Some((a, false));
    }
    let mut update = false;
    let mut start = a;
    let p = key(a - 1);
    let pp = if a >= first + 2 { key(a - 2) } else { "" };
    // "killed 6 and abducted 10": the word after "and" counts the next figure.
    let crossed_and = (b..f.j.min(c.last)).any(|i| key(i) == "and");
    if f.kind.is_none()
        || crossed_and
        || matches!(f.kind, Some(TollKind::Killed | TollKind::Injured))
    {
        if let Some(k) = verb_before(c, words, a) {
            // Backward verbs win unless the forward word is the verb's own
            // complement ("killed 5 and wounded 7" is handled per figure).
            if f.kind.is_none() || f.j >= b + 2 || crossed_and {
                f.kind = Some(k);
                f.end = b;
            }
            start = a - 1;
        } else if (matches!(p, "left" | "leaving" | "leaves") && f.kind.is_some())
            || (matches!(p, "claimed" | "claim" | "claims" | "claiming")
                && key(f.end - 1) == "lives")
        {
            // "left five dead", "claim nearly 50 lives".
            start = a - 1;
        } else if p == "of" && matches!(pp, "bodies" | "corpses" | "remains") {
            f.kind = Some(TollKind::Killed);
            start = a - 2;
        } else if (p == "of" && matches!(pp, "lives")) && matches!(key(a - 3), "the") {
            // "claimed the lives of N"
            f.kind = Some(TollKind::Killed);
            start = a - 4;
        } else if matches!(p, "to" | "at" | "of" | "reached" | "hit") || p == "toll" {
            if let Some((s, kind, up)) = toll_of(c, words, a, f.kind) {
                (start, f.kind, update) = (s, Some(kind), up);
            }
        }
    }
    // Hypothetical: "could have killed dozens".
    // The month in "On 2 May 2020 4 policemen were killed" is no modal.
    let lookback: Vec<&str> = (start.saturating_sub(3).max(first)..start)
        .filter(|&i| {
            !c.doc
                .dates
                .iter()
                .any(|d| i >= d.tokens.0 && i < d.tokens.1)
        })
        .map(key)
        .collect();
    if lookback.iter().any(|w| words.is(w, Modal)) {
        return None;
    }
    Some((start, update))
}

/// The verb right before a figure at `a` that takes it as its object
/// ("killed 12", "shot dead two", "the killing of 1 militant").
fn verb_before(c: Sentence, words: &TollWords, a: usize) -> Option<TollKind> {
    let p = c.key(a - 1);
    let pp = if a >= c.first + 2 { c.key(a - 2) } else { "" };
    if (p == "dead" && pp == "shot")
        || (p == "down" && matches!(pp, "gunned" | "cut" | "mowed"))
        // "fatally shot two men"
        || (pp == "fatally"
            && matches!(p, "shot" | "stabbed" | "wounded" | "injured" | "assaulted"))
        // "the killing of 1 militant", "resulting in the death of 3"
        || (p == "of"
            && matches!(pp, "killing" | "killings" | "death" | "deaths" | "murder")
            && caused_death(c.doc, c.first, a - 2))
    {
        Some(TollKind::Killed)
    } else if p == "of" && matches!(pp, "injuring" | "wounding") {
        Some(TollKind::Injured)
    } else {
        words.object_of(p)
    }
}

/// "death toll rose to 7", "toll stood at 7", "a toll of three (dead)",
/// "the number of dead at seven": the toll phrase before a figure at `a`,
/// as its first token, what it counts (unless `kind` already says) and
/// whether it updates an earlier figure.
fn toll_of(
    c: Sentence,
    words: &TollWords,
    a: usize,
    kind: Option<TollKind>,
) -> Option<(usize, TollKind, bool)> {
    let key = |i| c.key(i);
    let pp = if a >= c.first + 2 { key(a - 2) } else { "" };
    let rising = words.is(pp, Rising);
    let reach = if rising { 25 } else { 6 };
    let window: Vec<&str> = (a.saturating_sub(reach).max(c.first)..a).map(key).collect();
    let counted_dead = window.contains(&"number")
        && window
            .iter()
            .any(|w| matches!(*w, "dead" | "deaths" | "killed" | "fatalities"));
    if !(window.contains(&"toll") || counted_dead) {
        return None;
    }
    let wounded = window.contains(&"injury") || window.contains(&"injured");
    let kind = kind.unwrap_or(if wounded {
        TollKind::Injured
    } else {
        TollKind::Killed
    });
    let update = window.iter().any(|w| words.is(w, Rising));
    let start = (a.saturating_sub(reach).max(c.first)..a)
        .find(|&i| matches!(key(i), "toll" | "number"))
        .unwrap_or(a);
    Some((start, kind, update))
}

/// Tolls of people named without a figure ("the victim died", "killing a
/// fruit vendor"); two or more new people dead, each counted once, become
/// one toll ("A woman died and the man died from his wounds": two).
fn person_tolls(c: Sentence, words: &TollWords, found: &[Toll]) -> Vec<Toll> {
    let first = c.first;
    let key = |i| c.key(i);
    let mut people = definite_victim_tolls(c, words, found);
    people.extend(single_victim_tolls(
        c,
        words,
        &[found, &people[..]].concat(),
    ));
    // Pronouns, possessives and "the victim" point back to a person already
    // counted ("a woman was shot and her body was found").
    let new_person = |t: &Toll| -> bool {
        let det = (t.tokens.0..t.tokens.1).map(key).find(|w| {
            matches!(
                *w,
                "a" | "an" | "another" | "the" | "his" | "her" | "him" | "he" | "she" | "both"
            )
        });
        match det {
            Some("a" | "an" | "another") => true,
            Some("the") => {
                let head = (t.tokens.0..t.tokens.1)
                    .map(key)
                    .find(|w| personish(words, w));
                !matches!(head, Some("victim") | None)
                    && !(first..t.tokens.0).any(|x| Some(key(x)) == head)
            }
            _ => false,
        }
    };
    let dead: Vec<usize> = (0..people.len())
        .filter(|&i| people[i].kind == TollKind::Killed && people[i].quantity.low == 1)
        .filter(|&i| new_person(&people[i]))
        .collect();
    if dead.len() < 2 {
        return people;
    }
    let (lo, hi) = dead.iter().fold((usize::MAX, 0), |(lo, hi), &i| {
        (lo.min(people[i].tokens.0), hi.max(people[i].tokens.1))
    });
    let n = dead.len() as u64;
    let toks = c.tokens();
    let mut merged = people[dead[0]].clone();
    merged.tokens = (lo, hi);
    merged.span = [toks[lo].span[0], toks[hi - 1].span[1]];
    merged.quantity.low = n;
    merged.quantity.high = n;
    merged.who = None;
    let mut people: Vec<Toll> = people
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !dead.contains(i))
        .map(|(_, t)| t)
        .collect();
    people.push(merged);
    people
}

/// "... and later killed", "... and died", "... and beheaded" right after
/// another casualty word at `from` (the token after it): the end of the
/// phrase when the same people died.
fn then_killed(doc: &Document, words: &TollWords, from: usize, last: usize) -> Option<usize> {
    let k = |i: usize| -> &str {
        if i < last {
            doc.tokens[i].key.as_str()
        } else {
            ""
        }
    };
    if k(from) != "and" {
        return None;
    }
    let mut j = from + 1;
    while matches!(
        k(j),
        "later" | "then" | "subsequently" | "eventually" | "were" | "was"
    ) {
        j += 1;
    }
    let w = k(j);
    if words.is(w, Death) {
        return Some(j + 1);
    }
    if w == "shot" && k(j + 1) == "dead" {
        return Some(j + 2);
    }
    if w == "found" && matches!(k(j + 1), "dead" | "killed" | "beheaded") {
        return Some(j + 2);
    }
    // "stoned and stabbed to death", "attacked and beaten to death".
    if (w.ends_with("ed") || matches!(w, "beaten" | "burnt" | "shot"))
        && k(j + 1) == "to"
        && k(j + 2) == "death"
    {
        return Some(j + 3);
    }
    None
}

/// Is the token a casualty predicate ("killed", "died", "shot dead", "found
/// dead", "stabbed to death", "lost their lives")? The end of the predicate
/// and whether it counts the dead (true) or the wounded (false).
fn predicate_at(doc: &Document, words: &TollWords, i: usize, last: usize) -> Option<(usize, bool)> {
    let k = |i: usize| -> &str {
        if i < last {
            doc.tokens[i].key.as_str()
        } else {
            ""
        }
    };
    let mut j = i;
    // "were", "have been", "had both been", "were reportedly", "later".
    let mut aux = 0;
    while aux < 4 && words.is(k(j), Aux) {
        j += 1;
        aux += 1;
    }
    let w = k(j);
    // "a policeman killed a woman": the active verb has an object; "a man
    // killed in the raid" (headline style) has none.
    let transitive = words.is(w, ActiveVerb);
    if transitive
        && !(i..j).any(|x| matches!(k(x), "were" | "was" | "been"))
        && doc.tokens.get(j + 1).is_some_and(|t| {
            j + 1 < last
                && (t.kind == TokenKind::Number
                    || t.kind == TokenKind::Word && !words.is(t.key.as_str(), NoObject))
        })
    {
        return None;
    }
    if words.is(w, Death) {
        return Some((j + 1, true));
    }
    match (w, k(j + 1)) {
        ("shot" | "gunned" | "found", "dead" | "down" | "killed" | "beheaded" | "murdered") => {
            return Some((j + 2, true))
        }
        ("lost", "their" | "his" | "her") if k(j + 2) == "lives" || k(j + 2) == "life" => {
            return Some((j + 3, true))
        }
        ("fatally", _)
            if doc
                .tokens
                .get(j + 1)
                .is_some_and(|t| t.kind == TokenKind::Word) =>
        {
            return Some((j + 2, true))
        }
        _ => {}
    }
    // "shot and killed", "shot and died", "stabbed to death", "beaten to death",
    // "attacked and beaten to death", "shot in the forehead and died".
    if words.is(w, Assault) {
        if k(j + 1) == "to" && k(j + 2) == "death" {
            return Some((j + 3, true));
        }
        if let Some(e) = then_killed(doc, words, j + 1, last) {
            return Some((e, true));
        }
        if let Some(e) = (j + 2..last.min(j + 8))
            .take_while(|&x| doc.tokens[x].kind == TokenKind::Word)
            .find_map(|x| then_killed(doc, words, x, last))
        {
            return Some((e, true));
        }
    }
    if matches!(w, "wounded" | "injured" | "hurt") {
        if let Some(e) = then_killed(doc, words, j + 1, last) {
            return Some((e, true));
        }
        return Some((j + 1, false));
    }
    if matches!(w, "kidnapped" | "abducted") {
        if let Some(e) = then_killed(doc, words, j + 1, last) {
            return Some((e, true));
        }
    }
    None
}

/// A noun that names a person: the victim nouns, kin, roles, and the
/// agent suffixes ("driver", "councilor", "activist", "adolescent").
fn personish(words: &TollWords, w: &str) -> bool {
    if words.is(w, Victim) || words.is(&format!("{w}s"), Victim) || words.is(w, Person) {
        return true;
    }
    w.len() > 4 && words.has_agent_suffix(w) && !words.is(w, NotPerson)
}

/// A singular noun (not "soldiers", but "boss", "bus" and "news" are no
/// persons anyway).
fn singular(w: &str) -> bool {
    let plural = w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us");
    !(plural || matches!(w, "people" | "men" | "women" | "children" | "police"))
}

/// One victim's noun phrase from `i`: "a man", "an adolescent", "the
/// driver", "his wife", "her 2 children", "a couple" (2), "1 Taliban
/// commander". Its count and end. Pronouns ("him", "her") only where
/// `pronouns` (objects).
fn victim_np(
    doc: &Document,
    words: &TollWords,
    numbers: &[NumberMention],
    i: usize,
    last: usize,
    pronouns: bool,
) -> Option<(u64, usize)> {
    let toks = &doc.tokens;
    let k = |i: usize| -> &str {
        if i < last {
            toks[i].key.as_str()
        } else {
            ""
        }
    };
    let det = k(i);
    let mut j = i + 1;
    let mut count = None;
    if let Some(n) = numbers.iter().find(|n| n.tokens.0 == i) {
        if n.quantity.vague || n.quantity.low == 0 {
            return None;
        }
        count = Some(n.quantity.low);
        j = n.tokens.1;
    } else if pronouns
        && (det == "him"
            || det == "her"
                && toks.get(i + 1).is_none_or(|t| {
                    i + 1 >= last || t.kind != TokenKind::Word || words.is(&t.key, PhraseEnd)
                }))
    {
        return Some((1, i + 1));
    } else if matches!(det, "his" | "her" | "their") {
        // "his 2 bodyguards"
        if let Some(n) = numbers.iter().find(|n| n.tokens.0 == i + 1) {
            if n.quantity.vague || n.quantity.low == 0 {
                return None;
            }
            count = Some(n.quantity.low);
            j = n.tokens.1;
        }
    } else if !matches!(det, "a" | "an" | "the" | "another") {
        return None;
    }
    // Modifiers and the head: words up to a phrase end, "of" and a name or
    // "the ..." allowed once ("the head of the district council").
    let start = j;
    let mut head = None;
    let mut of_seen = false;
    while j < last && j < start + if of_seen { 8 } else { 6 } {
        let t = &toks[j];
        let w = t.key.as_str();
        // "a 16-year-old boy"
        if t.kind == TokenKind::Number && k(j + 1) == "year" && k(j + 2) == "old" {
            j += 3;
            continue;
        }
        // "a cadre of the CPI (Maoist) was killed": brackets inside a name.
        if w == "(" && head.is_some() {
            if let Some(x) = (j + 1..last.min(j + 8)).find(|&x| k(x) == ")") {
                j = x + 1;
                continue;
            }
        }
        // "a drug and kidnapping suspect was", "an official and activist
        // was": one person, as the singular verb says.
        if w == "and"
            && head.is_some()
            && count.is_none()
            && (j + 2..last.min(j + 5)).any(|x| k(x) == "was")
            && (j + 1..last.min(j + 5))
                .take_while(|&x| k(x) != "was")
                .all(|x| toks[x].kind == TokenKind::Word && !words.is(k(x), PhraseEnd))
        {
            j += 1;
            continue;
        }
        if w == "of" && !of_seen && head.is_some() {
            of_seen = true;
            j += 1;
            continue;
        }
        if t.kind != TokenKind::Word || words.is(w, PhraseEnd) {
            break;
        }
        if !of_seen {
            head = Some(w);
        }
        j += 1;
    }
    let head = head?;
    if j == start || words.is(head, Unit) {
        return None;
    }
    if let Some(n) = count {
        let head = head.trim_end_matches('s');
        return (personish(words, head) || words.is(&toks[j - 1].key, Victim)).then_some((n, j));
    }
    if matches!(head, "couple" | "pair") && det != "the" {
        return Some((2, j));
    }
    if !singular(head) || words.is(head, Collective) || !personish(words, head) {
        return None;
    }
    Some((1, j))
}

/// A toll with none of the update, initial, running-total or additive
/// marks: the common case of the finders below.
fn plain_toll(
    doc: &Document,
    s: usize,
    tokens: (usize, usize),
    kind: TollKind,
    quantity: Quantity,
    who: Option<String>,
) -> Toll {
    Toll {
        span: doc.token_span(tokens),
        tokens,
        sentence: s,
        kind,
        quantity,
        who,
        source: None,
        update: false,
        initial: false,
        cumulative: false,
        additive: false,
    }
}

/// "a man and an adolescent were killed", "a couple and their son were
/// shot dead", "killing the driver and a passenger", "1 Taliban commander
/// and his guard were killed": a list of victims without one figure for
/// them all; each person or figure counts.
fn list_tolls(c: Sentence, words: &TollWords, numbers: &[NumberMention]) -> Vec<Toll> {
    let (doc, s, first, last) = (c.doc, c.index, c.first, c.last);
    let toks = c.tokens();
    let key = |i| c.key(i);
    let mut out = Vec::new();
    let mut i = first;
    while i < last {
        // Only a figure or one of these words opens a victim's phrase
        // (`victim_np`): most tokens need no look at the verb before them.
        if !matches!(
            key(i),
            "a" | "an" | "the" | "another" | "his" | "her" | "their" | "him"
        ) && !numbers.iter().any(|n| n.tokens.0 == i)
        {
            i += 1;
            continue;
        }
        let p = key(i.wrapping_sub(1));
        let pp = key(i.wrapping_sub(2));
        let object = kill_verb_before(words, p, pp);
        let Some((n0, mut j)) = victim_np(doc, words, numbers, i, last, object) else {
            i += 1;
            continue;
        };
        let mut total = n0;
        let mut items = 1;
        let figure_at = |x: usize| numbers.iter().any(|n| n.tokens.0 == x);
        let mut words_item = !figure_at(i);
        let mut last_count = n0;
        loop {
            let sep = match (key(j), key(j + 1)) {
                (",", "and") => 2,
                ("and", _) | (",", _) => 1,
                _ => break,
            };
            // "his mother, a police officer, ...": an apposition after one
            // person names the same person; skip it to its closing comma.
            if key(j) == "," && sep == 1 && last_count == 1 && matches!(key(j + 1), "a" | "an") {
                match (j + 2..last.min(j + 12))
                    .take_while(|&x| toks[x].kind == TokenKind::Word || key(x) == ",")
                    .find(|&x| key(x) == ",")
                {
                    Some(x) => {
                        j = x;
                        continue;
                    }
                    None => break,
                }
            }
            match victim_np(doc, words, numbers, j + sep, last, object) {
                Some((n, e)) => {
                    words_item |= !figure_at(j + sep);
                    last_count = n;
                    total += n;
                    items += 1;
                    j = e;
                }
                None => break,
            }
        }
        // Lists of figures alone ("4 militia members and 3 militants")
        // are summed where the figures are read.
        if items < 2 || !words_item {
            i += 1;
            continue;
        }
        let found = if object {
            Some((j, true))
        } else {
            // The subject of a casualty predicate, at a clause start.
            let clause_start = i == first
                || matches!(
                    p,
                    "," | "and" | "but" | "while" | "whereas" | "when" | "where" | "after" | ";"
                );
            if clause_start {
                predicate_at(doc, words, j, last)
            } else {
                None
            }
        };
        let Some((end, dead)) = found else {
            i += 1;
            continue;
        };
        if hypothetical(c, words, i) {
            i = j;
            continue;
        }
        let start = if object { i - 1 } else { i };
        out.push(plain_toll(
            doc,
            s,
            (start, end),
            if dead {
                TollKind::Killed
            } else {
                TollKind::Injured
            },
            Quantity::exact(total),
            None,
        ));
        i = end;
    }
    out
}

/// "resulting in the death of", "led to the killing of", "caused death of":
/// the death word at `i` is this event's result, not a cause told in the
/// background ("protests over the death of", "after the killing of").
fn caused_death(doc: &Document, first: usize, i: usize) -> bool {
    let k = |j: usize| -> &str {
        if j >= first && j < i {
            doc.tokens[j].key.as_str()
        } else {
            ""
        }
    };
    let mut j = i.wrapping_sub(1);
    if k(j) == "the" {
        j = j.wrapping_sub(1);
    }
    matches!(
        k(j),
        "in" | "to" | "caused" | "causing" | "causes" | "cause"
    )
}

/// "killed", "killing", "shot dead", "gunned down" and the like right before
/// a victim.
fn kill_verb_before(words: &TollWords, p: &str, pp: &str) -> bool {
    // "were killed the next morning" is no object.
    if matches!(pp, "was" | "were" | "been" | "be" | "is" | "are" | "being") {
        return false;
    }
    words.is(p, KillVerb)
        || (p == "dead" && pp == "shot")
        || (p == "down" && pp == "gunned")
        || (pp == "fatally" && matches!(p, "shot" | "stabbed" | "wounded" | "injured"))
}

/// "could have killed the driver": a modal in the three words before.
fn hypothetical(c: Sentence, words: &TollWords, start: usize) -> bool {
    let (doc, first) = (c.doc, c.first);
    (start.saturating_sub(3).max(first)..start)
        .filter(|&i| !doc.dates.iter().any(|d| i >= d.tokens.0 && i < d.tokens.1))
        // "On 2 May, a man was shot": the month.
        .filter(|&i| !(doc.tokens[i].capitalised && doc.tokens[i].key == "may"))
        .any(|i| words.is(&doc.tokens[i].key, Modal))
}

/// One victim named by a definite phrase or a pronoun: "the victim died",
/// "the officer later died in hospital", "the other died", "he died of
/// his wounds", "killing him", "shot dead the owner", "resulting in his
/// death", "both victims died" (two).
fn definite_victim_tolls(c: Sentence, words: &TollWords, found: &[Toll]) -> Vec<Toll> {
    let (doc, s, first, last) = (c.doc, c.index, c.first, c.last);
    let taken = |i: usize| found.iter().any(|t| i >= t.tokens.0 && i < t.tokens.1);
    let mut out: Vec<Toll> = Vec::new();
    let mut i = first;
    while i < last {
        if taken(i) || out.iter().any(|t| i >= t.tokens.0 && i < t.tokens.1) {
            i += 1;
            continue;
        }
        let Some((start, end, n)) = definite_victim_at(c, words, i) else {
            i += 1;
            continue;
        };
        if hypothetical(c, words, start) {
            i = end;
            continue;
        }
        out.push(plain_toll(
            doc,
            s,
            (start, end),
            TollKind::Killed,
            Quantity::exact(n),
            None,
        ));
        i = end;
    }
    out
}

/// The definite victim phrase or pronoun at token `i` ("the victim died",
/// "killing him"): its first and end token and how many it counts.
fn definite_victim_at(c: Sentence, words: &TollWords, i: usize) -> Option<(usize, usize, u64)> {
    let (doc, first, last) = (c.doc, c.first, c.last);
    let toks = c.tokens();
    let key = |i| c.key(i);
    let w = key(i);
    let p = key(i.wrapping_sub(1));
    let pp = key(i.wrapping_sub(2));
    let clause_start = i == first
        || matches!(
            p,
            "," | "and" | "but" | "while" | "whereas" | "when" | "where" | "after" | ";"
        );
    if matches!(w, "him" | "her") && kill_verb_before(words, p, pp) {
        // "killing him instantly"... but "killed her husband" is a
        // phrase of its own below.
        let next = toks.get(i + 1).filter(|_| i + 1 < last);
        let pronoun = w == "him"
            || next.is_none_or(|t| t.kind != TokenKind::Word || words.is(&t.key, PhraseEnd));
        if pronoun {
            return Some((i - 1, i + 1, 1));
        }
    }
    if matches!(w, "the" | "his" | "her") {
        let np = victim_np(doc, words, &[], i, last, false);
        if let Some((1, e)) = np {
            if kill_verb_before(words, p, pp) {
                // "killing the driver", "shot dead the owner".
                return Some((i - 1, e, 1));
            } else if clause_start && w == "the" {
                // "The victim died", "the officer later died".
                if let Some((end, true)) = predicate_at(doc, words, e, last) {
                    return Some((i, end, 1));
                }
            } else if clause_start {
                // "his bodyguard was killed"
                if let Some((end, true)) = predicate_at(doc, words, e, last) {
                    return Some((i, end, 1));
                }
            }
        }
        // "the other died", "the other one was killed".
        if w == "the" && clause_start && key(i + 1) == "other" {
            let e = if key(i + 2) == "one" { i + 3 } else { i + 2 };
            if let Some((end, true)) = predicate_at(doc, words, e, last) {
                return Some((i, end, 1));
            }
        }
    }
    // "He died of his wounds", "she was killed".
    if matches!(w, "he" | "she") {
        if let Some((end, true)) = predicate_at(doc, words, i + 1, last) {
            return Some((i, end, 1));
        }
    }
    // "his body was found", "her corpse was recovered".
    if matches!(w, "his" | "her")
        && matches!(key(i + 1), "body" | "corpse")
        && matches!(key(i + 2), "was" | "has")
    {
        if let Some(e) = (i + 3..last.min(i + 5)).find(|&x| {
            matches!(
                key(x),
                "found" | "discovered" | "recovered" | "dumped" | "retrieved"
            )
        }) {
            return Some((i, e + 1, 1));
        }
    }
    // "Both victims died", "both men were killed".
    if w == "both" && clause_start {
        let e = if toks.get(i + 1).is_some_and(|t| {
            i + 1 < last && t.kind == TokenKind::Word && !words.is(&t.key, PhraseEnd)
        }) && (words.is(key(i + 1), Victim) || key(i + 1) == "victims")
        {
            i + 2
        } else {
            i + 1
        };
        if e > i + 1 || matches!(key(i + 1), "were" | "died") {
            if let Some((end, true)) = predicate_at(doc, words, e, last) {
                return Some((i, end, 2));
            }
        }
    }
    // "resulting in his death", "led to the death of the local".
    if matches!(w, "his" | "her")
        && key(i + 1) == "death"
        && matches!(p, "in" | "to" | "causing" | "caused")
    {
        return Some((i, i + 2, 1));
    }
    if w == "the"
        && p == "of"
        && matches!(pp, "death" | "killing" | "murder")
        && caused_death(doc, first, i - 2)
    {
        if let Some((1, e)) = victim_np(doc, words, &[], i, last, false) {
            return Some((i - 2, e, 1));
        }
    }
    None
}

/// "Since then, fighting has killed more than 400", "has killed thousands
/// over the past decade": the sentence counts over a period, not one
/// incident. ("So far" and "to date" also open
/// per-incident updates: "the toll so far stands at 12".)
fn running_total_sentence(c: Sentence, words: &TollWords) -> bool {
    let (doc, first, last) = (c.doc, c.first, c.last);
    let k = |i: usize| doc.tokens.get(i).map_or("", |t| t.key.as_str());
    (first..last).any(|i| {
        i + 1 < last
            && (matches!((k(i), k(i + 1)), ("since", "then") | ("ever", "since"))
                // "over the past decade", "in the last two years"
                || matches!(k(i), "past" | "last")
                    && k(i.wrapping_sub(1)) == "the"
                    && (i + 1..last.min(i + 3)).any(|j| {
                        words.is(k(j), Period)
                    }))
    })
}

/// "killing a fruit vendor", "beat a man to death", "lynched a teacher": one victim.
fn single_victim_tolls(c: Sentence, words: &TollWords, found: &[Toll]) -> Vec<Toll> {
    let (first, last) = (c.first, c.last);
    let key = |i| c.key(i);
    let mut out: Vec<Toll> = Vec::new();
    for i in first..last {
        if !matches!(key(i), "a" | "an" | "another")
            || found
                .iter()
                .chain(&out)
                .any(|t| i >= t.tokens.0 && i < t.tokens.1)
        {
            continue;
        }
        out.extend(single_victim_at(c, words, i));
    }
    out
}

/// The one victim the article at `i` opens, and the casualty said of them.
fn single_victim_at(c: Sentence, words: &TollWords, i: usize) -> Option<Toll> {
    let (doc, s, first, last) = (c.doc, c.index, c.first, c.last);
    let key = |i| c.key(i);
    // "another man was killed", "a fourth person died later": one more.
    let more = key(i) == "another" || words.is(key(i + 1), Ordinal);
    // "protests over the death of a teenager killed by police": a
    // death told as the cause, not this event's toll.
    let p0 = key(i.wrapping_sub(1));
    if p0 == "of"
        && matches!(key(i.wrapping_sub(2)), "death" | "killing" | "murder")
        && !caused_death(doc, first, i - 2)
    {
        return None;
    }
    // The article must open a person, not a quantity ("a dozen", "a number of").
    if words.is(key(i + 1), QuantityNoun) {
        return None;
    }
    let p = key(i.wrapping_sub(1));
    let pp = key(i.wrapping_sub(2));
    let killed_before = words.is(p, VictimVerb)
        || (p == "dead" && pp == "shot")
        || (p == "down" && pp == "gunned")
        || kill_verb_before(words, p, pp);
    // "the body of a man was found", "a dead body", "a human head",
    // "resulting in the death of a bystander".
    // ("the mangled remains of a police post" counts no one.)
    let thing_after = (i + 1..last.min(i + 4)).any(|j| words.is(key(j), Thing));
    let remains = (p == "of" && matches!(pp, "body" | "corpse" | "remains") && !thing_after)
        || (p == "of"
            && matches!(pp, "death" | "killing" | "murder")
            && caused_death(doc, first, i - 2))
        || (key(i + 1) == "dead" && matches!(key(i + 2), "body" | "man" | "woman" | "child"))
        || (matches!(key(i + 1), "human" | "severed") && key(i + 2) == "head");
    let wounded_before = matches!(p, "wounded" | "wounding" | "injured" | "injuring");
    let to_death = (i + 1..last.min(i + 5)).find(|&j| key(j) == "to" && key(j + 1) == "death");
    // "a man was shot dead", "a laborer was killed": the passive.
    let passive = passive_after(c, i);
    // "a local leader of the party was beaten to death", "a suspect was
    // shot and died", "a man was found dead", "a 48-year-old displaced
    // person died": a person and a casualty predicate.
    let said = if killed_before || wounded_before || remains {
        None
    } else {
        victim_np(doc, words, &[], i, last, false)
            .and_then(|(_, e)| predicate_at(doc, words, e, last))
            .filter(|&(_, dead)| dead || to_death.is_none())
    };
    let body_end = body_found(c, words, i);
    if let Some((end, dead)) = said.or(body_end.map(|e| (e, true))) {
        return (!hypothetical(c, words, i)).then(|| Toll {
            additive: more,
            ..plain_toll(
                doc,
                s,
                (i, end),
                if dead {
                    TollKind::Killed
                } else {
                    TollKind::Injured
                },
                Quantity::exact(1),
                victim_phrase(doc, words, i + 1, last),
            )
        });
    }
    if key(i) == "another" {
        return None;
    }
    let kind = if killed_before || remains || to_death.is_some() {
        TollKind::Killed
    } else if wounded_before {
        TollKind::Injured
    } else if let Some((k, _)) = passive {
        if to_death.is_some() {
            TollKind::Killed
        } else {
            k
        }
    } else {
        return None;
    };
    let start = if killed_before || wounded_before {
        i - 1
    } else {
        i
    };
    let end = to_death.map_or_else(
        || passive.map_or((i + 3).min(last), |(_, e)| e.min(last)),
        |j| j + 2,
    );
    Some(plain_toll(
        doc,
        s,
        (start, end),
        kind,
        Quantity::exact(1),
        victim_phrase(doc, words, i + 1, last),
    ))
}

/// "a man was shot dead", "a laborer was killed": a passive casualty verb
/// within a few words after the article at `i`, what it counts and its end.
fn passive_after(c: Sentence, i: usize) -> Option<(TollKind, usize)> {
    let key = |i| c.key(i);
    let toks = c.tokens();
    (i + 2..c.last.min(i + 5))
        .take_while(|&j| toks[j - 1].kind == crate::model::TokenKind::Word)
        .find(|&j| matches!(key(j), "was" | "is"))
        .and_then(|j| {
            let (v, w) = (key(j + 1), key(j + 2));
            let killed = matches!(
                v,
                "killed" | "murdered" | "lynched" | "beheaded" | "assassinated" | "executed"
            ) || (v, w) == ("shot", "dead")
                || (v, w) == ("gunned", "down")
                || (v, w) == ("hacked", "to");
            let hurt = matches!(v, "wounded" | "injured" | "shot" | "stabbed" | "hurt");
            let end = if w == "dead" || w == "down" {
                j + 3
            } else {
                j + 2
            };
            if killed {
                Some((TollKind::Killed, end))
            } else if hurt {
                Some((TollKind::Injured, end))
            } else {
                None
            }
        })
}

/// "a [burned] body was found", "a man's body was recovered": the end of
/// the finding after the article at `i`.
fn body_found(c: Sentence, words: &TollWords, i: usize) -> Option<usize> {
    let (last, toks) = (c.last, c.tokens());
    let key = |i| c.key(i);
    // "a [burned] body was found".
    // "a body", "a burned body", "a man's body", "an old man's body".
    let found = (i + 1..last.min(i + 5))
        .find(|&j| matches!(key(j), "body" | "corpse"))
        .is_some_and(|j| {
            (i + 1..j).all(|x| {
                toks[x].kind == TokenKind::Word
                    && !words.is(key(x), PhraseEnd)
                    && !matches!(key(x), "his" | "her" | "their" | "its")
            })
        })
        && key(i.wrapping_sub(1)) != "by";
    found
        .then(|| {
            (i + 2..last.min(i + 8))
                .find(|&j| {
                    matches!(key(j), "found" | "discovered" | "recovered" | "dumped")
                        && matches!(key(j - 1), "was" | "been")
                })
                .map(|j| j + 1)
        })
        .flatten()
}

/// The words naming one victim after its article: "a polio worker on
/// Friday" → "polio worker"; at most three words, ending before a
/// preposition, conjunction or punctuation.
fn victim_phrase(doc: &Document, words: &TollWords, from: usize, last: usize) -> Option<String> {
    let toks = &doc.tokens;
    let end = (from..last.min(from + 3))
        .find(|&j| {
            toks[j].kind != crate::model::TokenKind::Word
                || words.is(toks[j].key.as_str(), VictimPhraseEnd)
        })
        .unwrap_or(last.min(from + 3));
    (end > from).then(|| {
        doc.slice([toks[from].span[0], toks[end - 1].span[1]])
            .to_string()
    })
}

/// "no one was killed", "nobody was hurt", "no casualties": stated as none.
fn negated_tolls(c: Sentence, words: &TollWords) -> Vec<Toll> {
    let (doc, s, first, last) = (c.doc, c.index, c.first, c.last);
    let toks = &doc.tokens;
    let mut out = Vec::new();
    let zero = Quantity {
        low: 0,
        high: 0,
        vague: false,
        qualifier: None,
    };
    let mut i = first;
    while i < last {
        let k = toks[i].key.as_str();
        let next = toks
            .get(i + 1)
            .filter(|_| i + 1 < last)
            .map_or("", |t| t.key.as_str());
        let (subject_len, is_subject) = match (k, next) {
            ("no", "one") => (2, true),
            ("nobody" | "none", _) => (1, true),
            ("no", "casualties" | "deaths" | "fatalities" | "injuries") => (1, false),
            ("without", "casualties") => (1, false),
            _ => (0, false),
        };
        if subject_len == 0 {
            i += 1;
            continue;
        }
        // "no casualties on the government side", "no deaths among the
        // troops": none for one party, not for the event.
        let after = i + subject_len + usize::from(!is_subject);
        let k_at = |j: usize| {
            toks.get(j)
                .filter(|_| j < last)
                .map_or("", |t| t.key.as_str())
        };
        let partial = k_at(after) == "among"
            || (k_at(after) == "on" || k_at(after) == "in")
                && (after + 1..(after + 5).min(last)).any(|j| matches!(k_at(j), "side" | "ranks"));
        if partial {
            i = after;
            continue;
        }
        let mut kinds = Vec::new();
        let mut end = i + subject_len;
        if is_subject {
            let mut j = i + subject_len;
            while j < last && j < i + subject_len + 4 {
                let w = toks[j].key.as_str();
                if matches!(w, "hurt" | "harmed") {
                    kinds = vec![TollKind::Killed, TollKind::Injured];
                } else if let Some(k) = words.counted(w) {
                    kinds = vec![k];
                }
                if !kinds.is_empty() {
                    end = j + 1;
                    break;
                }
                j += 1;
            }
        } else {
            let w = toks[i + 1].key.as_str();
            end = i + 2;
            kinds = match w {
                "casualties" => vec![TollKind::Killed, TollKind::Injured],
                "injuries" => vec![TollKind::Injured],
                _ => vec![TollKind::Killed],
            };
        }
        for kind in kinds {
            out.push(plain_toll(doc, s, (i, end), kind, zero.clone(), None));
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::numbers::find_numbers;

    fn tolls(text: &str) -> Vec<(TollKind, u64, u64, bool)> {
        let d = crate::recognise::numbers::tests_support::doc_of(text);
        let nums = find_numbers(&d, 0, &[]);
        find_tolls(&d, 0, &nums, &crate::Resources::shared().toll_words)
            .into_iter()
            .map(|t| (t.kind, t.quantity.low, t.quantity.high, t.update))
            .collect()
    }

    use TollKind::*;

    #[test]
    fn toll_phrasings() {
        assert_eq!(
            tolls("at least four people were killed in a car bomb"),
            [(Killed, 4, 4, false)]
        );
        assert_eq!(
            tolls("The blasts killed at least 48 people and wounded dozens more."),
            [(Killed, 48, 48, false), (Injured, 12, 12, false)]
        );
        assert_eq!(
            tolls("one person had been killed and three injured"),
            [(Killed, 1, 1, false), (Injured, 3, 3, false)]
        );
        assert_eq!(tolls("gave a toll of three dead."), [(Killed, 3, 3, false)]);
        assert_eq!(
            tolls("The death toll rose to 7 on Tuesday."),
            [(Killed, 7, 7, true)]
        );
        assert_eq!(
            tolls("The explosion left five dead and 12 wounded."),
            [(Killed, 5, 5, false), (Injured, 12, 12, false)]
        );
        assert_eq!(
            tolls("attacks which claim nearly 50 lives"),
            [(Killed, 50, 50, false)]
        );
        assert_eq!(
            tolls("Twenty-five soldiers lost their lives."),
            [(Killed, 25, 25, false)]
        );
        assert_eq!(
            tolls("Gunmen abducted 30 students."),
            [(Abducted, 30, 30, false)]
        );
        assert_eq!(
            tolls("Police arrested 14 suspects."),
            [(Arrested, 14, 14, false)]
        );
        assert_eq!(
            tolls("No one was killed in the blast."),
            [(Killed, 0, 0, false)]
        );
        assert_eq!(
            tolls("Nobody was hurt."),
            [(Killed, 0, 0, false), (Injured, 0, 0, false)]
        );
        assert_eq!(tolls("The bomb could have killed dozens."), []);
        assert_eq!(
            tolls("More than 290,000 people have been killed in Syria since March 2011."),
            [(Killed, 290_000, 290_000, false)]
        );
        assert_eq!(
            tolls("the bodies of 12 civilians were found"),
            [(Killed, 12, 12, false)]
        );
        assert_eq!(
            tolls("Kenyan police shot dead two protesters."),
            [(Killed, 2, 2, false)]
        );
        assert_eq!(
            tolls("killing a fruit vendor and injuring eleven people"),
            [(Injured, 11, 11, false), (Killed, 1, 1, false)]
        );
        assert_eq!(
            tolls("A mob beat a man to death in the town."),
            [(Killed, 1, 1, false)]
        );
        assert_eq!(
            tolls("It killed a dozen soldiers."),
            [(Killed, 12, 12, false)]
        );
        assert_eq!(tolls("At least twenty-five people, nine of them children, were killed when a jet bombed it."), [(Killed, 25, 25, false)]);
        assert_eq!(
            tolls("Four soldiers, including a captain, were martyred when a device went off."),
            [(Killed, 4, 4, false)]
        );
    }
}
