//! The digits lab's shipped files, decoded and checked in one place: the engine fetches them and
//! the shell reads them, and both hand the bytes here.

use burn::prelude::*;

use crate::data::{Digits, Split, digits};
use crate::error::RunError;
use crate::metrics::{agreement, predictions};
use crate::model::Mlp;
use crate::protocol::DigitsView;

/// Where the page finds them, beside itself (so that the app works from any folder it is served
/// from), and the shell under `www/`.
pub const DIGITS_PATH: &str = "data/digits.bin.gz";
pub const TEACHER_PATH: &str = "models/digits-teacher.bpk";
/// Test digits per class in the page's gallery.
const GALLERY_PER_CLASS: usize = 3;

pub struct DigitsAssets {
    pub split: Split,
    pub teacher_weights: Vec<u8>,
    /// Test rows the page shows, and the images themselves.
    pub gallery_rows: Vec<usize>,
    pub gallery: DigitsView,
}

impl DigitsAssets {
    /// `digits` is the digits file unpacked, read from `source`; errors are sentences that name it.
    pub fn decode(digits: &[u8], source: &str, teacher_weights: Vec<u8>) -> Result<Self, RunError> {
        let digits = Digits::decode(digits)
            .map_err(|e| RunError::Assets(format!("The digits data file ({source}) is damaged: {e}.")))?;
        let split = digits.split();
        let gallery_rows = Digits::gallery_rows(&split.test.labels, split.test.classes, GALLERY_PER_CLASS);
        let image = split.test.dims;
        let gallery = DigitsView {
            width: digits.width,
            height: digits.height,
            pixels: gallery_rows
                .iter()
                .flat_map(|&row| split.test.features[row * image..(row + 1) * image].iter())
                .map(|&v| (v * 255.0).round().clamp(0.0, 255.0) as u8)
                .collect(),
            labels: gallery_rows.iter().map(|&row| split.test.labels[row] as u8).collect(),
            queries: Vec::new(),
        };
        Ok(Self { split, teacher_weights, gallery_rows, gallery })
    }

    /// Loads the teacher on `device` and proves it on the test digits: weights that load but
    /// classify badly are damaged. Once is enough; the files never change after loading.
    /// `source` names the teacher's file in the message.
    pub async fn check_teacher(&self, source: &str, device: &Device) -> Result<(), RunError> {
        let spec = digits::teacher_spec();
        let teacher = Mlp::from_bytes(&spec, &self.teacher_weights, device).map_err(|e| {
            RunError::Assets(format!("The digits teacher could not be used ({source}): {}.", e.message()))
        })?;
        let test = &self.split.test;
        let inputs = Tensor::<2>::from_data(TensorData::new(test.features.clone(), [test.len(), test.dims]), device);
        let logits = teacher
            .forward(inputs)
            .into_data_async()
            .await
            .map_err(|e| RunError::executing("checking the digits teacher", e))?
            .convert::<f32>()
            .try_to_vec::<f32>()
            .map_err(|e| RunError::Device(format!("Reading results from the device failed: {e:?}.")))?;
        let accuracy = agreement(&predictions(&logits, spec.classes, None), &test.labels);
        digits::check_teacher_accuracy(accuracy)
            .map_err(|e| RunError::Assets(format!("The digits teacher is unusable ({source}): {e}.")))
    }
}
