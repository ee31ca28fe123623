//! The text lab: the students' human text and prompts, and the teacher's API, which answers
//! prompts with sampled text and reveals what the `answers` setting allows (plain parts: the API
//! takes any model that gives next-character log-probabilities); and, with Burn, the teacher's
//! language model (`language_model`).

pub mod api;
#[cfg(feature = "burn")]
pub mod assets;
#[cfg(feature = "burn")]
pub mod language_model;
pub mod passages;
pub mod prompt;
pub mod report;
#[cfg(feature = "burn")]
pub mod run;
#[cfg(feature = "burn")]
pub mod sampling;
#[cfg(feature = "burn")]
pub mod session;
#[cfg(feature = "burn")]
pub mod student;
#[cfg(feature = "burn")]
pub mod student_weights;
#[cfg(feature = "burn")]
pub mod writer;

pub use api::{Answer, Api, NextCharacter, Revealed};

/// Characters a student reads before the one it predicts (plain, for the page's words).
pub const STUDENT_CONTEXT: usize = 16;
pub use passages::{HumanText, PASSAGE_CHARS, PROMPT_CHARS};
