//! The text lab's teacher: a small causal character transformer (Burn's embeddings, attention
//! and layer norm), of another architecture than the students. It reads up to `context`
//! characters and gives, at every position, the distribution of the next one.

use burn::module::{Module, ModuleMapper, Param};
use burn::nn::attention::generate_autoregressive_mask;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::transformer::{
    TransformerEncoder, TransformerEncoderAutoregressiveCache, TransformerEncoderConfig, TransformerEncoderInput,
};
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, FloatDType};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::data::text::{VOCABULARY, Work};
use crate::error::RunError;
use crate::model::Precision;

/// The shipped teacher's weights, under the page's root.
pub const TEXT_TEACHER_PATH: &str = "models/text-teacher.bpk";

/// A character transformer's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransformerSpec {
    /// Characters it reads at most.
    pub context: usize,
    pub width: usize,
    pub layers: usize,
    pub heads: usize,
}

/// The shipped teacher's shape.
pub const TEACHER: TransformerSpec = TransformerSpec { context: 64, width: 128, layers: 4, heads: 4 };

impl TransformerSpec {
    /// A fresh network, its weights drawn from `seed` by our own generator rather than the
    /// device's (shared, and seeded once), so that the same seed gives the same network.
    pub fn init(&self, seed: u64, device: &Device) -> CharTransformer {
        self.init_with_dropout(seed, 0.0, device)
    }

    /// [`TransformerSpec::init`] with dropout at rate `dropout` in its blocks: it acts only on an
    /// autodiff device, so it regularizes training and leaves the file and every answer alone.
    pub fn init_with_dropout(&self, seed: u64, dropout: f64, device: &Device) -> CharTransformer {
        let blocks = TransformerEncoderConfig::new(self.width, 4 * self.width, self.heads, self.layers)
            .with_dropout(dropout)
            .with_norm_first(true);
        let network = CharTransformer {
            tokens: EmbeddingConfig::new(VOCABULARY, self.width).init(device),
            positions: EmbeddingConfig::new(self.context, self.width).init(device),
            blocks: blocks.init(device),
            norm: LayerNormConfig::new(self.width).init(device),
            out: LinearConfig::new(self.width, VOCABULARY).init(device),
        };
        network.map(&mut Draw { rng: StdRng::seed_from_u64(seed), path: Vec::new() })
    }

    pub fn label(&self) -> String {
        format!(
            "transformer ({} layers of width {}, {} heads, context {})",
            self.layers, self.width, self.heads, self.context
        )
    }
}

#[derive(Module, Debug)]
pub struct CharTransformer {
    tokens: Embedding,
    positions: Embedding,
    blocks: TransformerEncoder,
    norm: LayerNorm,
    out: Linear,
}

/// Draws every parameter afresh, as Burn's own initialisers would (weights uniform within
/// ±√(1/fan-in), embeddings with variance 1), from a seeded generator; biases start at zero and
/// layer norms at the identity.
struct Draw {
    rng: StdRng,
    path: Vec<String>,
}

impl ModuleMapper for Draw {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let tensor = param.val();
        let (shape, device) = (tensor.dims(), tensor.device());
        let count: usize = shape.iter().product();
        let embedding = self.path.iter().any(|name| name == "tokens" || name == "positions");
        let values: Vec<f32> = match (D, self.path.last().map(String::as_str)) {
            (1, Some("gamma")) => vec![1.0; count],
            (1, _) => vec![0.0; count],
            _ => {
                let bound = if embedding { 3.0f32.sqrt() } else { (1.0 / shape[0] as f32).sqrt() };
                (0..count).map(|_| self.rng.random_range(-bound..bound)).collect()
            }
        };
        Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), &device))
    }
}

/// Casts every float parameter, for a file at a chosen precision.
struct Cast(FloatDType);

impl ModuleMapper for Cast {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        Param::from_tensor(param.val().cast(self.0))
    }
}

impl CharTransformer {
    /// Characters it reads at most.
    pub fn context(&self) -> usize {
        self.positions.weight.shape()[0]
    }

    /// Logits `[batch, length, VOCABULARY]` for ids `[batch, length]`, each position seeing
    /// only those before it; `length` is at most the context.
    pub fn forward(&self, ids: Tensor<2, Int>) -> Tensor<3> {
        let x = self.blocks.forward(self.embed(ids));
        self.out.forward(self.norm.forward(x))
    }

