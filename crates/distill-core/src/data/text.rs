//! The text lab's corpus and its characters: ten works of Shakespeare in modern spelling (see
//! `www/data/ATTRIBUTION.md`), one plain-text file, the works separated by a form feed, the last
//! [`HELD_OUT_WORKS`] held out for the test loss. `scripts/convert-text.sh` writes the file.

use std::fmt;

use sha2::{Digest, Sha256};

/// The shipped corpus, gzipped, under the page's root.
pub const TEXT_PATH: &str = "data/shakespeare.txt.gz";

/// SHA-256 of the shipped corpus, unpacked: a file that differs is not the lab's text.
pub const TEXT_SHA256: &str = "7380223e516c2cbaeff54ad341173cca2ef4b5189faa00561c2724f1181562a7";

/// Between two works in the file: a page break, a character no work holds.
pub const WORK_SEPARATOR: char = '\u{c}';

/// The last works of the file, never trained on: the held-out loss is theirs.
pub const HELD_OUT_WORKS: usize = 2;

/// What the models read and write: newline and the 95 printable ASCII characters. Every other
/// character (an emoji, another script, a tab) is one "unknown" symbol, [`UNKNOWN`].
pub const SYMBOLS: usize = 96;

/// The id of the unknown symbol, after the [`SYMBOLS`] known ones.
pub const UNKNOWN: u8 = SYMBOLS as u8;

/// How an unknown symbol is written back as text.
pub const UNKNOWN_CHAR: char = '\u{25AF}';

/// The ids the models see: [`SYMBOLS`] known characters and the unknown one.
pub const VOCABULARY: usize = SYMBOLS + 1;

/// The id of a character.
pub fn id_of(c: char) -> u8 {
    match c {
        '\n' => 0,
        ' '..='~' => c as u8 - b' ' + 1,
        _ => UNKNOWN,
    }
}

/// The character of an id; the unknown symbol (and any id past it) is [`UNKNOWN_CHAR`].
pub fn char_of(id: u8) -> char {
    match id {
        0 => '\n',
        1..=95 => (id - 1 + b' ') as char,
        _ => UNKNOWN_CHAR,
    }
}

/// Text as ids, with how many of its characters were unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub ids: Vec<u8>,
    pub unknown: usize,
}

pub fn encode(text: &str) -> Encoded {
    let ids: Vec<u8> = text.chars().map(id_of).collect();
    let unknown = ids.iter().filter(|&&id| id == UNKNOWN).count();
    Encoded { ids, unknown }
}

pub fn decode(ids: &[u8]) -> String {
    ids.iter().map(|&id| char_of(id)).collect()
}

/// One work of the corpus: its title (its first line) and its text as ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    pub title: String,
    pub ids: Vec<u8>,
}

/// The corpus split by whole works: the training works (the teacher's text, and the passages of
/// human text the baseline learns from) and the held-out works (the test loss).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    pub training: Vec<Work>,
    pub held_out: Vec<Work>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// The bytes are not the shipped corpus.
    Checksum {
        expected: String,
        found: String,
    },
    NotUtf8,
    /// Fewer works than the split needs.
    TooFewWorks(usize),
    /// A character the vocabulary does not hold, at this character offset.
    UnknownCharacter {
        offset: usize,
        character: char,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Checksum { expected, found } => {
                write!(f, "the text is not the lab's corpus (SHA-256 {found}, expected {expected})")
            }
            TextError::NotUtf8 => f.write_str("the text is not UTF-8"),
            TextError::TooFewWorks(found) => {
                write!(f, "the text holds {found} works; the lab needs at least {}", HELD_OUT_WORKS + 1)
            }
            TextError::UnknownCharacter { offset, character } => {
                write!(f, "the text holds {character:?} at character {offset}, outside the lab's characters")
            }
        }
    }
}

impl std::error::Error for TextError {}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Corpus {
    /// The shipped corpus from its unpacked bytes, checked against [`TEXT_SHA256`].
    pub fn shipped(bytes: &[u8]) -> Result<Corpus, TextError> {
        let found = sha256_hex(bytes);
        if found != TEXT_SHA256 {
            return Err(TextError::Checksum { expected: TEXT_SHA256.into(), found });
        }
        Corpus::parse(std::str::from_utf8(bytes).map_err(|_| TextError::NotUtf8)?)
    }

    /// Any corpus in the shipped file's layout: works separated by [`WORK_SEPARATOR`], every
    /// character within the vocabulary.
    pub fn parse(text: &str) -> Result<Corpus, TextError> {
        if let Some((offset, character)) =
            text.chars().enumerate().find(|&(_, c)| c != WORK_SEPARATOR && id_of(c) == UNKNOWN)
        {
            return Err(TextError::UnknownCharacter { offset, character });
        }
        let mut works: Vec<Work> = text
            .split(WORK_SEPARATOR)
            .map(|work| Work { title: work.lines().next().unwrap_or("").trim().to_string(), ids: encode(work).ids })
            .collect();
        if works.len() <= HELD_OUT_WORKS {
            return Err(TextError::TooFewWorks(works.len()));
        }
        let held_out = works.split_off(works.len() - HELD_OUT_WORKS);
        Ok(Corpus { training: works, held_out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyboard_character_round_trips_and_the_rest_is_one_unknown_symbol() {
        let keyboard: String = std::iter::once('\n').chain((b' '..=b'~').map(char::from)).collect();
        assert_eq!(keyboard.chars().count(), SYMBOLS);
        let encoded = encode(&keyboard);
        assert_eq!(encoded.unknown, 0);
        assert_eq!(encoded.ids, (0..SYMBOLS as u8).collect::<Vec<_>>(), "one id each, in order");
        assert_eq!(decode(&encoded.ids), keyboard);
        // An emoji, another script, a tab and a non-breaking space are each one unknown symbol.
        let encoded = encode("To be 🙂 or 不\tnot\u{a0}");
        assert_eq!(encoded.unknown, 4);
        assert_eq!(encoded.ids.len(), 17, "one id per character, not per byte");
        assert_eq!(decode(&encoded.ids), "To be ▯ or ▯▯not▯");
        assert_eq!(char_of(200), UNKNOWN_CHAR);
    }

    #[test]
    fn works_split_at_page_breaks_with_the_last_ones_held_out() {
        let corpus =
            Corpus::parse("FIRST\nWho's there?\n\u{c}SECOND\nNay.\n\u{c}THIRD\nA.\n\u{c}  FOURTH\nB.").unwrap();
        let titles = |works: &[Work]| works.iter().map(|w| w.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&corpus.training), ["FIRST", "SECOND"]);
        assert_eq!(titles(&corpus.held_out), ["THIRD", "FOURTH"]);
        assert_eq!(decode(&corpus.training[0].ids), "FIRST\nWho's there?\n");
    }

    #[test]
    fn a_corpus_with_foreign_characters_or_too_few_works_is_refused() {
        assert_eq!(Corpus::parse("A\u{c}B 🙂\u{c}C"), Err(TextError::UnknownCharacter { offset: 4, character: '🙂' }));
        assert_eq!(Corpus::parse("A\u{c}B"), Err(TextError::TooFewWorks(2)));
        assert!(matches!(Corpus::shipped(b"A\x0cB\x0cC"), Err(TextError::Checksum { .. })));
    }
}
