//! One line for each ACLED, CAMEO and PLOVER term the output and the
//! exports use: the command line's help (`extract`, `events`) and
//! docs/codes.md both show this list, and a test keeps the doc in step.

/// `(term, what it means)`, in the order a reader meets them in an ACLED row.
pub const TERMS: &[(&str, &str)] = &[
    ("event_type", "one of ACLED's 6 event types: Battles, Explosions/Remote violence, Violence against civilians, Protests, Riots, Strategic developments"),
    ("sub_event_type", "one of ACLED's 25 finer types, each under one event type (e.g. Armed clash under Battles)"),
    ("disorder_type", "ACLED's grouping of sub-event types: Political violence, Demonstrations, both, or Strategic developments"),
    ("actor1, actor2", "the side that acted and the side acted upon; assoc_actor_1/2 name those who acted with them"),
    ("inter1, inter2", "the type of actor1 and actor2 as a code: 1 State Forces, 2 Rebel Groups, 3 Political Militias, 4 Identity Militias, 5 Rioters, 6 Protesters, 7 Civilians, 8 External/Other Forces"),
    ("interaction", "inter1 and inter2 joined lowest first (13: State Forces against Political Militias); X0 when one type acted alone (60: protesters)"),
    ("civilian_targeting", "\"Civilian targeting\" when civilians were the target of the violence, else empty"),
    ("time_precision", "how exactly the date is known: 1 the day, 2 the week, 3 the month or coarser"),
    ("geo_precision", "how exactly the place is known: 1 the town itself, 2 near or part of a town, 3 only a larger region"),
    ("admin1, admin2", "the first- and second-level administrative divisions holding the place (province, district)"),
    ("fatalities", "reported deaths: ACLED codes the most conservative current estimate (warcoder's best; low and high are kept)"),
    ("source_scale", "where the outlets are based against the event's country: National, Regional, International, joined when several"),
    ("event_id_cnty", "the event's identifier: the country's ISO3 code and a number"),
    ("background", "an event the article cites for context (an earlier attack), not the news it reports: stored, never an incident"),
    ("CAMEO", "the Conflict and Mediation Event Observations code of the act (e.g. 1831 suicide bombing), as GDELT uses it"),
    ("PLOVER", "the event type of the newer PLOVER ontology (ASSAULT, PROTEST, COERCE ...) with its mode (aerial, firearms ...)"),
    ("quad_code", "PLOVER's four classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
];

/// The terms as help text: a heading and one aligned line per term.
pub fn help_text() -> String {
    let width = TERMS.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
    let mut text = String::from("ACLED, CAMEO and PLOVER terms in the output:\n");
    for (term, meaning) in TERMS {
        text.push_str(&format!("  {term:<width$}  {meaning}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::Ontology;

    /// The lines that name vocabulary name the ontology's, not a copy that
    /// could drift: every event type and every inter label is in them.
    #[test]
    fn terms_name_the_ontologys_vocabulary() {
        let o = Ontology::embedded();
        let line = |term: &str| TERMS.iter().find(|(t, _)| *t == term).unwrap().1;
        for t in &o.event_types {
            assert!(line("event_type").contains(t.as_str()), "{t}");
        }
        assert!(line("sub_event_type").contains(&o.sub_event_types.len().to_string()));
        for (code, label) in &o.inter {
            assert!(
                line("inter1, inter2").contains(&format!("{code} {label}")),
                "{code} {label}"
            );
        }
        assert!(help_text().lines().count() == TERMS.len() + 1);
    }
}
