//! Hashed sparse features: each feature is a string ("w=killed",
//! "trigger=clash:asserted") hashed with 64-bit FNV-1a into `2^bits` buckets.
//! FNV, not the standard library's hasher: the buckets must be the same in
//! every process and on every machine, or a stored model means nothing.

/// The bucket of a feature string in a space of `2^bits` buckets.
pub fn hash_feature(feature: &str, bits: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in feature.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Fold the high bits in: FNV's low bits alone mix poorly.
    ((h ^ (h >> 32)) & ((1u64 << bits) - 1)) as u32
}

/// A feature bucket with its value.
pub type Feature = (u32, f32);

/// The features of one example in two groups, each scaled to unit length
/// on its own: the words of a text (many, more the longer the text) and the
/// facts about it (few: what the rules found). Scaled together, the facts
/// would fade in a long article's many words and the class prior would win.
#[derive(Debug, Clone)]
pub struct FeatureSet {
    bits: u32,
    words: Vec<u32>,
    facts: Vec<u32>,
    /// Words of the surroundings (the whole document around an event):
    /// a group of their own, so that a long text does not dilute the
    /// event's own words.
    context: Vec<u32>,
    scratch: String,
    /// Each feature's string with its bucket, kept only when explaining.
    names: Option<Vec<(u32, String)>>,
}

impl FeatureSet {
    pub fn new(bits: u32) -> Self {
        FeatureSet {
            bits,
            words: Vec::new(),
            facts: Vec::new(),
            context: Vec::new(),
            scratch: String::new(),
            names: None,
        }
    }

    /// A feature set that also keeps each feature's string, so that a
    /// model's decision can be explained in words ([`Self::finish_named`]).
    pub fn named(bits: u32) -> Self {
        FeatureSet {
            names: Some(Vec::new()),
            ..Self::new(bits)
        }
    }

    fn bucket(&mut self, parts: &[&str]) -> u32 {
        self.scratch.clear();
        for p in parts {
            self.scratch.push_str(p);
        }
        let bucket = hash_feature(&self.scratch, self.bits);
        if let Some(names) = &mut self.names {
            names.push((bucket, self.scratch.clone()));
        }
        bucket
    }

    /// Add the word feature `prefix` + `value` ("w=" + "killed").
    pub fn add(&mut self, prefix: &str, value: &str) {
        self.add_parts(&[prefix, value]);
    }

    /// Add the word feature made of `parts` joined ("b=", "opened", "|",
    /// "fire"), without building the string per feature.
    pub fn add_parts(&mut self, parts: &[&str]) {
        let b = self.bucket(parts);
        self.words.push(b);
    }

    /// Add a fact feature ("trig=" + "clash").
    pub fn add_fact(&mut self, prefix: &str, value: &str) {
        let b = self.bucket(&[prefix, value]);
        self.facts.push(b);
    }

    /// Add a context feature ("d=" + "striker").
    pub fn add_context(&mut self, prefix: &str, value: &str) {
        let b = self.bucket(&[prefix, value]);
        self.context.push(b);
    }

    /// Sorted by bucket; a feature counts once however often it occurs, and
    /// each group weighs 1/sqrt(its size) per feature.
    pub fn finish(self) -> Vec<Feature> {
        self.finish_named().0
    }

    /// [`Self::finish`], with the string of every feature added (each
    /// once, in the order first added; empty unless made by [`Self::named`]).
    pub fn finish_named(self) -> (Vec<Feature>, Vec<(u32, String)>) {
        let mut names = self.names.unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        names.retain(|(_, name)| seen.insert(name.clone()));
        let mut out: Vec<Feature> = Vec::with_capacity(self.words.len() + self.facts.len());
        for mut group in [self.words, self.facts, self.context] {
            group.sort_unstable();
            group.dedup();
            let value = 1.0 / (group.len().max(1) as f32).sqrt();
            out.extend(group.into_iter().map(|b| (b, value)));
        }
        out.sort_by_key(|f| f.0);
        (out, names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_is_stable_and_bounded() {
        // A stored model depends on these exact values.
        assert_eq!(hash_feature("w=killed", 18), hash_feature("w=killed", 18));
        assert_ne!(hash_feature("w=killed", 18), hash_feature("w=wounded", 18));
        for f in ["", "a", "w=protest", "b=opened|fire"] {
            assert!(hash_feature(f, 10) < 1024);
        }
    }

    #[test]
    fn feature_set_is_sorted_and_distinct() {
        let mut fs = FeatureSet::new(18);
        fs.add("w=", "fire");
        fs.add("w=", "opened");
        fs.add("w=", "fire");
        fs.add("w=", "at");
        fs.add("w=", "police");
        fs.add_fact("trig=", "attack");
        let b = fs.finish();
        assert_eq!(b.len(), 5);
        assert!(b.windows(2).all(|w| w[0].0 <= w[1].0));
        let fact = hash_feature("trig=attack", 18);
        assert!(b.contains(&(fact, 1.0)));
        assert!(b.contains(&(hash_feature("w=fire", 18), 0.5)));
    }

    #[test]
    fn context_words_weigh_as_a_group_of_their_own() {
        let mut fs = FeatureSet::new(18);
        fs.add("w=", "bombing");
        for w in ["striker", "match", "season", "goal"] {
            fs.add_context("d=", w);
        }
        let b = fs.finish();
        let weight = |f: &str| b.iter().find(|x| x.0 == hash_feature(f, 18)).unwrap().1;
        assert_eq!(weight("w=bombing"), 1.0);
        assert_eq!(weight("d=striker"), 0.5);
    }

    #[test]
    fn a_named_feature_set_keeps_each_string_once_and_the_same_buckets() {
        let add = |fs: &mut FeatureSet| {
            fs.add("w=", "fire");
            fs.add_parts(&["b=", "opened", "|", "fire"]);
            fs.add("w=", "fire");
            fs.add_fact("trig=", "attack");
        };
        let (mut plain, mut named) = (FeatureSet::new(18), FeatureSet::named(18));
        add(&mut plain);
        add(&mut named);
        let (features, names) = named.finish_named();
        assert_eq!(features, plain.finish());
        let strings: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(strings, ["w=fire", "b=opened|fire", "trig=attack"]);
        assert!(names.iter().all(|(b, n)| *b == hash_feature(n, 18)));
    }
}
