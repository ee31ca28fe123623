//! Datasets: the 2-D generators, the digits file, the text lab's corpus and the train/test split.

pub mod digits;
pub mod drawing;
pub mod shapes;
pub mod split;
pub mod text;

pub use digits::{Digits, DigitsError};
pub use shapes::{ShapeKind, generate};
pub use split::{Points, Split};
