//! Knowledge distillation, backend-agnostic: every function takes the device it is given.
//!
//! A wide *teacher* MLP learns a task; a small *student* then learns from the teacher's softened
//! outputs while an identical *baseline* learns from hard labels only, on the same batches.

pub mod data;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod session;

pub use burn;
pub use loss::{LossParts, distillation_loss};
pub use metrics::{DecisionMap, Metrics, Phase};
pub use model::{Mlp, MlpSpec};
pub use session::{OptimizerKind, Session, SessionConfig};
