//! The public ontologies as data (`data/ontology/`): ACLED event and
//! sub-event types with their disorder type, CAMEO code and PLOVER type and
//! mode; the CAMEO and PLOVER code lists; ACLED actor types.

use std::collections::HashMap;

use crate::lexicon::{field, tsv_rows};

#[derive(Debug, Clone)]
pub struct SubEventType {
    pub event_type: String,
    pub sub_event_type: String,
    pub disorder_type: String,
    pub cameo: String,
    pub plover: String,
    pub plover_mode: Option<String>,
    pub definition: String,
}

pub struct Ontology {
    pub sub_event_types: Vec<SubEventType>,
    by_sub: HashMap<String, usize>,
    /// CAMEO code -> name.
    pub cameo: HashMap<String, String>,
    /// PLOVER type -> modes.
    pub plover: HashMap<String, Vec<String>>,
    /// ACLED inter code -> label.
    pub inter: HashMap<u8, String>,
    pub event_types: Vec<String>,
}

impl Ontology {
    pub fn embedded() -> Self {
        let sub_event_types: Vec<SubEventType> = tsv_rows(include_str!(
            "../../../data/ontology/acled_sub_event_types.tsv"
        ))
        .map(|r| SubEventType {
            event_type: field(&r, 0).into(),
            sub_event_type: field(&r, 1).into(),
            disorder_type: field(&r, 2).into(),
            cameo: field(&r, 3).into(),
            plover: field(&r, 4).into(),
            plover_mode: Some(field(&r, 5).to_string()).filter(|m| !m.is_empty()),
            definition: field(&r, 6).into(),
        })
        .collect();
        let by_sub = sub_event_types
            .iter()
            .enumerate()
            .map(|(i, s)| (s.sub_event_type.clone(), i))
            .collect();
        let cameo = tsv_rows(include_str!("../../../data/ontology/cameo.tsv"))
            .map(|r| (field(&r, 0).to_string(), field(&r, 1).to_string()))
            .collect();
        let plover = tsv_rows(include_str!("../../../data/ontology/plover.tsv"))
            .map(|r| {
                let modes = field(&r, 2)
                    .split('|')
                    .filter(|m| !m.is_empty())
                    .map(String::from)
                    .collect();
                (field(&r, 0).to_string(), modes)
            })
            .collect();
        let inter = tsv_rows(include_str!("../../../data/ontology/acled_inter.tsv"))
            .filter_map(|r| Some((field(&r, 0).parse().ok()?, field(&r, 1).to_string())))
            .collect();
        let event_types = tsv_rows(include_str!("../../../data/ontology/acled_event_types.tsv"))
            .map(|r| field(&r, 0).to_string())
            .collect();
        Ontology {
            sub_event_types,
            by_sub,
            cameo,
            plover,
            inter,
            event_types,
        }
    }

    pub fn sub_event(&self, name: &str) -> Option<&SubEventType> {
        self.by_sub.get(name).map(|&i| &self.sub_event_types[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_taxonomy_is_complete() {
        let o = Ontology::embedded();
        assert_eq!(o.event_types.len(), 6);
        assert_eq!(o.sub_event_types.len(), 25);
        assert_eq!(o.inter.len(), 8);
        for s in &o.sub_event_types {
            assert!(o.event_types.contains(&s.event_type), "{}", s.event_type);
        }
    }

    #[test]
    fn every_sub_event_type_maps_to_cameo_and_plover() {
        let o = Ontology::embedded();
        for s in &o.sub_event_types {
            assert!(
                o.cameo.contains_key(&s.cameo),
                "{}: CAMEO {} unknown",
                s.sub_event_type,
                s.cameo
            );
            let modes = o
                .plover
                .get(&s.plover)
                .unwrap_or_else(|| panic!("{}: PLOVER {} unknown", s.sub_event_type, s.plover));
            match &s.plover_mode {
                Some(m) => assert!(
                    modes.contains(m),
                    "{}: mode {m} not a mode of {}",
                    s.sub_event_type,
                    s.plover
                ),
                None => assert!(
                    modes.is_empty() || s.plover != "ASSAULT",
                    "{}: ASSAULT needs a mode",
                    s.sub_event_type
                ),
            }
        }
    }

    #[test]
    fn every_trigger_codes_to_a_known_type() {
        let o = Ontology::embedded();
        let t = crate::recognise::triggers::TriggerLexicon::from_tsv(include_str!(
            "../../../data/lexicon/triggers.tsv"
        ));
        for e in &t.entries {
            match &e.sub_event_type {
                Some(s) => assert!(
                    o.sub_event(s).is_some(),
                    "trigger {:?}: unknown sub-event type {s}",
                    e.phrase
                ),
                None => {
                    let cameo = e
                        .cameo
                        .as_ref()
                        .expect("a trigger ACLED does not code carries its CAMEO code");
                    assert!(
                        o.cameo.contains_key(cameo),
                        "trigger {:?}: CAMEO {cameo}",
                        e.phrase
                    );
                    assert!(
                        o.plover.contains_key(e.plover.as_deref().unwrap_or("")),
                        "trigger {:?}: PLOVER",
                        e.phrase
                    );
                }
            }
        }
    }
}
