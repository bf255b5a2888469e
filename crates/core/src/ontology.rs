//! The public ontologies as data (`data/ontology/`): ACLED event and
//! sub-event types with their disorder type, CAMEO code and PLOVER type and
//! mode; the CAMEO and PLOVER code lists; ACLED actor types; ACLED's
//! countries with their ISO codes and regions.

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
    /// PLOVER contexts every event of the class has.
    pub plover_context: Vec<String>,
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
    /// PLOVER type -> quad category (1 verbal cooperation, 2 material
    /// cooperation, 3 verbal conflict, 4 material conflict).
    pub plover_quad: HashMap<String, u8>,
    /// ACLED inter code -> PLOVER sector code.
    pub plover_sector: HashMap<u8, String>,
    countries: Vec<AcledCountry>,
    by_iso2: HashMap<String, usize>,
    /// Outlet host -> where it is based (ISO2, or INT for one that covers
    /// the world), for ACLED's `source_scale`.
    outlet_homes: HashMap<String, String>,
}

/// A country as ACLED's exports name it (`data/ontology/acled_countries.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcledCountry {
    pub iso2: String,
    pub iso3: String,
    /// ISO 3166-1 numeric (ACLED's `iso`); 0 for Kosovo, which has none.
    pub iso_numeric: u16,
    /// ACLED's spelling ("Democratic Republic of Congo").
    pub name: String,
    /// One of ACLED's regions ("Middle Africa").
    pub region: String,
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
            plover_context: field(&r, 7)
                .split('|')
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
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
        let inter_rows: Vec<_> =
            tsv_rows(include_str!("../../../data/ontology/acled_inter.tsv")).collect();
        let inter = inter_rows
            .iter()
            .filter_map(|r| Some((field(r, 0).parse().ok()?, field(r, 1).to_string())))
            .collect();
        let plover_sector = inter_rows
            .iter()
            .filter_map(|r| Some((field(r, 0).parse().ok()?, field(r, 3).to_string())))
            .collect();
        let plover_quad = tsv_rows(include_str!("../../../data/ontology/plover.tsv"))
            .filter_map(|r| Some((field(&r, 0).to_string(), field(&r, 4).parse().ok()?)))
            .collect();
        let countries: Vec<AcledCountry> =
            tsv_rows(include_str!("../../../data/ontology/acled_countries.tsv"))
                .map(|r| AcledCountry {
                    iso2: field(&r, 0).into(),
                    iso3: field(&r, 1).into(),
                    iso_numeric: field(&r, 2).parse().unwrap_or(0),
                    name: field(&r, 3).into(),
                    region: field(&r, 4).into(),
                })
                .collect();
        let outlet_homes = tsv_rows(include_str!("../../../data/lexicon/outlets.tsv"))
            .map(|r| (field(&r, 0).to_ascii_lowercase(), field(&r, 1).to_string()))
            .collect();
        let by_iso2 = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso2.clone(), i))
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
            plover_quad,
            plover_sector,
            countries,
            by_iso2,
            outlet_homes,
        }
    }

    /// ACLED's record of a country, by ISO 3166-1 alpha-2 code (any case).
    pub fn country(&self, iso2: &str) -> Option<&AcledCountry> {
        let key = iso2.trim().to_ascii_uppercase();
        self.by_iso2.get(&key).map(|&i| &self.countries[i])
    }

    /// Where an outlet (a host such as "dawn.com") is based: ISO2, or
    /// "INT" for a wire service; from the table, else from a country-code
    /// domain ("tribune.com.pk", "bbc.co.uk" is in the table). None when
    /// unknown (a generic domain, a file name).
    pub fn outlet_home(&self, outlet: &str) -> Option<&str> {
        let host = outlet.trim().to_ascii_lowercase();
        if let Some(home) = self.outlet_homes.get(&host) {
            return Some(home);
        }
        let tld = host.rsplit('.').next().filter(|t| *t != host)?;
        // Country-code domains sold as generic ones say nothing of a home.
        const GENERIC: [&str; 8] = ["co", "io", "tv", "me", "fm", "ai", "ly", "cc"];
        if tld.len() != 2 || GENERIC.contains(&tld) {
            return None;
        }
        let iso2 = if tld == "uk" {
            "GB".to_string()
        } else {
            tld.to_ascii_uppercase()
        };
        self.country(&iso2).map(|c| c.iso2.as_str())
    }

    /// ACLED's regions, each once, in table order.
    pub fn regions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.countries {
            if !out.contains(&c.region.as_str()) {
                out.push(&c.region);
            }
        }
        out
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
        assert_eq!(o.plover_sector.len(), 8);
        assert_eq!(o.plover_quad.len(), 16);
        assert!(o.plover_quad.values().all(|q| (1..=4).contains(q)));
        for s in &o.sub_event_types {
            assert!(o.event_types.contains(&s.event_type), "{}", s.event_type);
        }
    }

    #[test]
    fn acled_countries_carry_iso_codes_and_regions() {
        let o = Ontology::embedded();
        let ng = o.country("ng").expect("Nigeria");
        assert_eq!((ng.iso3.as_str(), ng.iso_numeric), ("NGA", 566));
        assert_eq!(ng.region, "Western Africa");
        let cd = o.country("CD").expect("DR Congo");
        assert_eq!(cd.name, "Democratic Republic of Congo");
        assert_eq!(o.country("AF").unwrap().region, "Caucasus and Central Asia");
        // ACLED's 17 regions (acledR acled_regions, less the two it split).
        assert!(o.regions().len() >= 16, "{:?}", o.regions());
        assert!(o.country("XX").is_none());
        assert_eq!(o.outlet_home("reuters.com"), Some("INT"));
        assert_eq!(o.outlet_home("tribune.com.pk"), Some("PK"));
        assert_eq!(o.outlet_home("news.bbc.co.uk"), Some("GB"));
        assert_eq!(o.outlet_home("example.org"), None);
        assert_eq!(o.outlet_home("a.txt"), None);
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
