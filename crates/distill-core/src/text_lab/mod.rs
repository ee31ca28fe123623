//! The text lab's plain parts: the students' human text and prompts, and the teacher's API,
//! which answers prompts with sampled text and reveals what the `answers` setting allows. No
//! tensor code: the teacher is whatever gives next-character log-probabilities.

pub mod api;
pub mod passages;

pub use api::{Answer, Api, NextCharacter, Revealed};
pub use passages::{HumanText, PASSAGE_CHARS, PROMPT_CHARS};
