//! Documents in other languages than English are not coded but reported:
//! per document (`document.not_coded_language`) and in the summary line,
//! by `extract` and by `ingest`; `--all-languages` codes them anyway. The
//! sentences are written for this test.

mod common;

use common::warcoder;

use std::path::PathBuf;

use serde_json::Value;

const SPANISH: &str = "Hombres armados atacaron el martes un puesto de policía en las afueras de la ciudad y mataron a tres agentes, según informaron las autoridades locales. El ataque ocurrió poco después del amanecer.";
const FRENCH: &str = "Des hommes armés ont attaqué mardi un poste de police à la sortie de la ville et tué trois agents, selon les autorités locales. L'attaque a eu lieu peu après l'aube.";
const FRENCH_2: &str = "Une explosion a frappé un marché du centre-ville jeudi matin, faisant au moins cinq morts et une vingtaine de blessés, a indiqué la police.";
const ARABIC: &str = "هاجم مسلحون يوم الثلاثاء مركزا للشرطة في ضواحي المدينة وقتلوا ثلاثة من عناصره، بحسب ما أفادت السلطات المحلية.";
const ENGLISH: &str = "Gunmen attacked a police post on the outskirts of Peshawar on Tuesday and killed three officers, local authorities said.";
/// Too short to tell: coded as English.
const SHORT: &str = "Attaque à Gao";

fn corpus(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("warcoder-languages-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for (file, text) in [
        ("es.txt", SPANISH),
        ("fr.txt", FRENCH),
        ("fr2.txt", FRENCH_2),
        ("ar.txt", ARABIC),
        ("en.txt", ENGLISH),
        ("short.txt", SHORT),
    ] {
        std::fs::write(articles.join(file), text).unwrap();
    }
    dir
}

#[test]
fn extract_reports_each_document_and_the_summary() {
    let dir = corpus("extract");
    let (rc, out, err) = warcoder(&["extract", "--format", "jsonl", "articles"], &dir);
    assert_eq!(rc, 0, "{err}");
    let docs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let language = |file: &str| {
        let d = docs
            .iter()
            .find(|d| d["document"]["source"].as_str().unwrap().ends_with(file))
            .unwrap();
        (
            d["document"]["not_coded_language"]["name"]
                .as_str()
                .map(String::from),
            d["events"].as_array().unwrap().len(),
        )
    };
    assert_eq!(language("es.txt"), (Some("Spanish".into()), 0));
    assert_eq!(language("ar.txt"), (Some("Arabic".into()), 0));
    assert_eq!(language("fr2.txt"), (Some("French".into()), 0));
    let (none, events) = language("en.txt");
    assert_eq!(none, None);
    assert!(events > 0);
    assert_eq!(language("short.txt").0, None);
    assert!(
        err.contains(
            "skipped: 2 documents in French, 1 in Arabic, 1 in Spanish — not yet supported"
        ),
        "{err}"
    );

    let (rc, out, err) = warcoder(
        &[
            "extract",
            "--format",
            "jsonl",
            "--all-languages",
            "articles",
        ],
        &dir,
    );
    assert_eq!(rc, 0, "{err}");
    assert!(!out.contains("not_coded_language"));
    assert!(!err.contains("skipped:"), "{err}");
}

#[test]
fn ingest_counts_documents_by_language() {
    let dir = corpus("ingest");
    let (rc, out, err) = warcoder(&["ingest", "articles", "--db", "x.db", "--json"], &dir);
    assert_eq!(rc, 0, "{err}");
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        summary["skipped_languages"],
        serde_json::json!({"Arabic": 1, "French": 2, "Spanish": 1})
    );
    assert_eq!(summary["stored"], 6);
    assert!(
        err.contains("skipped: 2 documents in French, 1 in Arabic, 1 in Spanish"),
        "{err}"
    );
    let (rc, out, _) = warcoder(&["ingest", "articles", "--db", "y.db"], &dir);
    assert_eq!(rc, 0);
    assert!(
        out.contains("not coded (language)         4  (Arabic: 1, French: 2, Spanish: 1;"),
        "{out}"
    );
}
