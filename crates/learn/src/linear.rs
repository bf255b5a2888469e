//! Multinomial logistic regression over hashed features, fitted by
//! averaged SGD, stored with one scale per feature row and i8 weights.

use crate::Feature;

/// One training example: its features (sorted, distinct buckets) and class.
#[derive(Debug, Clone)]
pub struct Example {
    pub features: Vec<Feature>,
    pub label: u16,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// log2 of the number of feature buckets.
    pub bits: u32,
    pub epochs: usize,
    pub learning_rate: f32,
    /// Buckets seen in fewer training examples keep no weight: rare
    /// features overfit and would only fatten the model file.
    pub min_count: u32,
    /// Seed of the deterministic shuffle.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            bits: 18,
            epochs: 10,
            learning_rate: 1.0,
            min_count: 2,
            seed: 13,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a warcoder model file (bad magic or version): retrain it with `warcoder train`")]
    Format,
    #[error("model file truncated at byte {0}: retrain it with `warcoder train`")]
    Truncated(usize),
}

/// A trained model. Weights are kept quantised as stored (i8 with a scale
/// per feature row), so memory is the file size plus a bucket index.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub classes: Vec<String>,
    bits: u32,
    /// Softmax temperature fitted on held-out predictions (1 = none).
    pub temperature: f32,
    bias: Vec<f32>,
    /// Bucket -> row number, u32::MAX for buckets without weights.
    index: Vec<u32>,
    buckets: Vec<u32>,
    scales: Vec<f32>,
    /// `classes.len()` weights per row, times the row's scale.
    weights: Vec<i8>,
}

const MAGIC: &[u8; 4] = b"WCLM";
const VERSION: u8 = 1;

/// splitmix64: a tiny deterministic generator for the shuffle.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn softmax(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

