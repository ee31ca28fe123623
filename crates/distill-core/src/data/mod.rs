//! Datasets: the 2-D generators and the train/test split.

pub mod shapes;
pub mod split;

pub use shapes::{ShapeKind, generate};
pub use split::{Points, Split};
