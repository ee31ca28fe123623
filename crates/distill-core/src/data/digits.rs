//! Handwritten digits in the project's compact binary file (`www/data/digits.bin.gz` once unpacked).
//!
//! Layout, all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 0..8 | magic `DLDIGITS` |
//! | 8..12 | format version (1) |
//! | 12..16 | image count |
//! | 16..20 | height |
//! | 20..24 | width |
//! | 24..28 | classes |
//! | 28..32 | CRC-32 of everything after the header |
//! | 32.. | one label byte per image, then `height·width` pixel bytes per image (0 = paper, 255 = ink) |

use std::fmt;

use super::{Points, Split};
use crate::config::MlpSpec;

pub const MAGIC: [u8; 8] = *b"DLDIGITS";
pub const VERSION: u32 = 1;
pub const HEADER_LEN: usize = 32;

/// Shipped digits are split once, with this seed, so that the test digits are the same for every
/// user and never part of the teacher's training.
pub const SPLIT_SEED: u64 = 2015;
/// 8,000 transfer/train digits and 2,000 test digits.
pub const TRAIN_FRACTION: f32 = 0.8;

/// The shipped teacher's shape.
pub fn teacher_spec() -> MlpSpec {
    MlpSpec::new(28 * 28, vec![TEACHER_WIDTH, TEACHER_WIDTH], 10)
}
const TEACHER_WIDTH: usize = 512;

/// The shipped teacher gets about 98% of the test digits right. A record has no checksum, so
/// weights damaged inside their data still load; far below this, that is what happened.
pub const TEACHER_MIN_ACCURACY: f32 = 0.9;

/// An error unless the teacher's test accuracy `accuracy` is plausible for the shipped weights.
pub fn check_teacher_accuracy(accuracy: f32) -> Result<(), String> {
    if accuracy >= TEACHER_MIN_ACCURACY {
        return Ok(());
    }
    Err(format!(
        "the teacher's weights loaded, but it gets only {:.1}% of the test digits right (the shipped \
         one gets about 98%): the weights file is damaged",
        accuracy * 100.0
    ))
}

// Limits that reject nonsense headers before any allocation.
const MAX_SIDE: u32 = 64;
const MAX_COUNT: u32 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digits {
    pub height: usize,
    pub width: usize,
    pub classes: usize,
    pub labels: Vec<u8>,
    /// Row-major, image after image.
    pub pixels: Vec<u8>,
}

/// Why a digits file could not be read. Each says what is wrong in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigitsError {
    TooShort { len: usize },
    NotDigits,
    Version { found: u32 },
    Shape { count: u32, height: u32, width: u32, classes: u32 },
    Truncated { expected: usize, found: usize },
    Corrupted { expected: u32, found: u32 },
    Label { index: usize, label: u8, classes: usize },
}

impl fmt::Display for DigitsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DigitsError::TooShort { len } => {
                write!(f, "the digits file is too short ({len} bytes) to hold its {HEADER_LEN}-byte header")
            }
            DigitsError::NotDigits => write!(f, "this is not a digits file (its first bytes are not “DLDIGITS”)"),
            DigitsError::Version { found } => {
                write!(f, "the digits file has format version {found}; this build reads version {VERSION}")
            }
            DigitsError::Shape { count, height, width, classes } => write!(
                f,
                "the digits file's header is implausible: {count} images of {height}×{width} pixels in {classes} classes"
            ),
            DigitsError::Truncated { expected, found } => {
                write!(f, "the digits file is truncated or padded: expected {expected} bytes, found {found}")
            }
            DigitsError::Corrupted { expected, found } => write!(
                f,
                "the digits file is corrupted: its checksum is {found:08x} but the header says {expected:08x}"
            ),
            DigitsError::Label { index, label, classes } => {
                write!(
                    f,
                    "the digits file is corrupted: image {index} has label {label}, but there are {classes} classes"
                )
            }
        }
    }
}

impl std::error::Error for DigitsError {}

fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes[offset..offset + 4].try_into().expect("four bytes"))
}

impl Digits {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn image_len(&self) -> usize {
        self.height * self.width
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut payload = Vec::with_capacity(self.labels.len() + self.pixels.len());
        payload.extend_from_slice(&self.labels);
        payload.extend_from_slice(&self.pixels);
        let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
        bytes.extend_from_slice(&MAGIC);
        for field in [VERSION, self.len() as u32, self.height as u32, self.width as u32, self.classes as u32] {
            bytes.extend_from_slice(&field.to_le_bytes());
        }
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        bytes
    }

