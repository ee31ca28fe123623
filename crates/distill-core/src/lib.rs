//! Knowledge distillation, backend-agnostic: every function takes the device it is given.
//!
//! A wide *teacher* MLP learns a task; a small *student* then learns from the teacher's softened
//! outputs while an identical *baseline* learns from hard labels only, on the same batches.
//!
//! Without the `burn` feature only the plain parts compile (settings, parameters, data,
//! metrics, messages, report rows, student files): what the page needs, without linking any
//! tensor code.

pub mod answers;
pub mod backlog;
#[cfg(feature = "burn")]
pub mod bench;
pub mod compare;
pub mod config;
pub mod data;
pub mod divergence;
pub mod error;
pub mod hooks;
pub mod host;
pub mod metrics;
pub mod opening;
pub mod params;
pub mod protocol;
pub mod report_row;
pub mod run_spec;
pub mod student_file;
pub mod text_lab;
pub mod transport;
pub mod trio;

#[cfg(feature = "burn")]
pub mod block_matmul;
#[cfg(feature = "burn")]
pub mod loss;
#[cfg(feature = "burn")]
pub mod model;
#[cfg(feature = "burn")]
pub mod scenario;
#[cfg(feature = "burn")]
pub mod session;
#[cfg(all(test, feature = "burn"))]
mod test_tensors;
#[cfg(feature = "burn")]
pub mod trainer;

pub use answers::{AnswerKind, Answers};
#[cfg(feature = "burn")]
pub use burn;
pub use config::{BiasShift, MlpSpec, OptimizerKind, QueriesFrom, SessionConfig, Transfer, layers_in_words};
pub use error::RunError;
#[cfg(feature = "burn")]
pub use loss::{LossParts, LossTerms, cross_entropy, distillation_loss};
pub use metrics::{DecisionMap, Metrics, ModelFigures, Phase, softmax_at};
#[cfg(feature = "burn")]
pub use model::{Mlp, Precision};
pub use report_row::ReportRow;
#[cfg(feature = "burn")]
pub use session::{Checkpoint, Session};
pub use student_file::{StudentFile, StudentScore};
pub use trio::{Role, Trio};
