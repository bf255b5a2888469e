//! `extract --explain`: each learned event type comes with the words (as
//! spans into the text) and rule facts that weighed most for it.

mod common;

use common::warcoder;

use serde_json::Value;

#[test]
fn explain_adds_the_words_behind_each_learned_type() {
    let dir = std::env::temp_dir().join(format!("warcoder-explain-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = "Militants shelled the village of Kuka in Zamfara state on Tuesday, killing five civilians, police said.\n";
    std::fs::write(dir.join("a.txt"), text).unwrap();
    let (rc, out, err) = warcoder(&["extract", "--explain", "a.txt"], &dir);
    assert_eq!(rc, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let event = &v["events"][0];
    if event["type_confidence"].is_null() {
        println!("skipped: no embedded sub-event model");
        return;
    }
    let reasons = event["type_explanation"]
        .as_array()
        .expect("an explanation");
    assert!(!reasons.is_empty());
    for r in reasons {
        if let Some(span) = r["span"].as_array() {
            let (a, b) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[a..b], r["text"].as_str().unwrap());
        }
    }
    // Without the flag the field is absent.
    let (_, plain, _) = warcoder(&["extract", "a.txt"], &dir);
    assert!(!plain.contains("type_explanation"));
    // A format without room for it is refused, saying which formats have.
    let (rc, _, err) = warcoder(
        &["extract", "--explain", "--format", "acled", "a.txt"],
        &dir,
    );
    assert_ne!(rc, 0);
    assert!(err.contains("--format json or jsonl"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
