//! The geoparser ranks candidates by document context: a weak name that
//! matches only a small place in another country loses to the text's own
//! country, containers ("the X neighbourhood of Homs") and datelines.

use warcoder_core::{annotate_text, Resources};

/// (mention text, resolved country, resolved name) of every place mention.
fn places(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let res = Resources::shared();
    let doc = annotate_text(text, None, res);
    doc.places
        .iter()
        .map(|m| {
            let e = m.resolved.as_ref().map(|r| res.gazetteer.entry(r.entry));
            (
                doc.slice(m.span).to_string(),
                e.map(|e| e.country_code().to_string()),
                e.map(|e| e.name.to_string()),
            )
        })
        .collect()
}

fn country_of(ps: &[(String, Option<String>, Option<String>)], needle: &str) -> Option<String> {
    ps.iter()
        .find(|p| p.0.contains(needle))
        .and_then(|p| p.1.clone())
}

#[test]
fn a_homs_neighbourhood_is_not_the_libyan_town() {
    let ps = places(
        "DAMASCUS: A car bomb exploded at the entrance to the Al Zahraa neighbourhood of Homs on Monday, Syrian state media said.",
    );
    assert_eq!(country_of(&ps, "Zahraa"), Some("SY".into()), "{ps:?}");
    assert_eq!(country_of(&ps, "Homs"), Some("SY".into()), "{ps:?}");
}

#[test]
fn a_road_west_of_the_capital_resolves_to_the_capital() {
    let ps = places(
        "A bomb hit a checkpoint on the Al-Sabura road west of the capital Damascus, the Syrian Observatory for Human Rights said.",
    );
    assert_eq!(country_of(&ps, "Sabura"), Some("SY".into()), "{ps:?}");
    let d = ps
        .iter()
        .find(|p| p.0.contains("Damascus"))
        .expect("Damascus");
    assert_eq!(d.2.as_deref(), Some("Damascus"));
}

#[test]
fn yemeni_context_picks_sanaa() {
    let ps = places(
        "SANAA: Houthi rebels fired missiles from Sana'a towards Marib, Yemeni officials said on Sunday.",
    );
    assert_eq!(country_of(&ps, "Sana'a"), Some("YE".into()), "{ps:?}");
    assert_eq!(country_of(&ps, "Marib"), Some("YE".into()), "{ps:?}");
}

#[test]
fn australian_states_and_compass_names() {
    let ps = places(
        "Racing was cancelled in the Australian states of New South Wales and Queensland after an outbreak near Sydney.",
    );
    assert_eq!(
        country_of(&ps, "New South Wales"),
        Some("AU".into()),
        "{ps:?}"
    );
    assert!(!ps.iter().any(|p| p.0 == "Wales"), "{ps:?}");
    assert_eq!(country_of(&ps, "Queensland"), Some("AU".into()), "{ps:?}");
}

#[test]
fn geographic_common_nouns_are_no_places_on_their_own() {
    let ps = places(
        "Swimmers were warned off the coast of Cape Peron, south of Perth, in Western Australia.",
    );
    assert!(!ps.iter().any(|p| p.0 == "Cape"), "{ps:?}");
    assert_eq!(country_of(&ps, "Perth"), Some("AU".into()), "{ps:?}");
}

#[test]
fn continents_are_places() {
    let ps = places("The virus has spread across Africa and reached Europe by March.");
    let africa = ps.iter().find(|p| p.0 == "Africa").expect("Africa");
    assert_eq!(africa.2.as_deref(), Some("Africa"));
}
