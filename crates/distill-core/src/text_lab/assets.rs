//! The text lab's shipped files, decoded and checked in one place: the corpus against its
//! checksum, the teacher against its held-out loss (weights that load but predict badly are
//! damaged). The engine fetches them and the shell reads them; both hand the bytes here.

use burn::prelude::*;

use super::language_model::{CharTransformer, TEACHER, consecutive_windows, mean_loss};
use crate::data::text::{Corpus, Work};
use crate::error::RunError;

/// The load check reads this many characters from the start of each held-out work.
pub const CHECK_CHARS: usize = 64 * 65;

/// The shipped teacher's loss, in nats per character, over the load check's characters, as
/// `train-teacher --scenario text` printed it for the committed file.
pub const TEACHER_CHECK_LOSS: f32 = 1.875;

/// How far the check may land from [`TEACHER_CHECK_LOSS`]: backends round differently.
const CHECK_TOLERANCE: f32 = 0.02;

pub struct TextAssets {
    pub corpus: Corpus,
    pub teacher: CharTransformer,
    /// The teacher's loss over the load check's characters: its held-out figure in a run.
    pub teacher_loss: f32,
    /// The teacher's file, in bytes.
    pub teacher_bytes: u64,
}

/// The first `chars` characters of each held-out work: what a held-out loss reads.
pub fn held_out_starts(corpus: &Corpus, chars: usize) -> Vec<Work> {
    let start = |work: &Work| Work { title: work.title.clone(), ids: work.ids[..work.ids.len().min(chars)].to_vec() };
    corpus.held_out.iter().map(start).collect()
}

/// The teacher's loss over `works`, in nats per character.
pub fn teacher_loss(teacher: &CharTransformer, works: &[Work], device: &Device) -> f32 {
    mean_loss(teacher, &consecutive_windows(works, TEACHER.context), TEACHER.context, 64, device)
}

/// The teacher's loss over the load check's characters.
pub fn check_loss(teacher: &CharTransformer, corpus: &Corpus, device: &Device) -> f32 {
    teacher_loss(teacher, &held_out_starts(corpus, CHECK_CHARS), device)
}

impl TextAssets {
    /// `text` is the corpus file unpacked; the sources name the files in the messages.
    pub fn decode(
        text: &[u8],
        text_source: &str,
        teacher_bytes: &[u8],
        teacher_source: &str,
        device: &Device,
    ) -> Result<Self, RunError> {
        let corpus = Corpus::shipped(text)
            .map_err(|e| RunError::Assets(format!("The text lab's corpus ({text_source}) is damaged: {e}.")))?;
        let teacher = CharTransformer::from_bytes(&TEACHER, teacher_bytes, device).map_err(|e| {
            RunError::Assets(format!("The text teacher could not be used ({teacher_source}): {}.", e.message()))
        })?;
        let loss = check_loss(&teacher, &corpus, device);
        if !(loss - TEACHER_CHECK_LOSS).abs().le(&CHECK_TOLERANCE) {
            return Err(RunError::Assets(format!(
                "The text teacher is unusable ({teacher_source}): its held-out loss is {loss:.3} nats per character, \
                 not {TEACHER_CHECK_LOSS:.3}."
            )));
        }
        Ok(TextAssets { corpus, teacher, teacher_loss: loss, teacher_bytes: teacher_bytes.len() as u64 })
    }
}
