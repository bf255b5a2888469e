//! The learned part of warcoder, kept free of I/O and of the pipeline's
//! types: features are strings hashed into a fixed space ([`FeatureSet`]),
//! models are multinomial logistic regressions over them ([`LinearModel`]),
//! fitted by [`train`] and stored as bytes ([`LinearModel::to_bytes`]).
//!
//! Why hand-written rather than linfa or smartcore: the whole model is a
//! couple of hundred lines, training is single-threaded SGD with a fixed
//! seed (the same examples give the same bytes, which a multi-threaded
//! solver cannot promise), prediction is a few hundred additions with no
//! allocation beyond the scores, and the dependency tree stays empty.

mod features;
mod linear;

pub use features::{hash_feature, Feature, FeatureSet};
pub use linear::{train, Example, LinearModel, ModelError, TrainOptions};
