//! The shipped text corpus: its checksum, its split by works and its characters.

use std::io::Read;
use std::path::PathBuf;

use distill_core::data::text::{Corpus, TEXT_PATH, TextError, UNKNOWN, decode};

fn shipped() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www").join(TEXT_PATH);
    let packed = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut text).expect("gzip");
    text
}

#[test]
fn the_shipped_corpus_matches_its_checksum_and_splits_into_eight_works_and_two_held_out() {
    let corpus = Corpus::shipped(&shipped()).expect("the shipped corpus");
    let titles: Vec<&str> = corpus.held_out.iter().map(|w| w.title.as_str()).collect();
    assert_eq!(titles, ["MACBETH", "TWELFTH NIGHT; OR, WHAT YOU WILL"]);
    assert_eq!(corpus.training.len(), 8);
    assert_eq!(corpus.training[0].title, "HAMLET, PRINCE OF DENMARK");
    let training: usize = corpus.training.iter().map(|w| w.ids.len()).sum();
    assert!((1_000_000..1_100_000).contains(&training), "{training} characters to learn from");
    // Every character of the works is a known one: nothing in the corpus reads as unknown.
    assert!(corpus.training.iter().chain(&corpus.held_out).all(|w| !w.ids.contains(&UNKNOWN)));
    assert!(decode(&corpus.held_out[0].ids[..40]).starts_with("MACBETH\n"));
}

#[test]
fn one_changed_character_is_not_the_corpus() {
    let mut text = shipped();
    let at = text.len() / 2;
    text[at] = if text[at] == b'e' { b'a' } else { b'e' };
    assert!(matches!(Corpus::shipped(&text), Err(TextError::Checksum { .. })));
}

#[test]
fn the_default_human_text_is_passages_from_all_eight_training_works() {
    use distill_core::text_lab::{HumanText, PROMPT_CHARS};
    let corpus = Corpus::shipped(&shipped()).expect("the shipped corpus");
    let text = HumanText::draw(&corpus, 20_000, 1);
    assert_eq!(text.len(), 20_000);
    // Each passage is found in exactly the training work it was taken from, in turn.
    for (index, passage) in text.passages.iter().enumerate() {
        let work = &corpus.training[index % corpus.training.len()].ids;
        assert!(work.windows(passage.len()).any(|w| w == passage.as_slice()), "passage {index}");
    }
    let prompted: usize = text.prompts().iter().map(|p| p.len()).sum();
    assert_eq!(prompted, text.passages.len() * PROMPT_CHARS, "the distilled student reads only these");
}

#[test]
fn the_shipped_teacher_passes_its_load_check_and_a_damaged_one_does_not() {
    use distill_core::RunError;
    use distill_core::burn::prelude::Device;
    use distill_core::text_lab::assets::TextAssets;
    use distill_core::text_lab::language_model::TEXT_TEACHER_PATH;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www").join(TEXT_TEACHER_PATH);
    let teacher = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (text, device) = (shipped(), Device::flex());
    let assets = TextAssets::decode(&text, "corpus", &teacher, "teacher", &device).expect("the shipped teacher");
    assert_eq!(assets.corpus.held_out.len(), 2);
    // A file damaged in its middle either no longer reads as weights or predicts badly: refused.
    let mut damaged = teacher.clone();
    let end = damaged.len();
    for byte in &mut damaged[end / 2..end / 2 + 4096] {
        *byte = byte.wrapping_add(17);
    }
    match TextAssets::decode(&text, "corpus", &damaged, "teacher", &device) {
        Err(RunError::Assets(why)) => assert!(why.contains("teacher"), "{why}"),
        other => panic!("a damaged teacher was taken: {:?}", other.err()),
    }
}