    /// Each character's embedding plus its position's, masked so that a position sees only
    /// those before it.
    fn embed(&self, ids: Tensor<2, Int>) -> TransformerEncoderInput {
        let [batch, length] = ids.dims();
        let device = ids.device();
        let positions =
            Tensor::<1, Int>::arange(0..length as i64, &device).reshape([1, length]).expand([batch, length]);
        let x = self.tokens.forward(ids) + self.positions.forward(positions);
        TransformerEncoderInput::new(x).mask_attn(generate_autoregressive_mask(batch, length, &device))
    }

    /// A cache for [`CharTransformer::forward_cached`].
    pub fn new_cache(&self) -> TransformerEncoderAutoregressiveCache {
        self.blocks.new_autoregressive_cache()
    }

    /// The logits after the last position of `ids` (`[batch, 1, VOCABULARY]`), computing only
    /// the positions past those `cache` holds from earlier calls on the same rows.
    pub fn forward_cached(&self, ids: Tensor<2, Int>, cache: &mut TransformerEncoderAutoregressiveCache) -> Tensor<3> {
        let [batch, length] = ids.dims();
        let x = self.blocks.forward_autoregressive_inference(self.embed(ids), cache);
        let [_, _, width] = x.dims();
        self.out.forward(self.norm.forward(x.slice([0..batch, length - 1..length, 0..width])))
    }

    /// Mean cross-entropy, in nats per character, of predicting each id of `windows`
    /// (`[batch, length + 1]`) from those before it in its window.
    pub fn loss(&self, windows: Tensor<2, Int>) -> Tensor<1> {
        let [batch, width] = windows.dims();
        let length = width - 1;
        let inputs = windows.clone().slice([0..batch, 0..length]);
        let targets = windows.slice([0..batch, 1..width]).reshape([batch * length]);
        let logits = self.forward(inputs).reshape([batch * length, VOCABULARY]);
        CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, targets)
    }

    /// The weights in Burn's burnpack record format, at `precision`.
    pub fn to_bytes(&self, precision: Precision) -> Result<Vec<u8>, String> {
        let dtype = match precision {
            Precision::Half => FloatDType::F16,
            Precision::Full => FloatDType::F32,
        };
        let record = self.valid().map(&mut Cast(dtype)).into_record();
        Ok(record.into_bytes().map_err(|e| format!("the weights could not be written: {e}"))?.to_vec())
    }

    /// Reads weights written by [`CharTransformer::to_bytes`] into a network of shape `spec`.
    pub fn from_bytes(spec: &TransformerSpec, bytes: &[u8], device: &Device) -> Result<Self, RunError> {
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
            .map_err(|e| RunError::Assets(format!("the teacher's file is damaged or not a Burn record ({e})")))?
            .cast_to_module_dtype();
        spec.init(0, device)
            .try_load_record(record)
            .map_err(|e| RunError::Assets(format!("the teacher's file does not fit a {} ({e})", spec.label())))
    }
}

/// Consecutive windows of `length + 1` characters over `works` (each work's remainder left
/// out): how the held-out loss is measured, every character predicted from those before it in
/// its window.
pub fn consecutive_windows(works: &[Work], length: usize) -> Vec<i64> {
    works.iter().flat_map(|work| work.ids.chunks_exact(length + 1).flatten().map(|&id| id as i64)).collect()
}

/// The mean loss in nats per character over `windows` (from [`consecutive_windows`], rows of
/// `length + 1`), in batches of `batch` windows.
pub fn mean_loss(model: &CharTransformer, windows: &[i64], length: usize, batch: usize, device: &Device) -> f32 {
    let rows = windows.len() / (length + 1);
    let (mut total, mut counted) = (0.0f64, 0usize);
    for start in (0..rows).step_by(batch.max(1)) {
        let count = batch.min(rows - start);
        let slice = windows[start * (length + 1)..(start + count) * (length + 1)].to_vec();
        let ids = Tensor::<2, Int>::from_data(TensorData::new(slice, [count, length + 1]), device);
        let loss: f32 = model.loss(ids).into_scalar();
        total += loss as f64 * count as f64;
        counted += count;
    }
    // Nothing read is no figure, not a perfect one.
    if counted == 0 { f32::NAN } else { (total / counted as f64) as f32 }
}