    /// Reads and fully validates a digits file: every way it can be wrong is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Digits, DigitsError> {
        if bytes.len() < HEADER_LEN {
            return Err(DigitsError::TooShort { len: bytes.len() });
        }
        if bytes[..8] != MAGIC {
            return Err(DigitsError::NotDigits);
        }
        let version = u32_at(bytes, 8);
        if version != VERSION {
            return Err(DigitsError::Version { found: version });
        }
        let (count, height, width, classes) =
            (u32_at(bytes, 12), u32_at(bytes, 16), u32_at(bytes, 20), u32_at(bytes, 24));
        let plausible = (1..=MAX_COUNT).contains(&count)
            && (1..=MAX_SIDE).contains(&height)
            && (1..=MAX_SIDE).contains(&width)
            && (2..=255).contains(&classes);
        if !plausible {
            return Err(DigitsError::Shape { count, height, width, classes });
        }
        let (count, height, width, classes) = (count as usize, height as usize, width as usize, classes as usize);
        let expected = HEADER_LEN + count + count * height * width;
        if bytes.len() != expected {
            return Err(DigitsError::Truncated { expected, found: bytes.len() });
        }
        let payload = &bytes[HEADER_LEN..];
        let (stored, computed) = (u32_at(bytes, 28), crc32fast::hash(payload));
        if stored != computed {
            return Err(DigitsError::Corrupted { expected: stored, found: computed });
        }
        let (labels, pixels) = payload.split_at(count);
        if let Some((index, &label)) = labels.iter().enumerate().find(|(_, l)| **l as usize >= classes) {
            return Err(DigitsError::Label { index, label, classes });
        }
        Ok(Digits { height, width, classes, labels: labels.to_vec(), pixels: pixels.to_vec() })
    }

    /// Pixels scaled to [0, 1], one row per image.
    pub fn points(&self) -> Points {
        Points {
            features: self.pixels.iter().map(|&p| p as f32 / 255.0).collect(),
            labels: self.labels.iter().map(|&l| l as usize).collect(),
            dims: self.image_len(),
            classes: self.classes,
        }
    }

    /// The first `per_class` rows of each class in `labels`, class by class: a fixed gallery.
    pub fn gallery_rows(labels: &[usize], classes: usize, per_class: usize) -> Vec<usize> {
        (0..classes)
            .flat_map(|class| {
                labels.iter().enumerate().filter(move |(_, l)| **l == class).map(|(row, _)| row).take(per_class)
            })
            .collect()
    }

    /// The fixed split every user and tool shares: 8,000 train/transfer and 2,000 test digits,
    /// stratified by class.
    pub fn split(&self) -> Split {
        Split::stratified(&self.points(), TRAIN_FRACTION, SPLIT_SEED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Digits {
        Digits {
            height: 2,
            width: 3,
            classes: 10,
            labels: vec![3, 7],
            pixels: vec![0, 10, 20, 30, 40, 50, 255, 254, 253, 252, 251, 250],
        }
    }

    #[test]
    fn the_gallery_takes_each_class_in_turn() {
        assert_eq!(Digits::gallery_rows(&[1, 0, 1, 0, 2, 1], 3, 2), vec![1, 3, 0, 2, 4]);
    }

    #[test]
    fn encoding_round_trips() {
        let digits = sample();
        assert_eq!(Digits::decode(&digits.encode()), Ok(digits));
    }

    #[test]
    fn every_damage_is_an_error_with_its_reason() {
        let good = sample().encode();
        type Case = (Vec<u8>, fn(&DigitsError) -> bool);
        let cases: Vec<Case> = vec![
            (good[..10].to_vec(), |e| matches!(e, DigitsError::TooShort { len: 10 })),
            ([b"PK\x03\x04junk".as_slice(), &good[12..]].concat(), |e| matches!(e, DigitsError::NotDigits)),
            (
                {
                    let mut b = good.clone();
                    b[8] = 2;
                    b
                },
                |e| matches!(e, DigitsError::Version { found: 2 }),
            ),
            (
                {
                    let mut b = good.clone();
                    b[16..20].copy_from_slice(&0u32.to_le_bytes());
                    b
                },
                |e| matches!(e, DigitsError::Shape { .. }),
            ),
            (
                {
                    let mut b = good.clone();
                    b[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
                    b
                },
                |e| matches!(e, DigitsError::Shape { .. }),
            ),
            (good[..good.len() - 1].to_vec(), |e| matches!(e, DigitsError::Truncated { .. })),
            ([good.as_slice(), &[0]].concat(), |e| matches!(e, DigitsError::Truncated { .. })),
            (
                {
                    let mut b = good.clone();
                    b[40] ^= 0xFF;
                    b
                },
                |e| matches!(e, DigitsError::Corrupted { .. }),
            ),
        ];
        for (index, (bytes, expected)) in cases.into_iter().enumerate() {
            let error = Digits::decode(&bytes).expect_err("damaged file accepted");
            assert!(expected(&error), "case {index}: {error:?}");
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn a_label_beyond_the_classes_is_refused_even_with_a_valid_checksum() {
        let mut digits = sample();
        digits.labels[1] = 12;
        assert!(matches!(Digits::decode(&digits.encode()), Err(DigitsError::Label { index: 1, label: 12, .. })));
    }

    #[test]
    fn random_bytes_never_panic() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        let good = sample().encode();
        for _ in 0..2000 {
            let mut bytes = good.clone();
            let cut = rng.random_range(0..=bytes.len());
            bytes.truncate(cut);
            if let Some(byte) = bytes.get_mut(rng.random_range(0..good.len())) {
                *byte = rng.random();
            }
            let _ = Digits::decode(&bytes);
        }
    }
}
