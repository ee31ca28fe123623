//! Datasets: the 2-D generators, the digits file and the train/test split.

pub mod digits;
pub mod drawing;
pub mod shapes;
pub mod split;

pub use digits::{Digits, DigitsError};
pub use shapes::{ShapeKind, generate};
pub use split::{Points, Split};
