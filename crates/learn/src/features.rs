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

/// The features of one example, as sorted, distinct buckets.
#[derive(Debug, Clone)]
pub struct FeatureSet {
    bits: u32,
    buckets: Vec<u32>,
    scratch: String,
}

impl FeatureSet {
    pub fn new(bits: u32) -> Self {
        FeatureSet {
            bits,
            buckets: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Add the feature `prefix` + `value` ("w=" + "killed") without
    /// allocating a string per feature.
    pub fn add(&mut self, prefix: &str, value: &str) {
        self.scratch.clear();
        self.scratch.push_str(prefix);
        self.scratch.push_str(value);
        self.buckets.push(hash_feature(&self.scratch, self.bits));
    }

    /// Sorted, without repeats: a feature counts once however often it occurs.
    pub fn finish(mut self) -> Vec<u32> {
        self.buckets.sort_unstable();
        self.buckets.dedup();
        self.buckets
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
        let b = fs.finish();
        assert_eq!(b.len(), 2);
        assert!(b[0] < b[1]);
    }
}
