//! The page: one state reducer and small components fed plain data.

mod app;
mod controls;
mod decision_map;
mod digit_gallery;
mod disagreement_map;
mod explainer;
mod figures;
mod loss_chart;
mod palette;
mod per_class;
mod point_tools;
mod state;
mod worker;

pub use app::App;