/// Fit a model to `examples` (labels index `classes`). `progress` is called
/// once per epoch with the epoch number.
pub fn train(
    examples: &[&Example],
    classes: Vec<String>,
    opts: &TrainOptions,
    progress: &mut dyn FnMut(usize),
) -> LinearModel {
    let k = classes.len();
    let size = 1usize << opts.bits;
    let mut counts = vec![0u32; size];
    for e in examples {
        for &(f, _) in &e.features {
            counts[f as usize] = counts[f as usize].saturating_add(1);
        }
    }
    let kept = |f: u32| counts[f as usize] >= opts.min_count;
    // Averaged SGD: `w` is the current iterate, `u` accumulates step * update
    // so that the average of all iterates is w - u / steps at the end.
    let mut w = vec![0f32; size * k];
    let mut u = vec![0f32; size * k];
    let mut bias = vec![0f32; k];
    let mut bias_u = vec![0f32; k];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = opts.seed;
    let mut step = 1f32;
    let mut p = vec![0f32; k];
    for epoch in 0..opts.epochs {
        for i in (1..order.len()).rev() {
            let j = (next_random(&mut rng) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let rate = opts.learning_rate / (1.0 + epoch as f32);
        for &i in &order {
            let e = examples[i];
            p.copy_from_slice(&bias);
            for &(f, x) in e.features.iter().filter(|f| kept(f.0)) {
                let row = &w[f as usize * k..][..k];
                for (s, wv) in p.iter_mut().zip(row) {
                    *s += wv * x;
                }
            }
            softmax(&mut p);
            p[e.label as usize] -= 1.0;
            for c in 0..k {
                let g = rate * p[c];
                if g.abs() < 1e-6 {
                    continue;
                }
                bias[c] -= g;
                bias_u[c] -= step * g;
                for &(f, x) in e.features.iter().filter(|f| kept(f.0)) {
                    let at = f as usize * k + c;
                    w[at] -= g * x;
                    u[at] -= step * g * x;
                }
            }
            step += 1.0;
        }
        progress(epoch + 1);
    }
    for (wv, uv) in w.iter_mut().zip(&u) {
        *wv -= uv / step;
    }
    for (b, bu) in bias.iter_mut().zip(&bias_u) {
        *b -= bu / step;
    }
    LinearModel::quantise(classes, opts.bits, bias, &w)
}

impl LinearModel {
    fn quantise(classes: Vec<String>, bits: u32, bias: Vec<f32>, w: &[f32]) -> Self {
        let k = classes.len();
        let mut index = vec![u32::MAX; 1 << bits];
        let (mut buckets, mut scales, mut weights) = (Vec::new(), Vec::new(), Vec::new());
        for (f, row) in w.chunks_exact(k).enumerate() {
            let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
            // Below this a row moves no probability by a thousandth.
            if max < 1e-3 {
                continue;
            }
            let scale = max / 127.0;
            index[f] = buckets.len() as u32;
            buckets.push(f as u32);
            scales.push(scale);
            weights.extend(row.iter().map(|v| (v / scale).round() as i8));
        }
        LinearModel {
            classes,
            bits,
            temperature: 1.0,
            bias,
            index,
            buckets,
            scales,
            weights,
        }
    }

    /// The feature space the model was trained in (log2 of the buckets).
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Raw class scores (before the softmax) for an example's buckets.
    pub fn scores(&self, features: &[Feature]) -> Vec<f32> {
        let k = self.classes.len();
        let mut s = self.bias.clone();
        for &(f, x) in features {
            let Some(&row) = self.index.get(f as usize) else {
                continue;
            };
            if row == u32::MAX {
                continue;
            }
            let scale = self.scales[row as usize] * x;
            for (sc, &wv) in s.iter_mut().zip(&self.weights[row as usize * k..][..k]) {
                *sc += f32::from(wv) * scale;
            }
        }
        s
    }

    /// Class probabilities, calibrated by the fitted temperature.
    pub fn probabilities(&self, features: &[Feature]) -> Vec<f32> {
        let mut s = self.scores(features);
        for v in s.iter_mut() {
            *v /= self.temperature;
        }
        softmax(&mut s);
        s
    }

    /// The most probable class and its probability.
    pub fn predict(&self, features: &[Feature]) -> (usize, f32) {
        let p = self.probabilities(features);
        let (best, prob) =
            p.iter()
                .enumerate()
                .fold((0, f32::MIN), |b, (i, &v)| if v > b.1 { (i, v) } else { b });
        (best, prob)
    }

    /// What one feature bucket adds to class `class`'s score (for explanations).
    pub fn weight(&self, bucket: u32, class: usize) -> f32 {
        match self.index.get(bucket as usize) {
            Some(&row) if row != u32::MAX => {
                let k = self.classes.len();
                f32::from(self.weights[row as usize * k + class]) * self.scales[row as usize]
            }
            _ => 0.0,
        }
    }

    /// Little-endian bytes: magic, version, bits, temperature, classes,
    /// bias, then one (bucket, scale, weights) record per kept row.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() + self.buckets.len() * 8 + 256);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(self.bits as u8);
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&(self.classes.len() as u16).to_le_bytes());
        for c in &self.classes {
            out.extend_from_slice(&(c.len() as u16).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        for b in &self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out.extend_from_slice(&(self.buckets.len() as u32).to_le_bytes());
        let k = self.classes.len();
        for (r, (&bucket, &scale)) in self.buckets.iter().zip(&self.scales).enumerate() {
            out.extend_from_slice(&bucket.to_le_bytes());
            out.extend_from_slice(&scale.to_le_bytes());
            out.extend(self.weights[r * k..][..k].iter().map(|&v| v as u8));
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC || r.u8()? != VERSION {
            return Err(ModelError::Format);
        }
        let bits = u32::from(r.u8()?);
        if bits > 24 {
            return Err(ModelError::Format);
        }
        let temperature = r.f32()?;
        let k = r.u16()? as usize;
        let mut classes = Vec::with_capacity(k);
        for _ in 0..k {
            let n = r.u16()? as usize;
            let name = std::str::from_utf8(r.take(n)?).map_err(|_| ModelError::Format)?;
            classes.push(name.to_string());
        }
        let bias = (0..k).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let rows = r.u32()? as usize;
        let mut index = vec![u32::MAX; 1 << bits];
        let mut buckets = Vec::with_capacity(rows);
        let mut scales = Vec::with_capacity(rows);
        let mut weights = Vec::with_capacity(rows * k);
        for row in 0..rows {
            let bucket = r.u32()?;
            *index.get_mut(bucket as usize).ok_or(ModelError::Format)? = row as u32;
            buckets.push(bucket);
            scales.push(r.f32()?);
            weights.extend(r.take(k)?.iter().map(|&v| v as i8));
        }
        Ok(LinearModel {
            classes,
            bits,
            temperature,
            bias,
            index,
            buckets,
            scales,
            weights,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let s = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or(ModelError::Truncated(self.at))?;
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two classes told apart by one feature each, with a shared noise feature.
    fn toy() -> Vec<Example> {
        (0..200)
            .map(|i| Example {
                features: if i % 2 == 0 {
                    vec![(1, 1.0), (7, 1.0)]
                } else {
                    vec![(2, 1.0), (7, 1.0)]
                },
                label: (i % 2) as u16,
            })
            .collect()
    }

    fn fit(ex: &[Example]) -> LinearModel {
        let refs: Vec<&Example> = ex.iter().collect();
        let opts = TrainOptions {
            bits: 4,
            ..Default::default()
        };
        train(&refs, vec!["a".into(), "b".into()], &opts, &mut |_| {})
    }

    #[test]
    fn learns_separable_classes() {
        let m = fit(&toy());
        assert_eq!(m.predict(&[(1, 1.0), (7, 1.0)]).0, 0);
        assert_eq!(m.predict(&[(2, 1.0), (7, 1.0)]).0, 1);
        assert!(m.predict(&[(1, 1.0), (7, 1.0)]).1 > 0.8);
        assert!(m.weight(1, 0) > 0.0 && m.weight(2, 0) < 0.0);
    }

    #[test]
    fn training_is_deterministic_and_bytes_round_trip() {
        let a = fit(&toy());
        let b = fit(&toy());
        assert_eq!(a.to_bytes(), b.to_bytes());
        let back = LinearModel::from_bytes(&a.to_bytes()).expect("parses");
        assert_eq!(back, a);
        assert!(LinearModel::from_bytes(b"nope").is_err());
        assert!(LinearModel::from_bytes(&a.to_bytes()[..20]).is_err());
    }
}
